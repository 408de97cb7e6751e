/**
 * An engine error is long (the whole CLI output, then the command line that failed): the
 * summary keeps its reason, first, never the token. Pulumi's diagnostics (`error:` lines,
 * with the resource they are under) come before anything else, generic ones ("update
 * failed") last; the command line (`pulumi up … --client=…`) and the framing are dropped.
 */
export function errorGist(message: string, token: string): string {
    const lines = message
        .split("\n")
        .map((l) => l.trim().replace(/^(code|stdout|stderr|err\?):\s*/i, "").trim())
        .filter((l) => l && !/^\d+$/.test(l) && !/Command failed with exit code|--client=|^at /.test(l));
    const generic = (l: string) => /error: (update|preview|destroy|refresh) failed$|^error: an error occurred/i.test(l);
    const diagnostics = lines.flatMap((l, i) => {
        if (!/^error:/i.test(l) || generic(l)) return [];
        const under = /^(\S+) \((.+)\):$/.exec(lines[i - 1] ?? "");
        return [under ? `${under[2]}: ${l}` : l];
    });
    const mentions = lines.filter((l) => /error|locked|refused/i.test(l) && !generic(l));
    const reasons = [...new Set(diagnostics.length ? diagnostics : mentions)];
    const gist = reasons.length ? reasons.slice(0, MAX_REASONS) : lines.filter(generic).slice(0, 1);
    const more = reasons.length > MAX_REASONS ? [`and ${reasons.length - MAX_REASONS} more`] : [];
    // Each reason is kept whole up to a generous length (an adopt hint sits at its end),
    // so a long first reason never hides the others.
    const text = [...(gist.length ? gist : lines.slice(0, 3)).map(clip), ...more].join(" | ");
    return token ? text.split(token).join("[redacted]") : text;
}

const MAX_REASONS = 8;
const clip = (l: string) => (l.length > 1000 ? `${l.slice(0, 1000)}…` : l);

/**
 * An error from a CLI command without the command itself: the Automation API's message
 * ends with the CLI's path and arguments, which say nothing to the operator.
 */
export function withoutCommandLine(message: string): string {
    return message
        .split("\n")
        .filter((l) => !/Command failed with exit code|--client=|^\s*at /.test(l))
        .map((l) => l.replace(/^\s*(code|stdout|stderr|err\?):\s*/i, ""))
        .filter((l) => l.trim() && !/^\d+$/.test(l.trim()))
        .join("\n");
}
