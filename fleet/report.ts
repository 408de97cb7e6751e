import { describeChanges, FleetReport } from "./run";

/** One summary for the whole fleet: the moves and waits, a line per stack, then the totals. */
export function formatReport(r: FleetReport): string {
    const lines = [`fleet ${r.operation}: ${r.stacks.length} stacks, ${r.parallel} at once, fleio:maxConcurrency ${r.perStackConcurrency} each`];
    const moved = r.operation === "up" ? "moved to another stack (pulumi state move) before the stacks ran" : "move to another stack (pulumi state move) when `up` runs";
    for (const m of r.moves) lines.push(`  ${moved}: ${m}`);
    for (const w of r.waits) lines.push(`  runs ${w}: it takes a domain that stack lets go of`);
    for (const w of r.warnings ?? []) lines.push(`  warning: ${w}`);
    lines.push(`  ${"stack".padEnd(10)} ${"resellers".padStart(9)} ${"seconds".padStart(8)}  result`);
    for (const s of r.stacks) {
        const result = s.skipped ? `skipped: ${s.skipped}` : s.error ? `FAILED: ${s.error}` : describeChanges(s.changes) + (s.note ? ` (${s.note})` : "");
        lines.push(`  ${s.stack.padEnd(10)} ${String(s.resellers).padStart(9)} ${s.seconds.toFixed(1).padStart(8)}  ${result}`);
        for (const x of s.resolved ?? []) lines.push(`  ${"".padEnd(10)} resolved: ${x}`);
    }
    const totals: Record<string, number> = {};
    for (const s of r.stacks) for (const [k, n] of Object.entries(s.changes)) totals[k] = (totals[k] ?? 0) + n;
    const failed = r.stacks.filter((s) => s.error).length;
    lines.push(`  total: ${describeChanges(totals)}; ${failed} failed; ${r.seconds.toFixed(1)} s`);
    const ran = r.stacks.filter((s) => !s.skipped);
    if (r.operation === "up" && ran.length && ran.every((s) => s.note)) lines.push("  nothing left to apply: another run applied every stack while this one started");
    return lines.join("\n");
}
