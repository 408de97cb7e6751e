/**
 * Errors that reach the user as their message only, with no Node stack trace.
 *
 * The dynamic provider host (@pulumi/pulumi 3.248 cmd/dynamic-provider/index.js) answers
 * a failed check, diff, read or delete with the error's message, which the engine shows
 * at the resource, but first runs `console.error(`${e}: ${e.stack}`)`. The engine shows
 * every stderr line of a provider under the stack's diagnostics, so a 401 on `destroy`
 * came out with `at guard (…define.ts…)` lines (create and update print nothing: they
 * answer through grpcResponseFromError). The engine drops only blank lines, and the
 * host's template always holds a ":", so nothing the error can say makes that line go
 * away: the process's console.error has to. An error made here has the stack of an
 * error with no frames (`Error: <message>`), and the one line the host prints for it is
 * dropped; the engine still shows the message at the resource. Were the filter ever
 * bypassed, what is left is that one line, with no frames either.
 */
/**
 * Lines the host will print for errors already reported through gRPC, each with how many
 * such errors are pending (several resources can fail with the same text); bounded.
 */
const expected = new Map<string, number>();
const MAX_EXPECTED = 200;
let installed = false;

/** An Error whose rendering by the host is one line, which is then not printed at all. */
export function quietError(message: string): Error {
    const err = new Error(message);
    Object.defineProperty(err, "stack", { value: String(err), writable: true, configurable: true, enumerable: false });
    expect(`${err}: ${err.stack}`);
    return err;
}

function expect(line: string): void {
    installFilter();
    expected.set(line, (expected.get(line) ?? 0) + 1);
    if (expected.size > MAX_EXPECTED) expected.delete(expected.keys().next().value as string);
}

/** True (and one fewer pending) when `line` is one the host prints for a quiet error. */
function takeExpected(line: string): boolean {
    const n = expected.get(line);
    if (!n) return false;
    if (n > 1) expected.set(line, n - 1);
    else expected.delete(line);
    return true;
}

/**
 * Wraps console.error once, in the process that throws such an error (the provider
 * host): a call whose only argument is an expected line is swallowed, once per error.
 */
function installFilter(): void {
    if (installed) return;
    installed = true;
    const original = console.error;
    console.error = function (this: Console, ...args: unknown[]) {
        if (args.length === 1 && typeof args[0] === "string" && takeExpected(args[0])) return;
        return original.apply(this, args);
    };
}
