/**
 * One job of `npm test` (scripts/run-tests.ts forks it): runs mocha over the files it
 * is given, in order, and sends the counts back to the runner. Each job is its own
 * process, so files running side by side share no module state (provider context,
 * nock, fake timers), and its output reaches the user whole, not interleaved.
 *
 *   node dist/scripts/test-worker.js [--grep text] <file.test.js>...
 */
import Mocha from "mocha";

export interface WorkerResult {
    passed: number;
    failed: number;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    let grep: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--grep") grep = args[++i];
        else files.push(args[i]);
    }
    const mocha = new Mocha({ reporter: "spec", timeout: 20_000, grep, color: false });
    for (const f of files) mocha.addFile(f);

    const result: WorkerResult = { passed: 0, failed: 0 };
    await new Promise<void>((resolve) => {
        const runner = mocha.run(() => resolve());
        runner.on("pass", () => result.passed++);
        runner.on("fail", () => result.failed++);
    });
    // The counts go back over the IPC channel: the output stays the user's to read.
    await new Promise<void>((resolve) => (process.send ? process.send(result, () => resolve()) : resolve()));
    process.exitCode = result.failed > 0 ? 1 : 0;
    // A test that leaves a handle open (a server, a timer) must not hold the whole run:
    // say so, and end.
    setTimeout(() => {
        console.error(`test-worker: something was left open after the tests of ${files.join(", ")}; exiting anyway`);
        process.exit();
    }, 5_000).unref();
}

main().catch((e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 1;
});
