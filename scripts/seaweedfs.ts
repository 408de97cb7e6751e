import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");

/** The path of a `weed` binary, built once from Go modules by scripts/get-seaweedfs.sh and cached. */
export function ensureWeed(): string {
    return execFileSync("bash", [path.join(root, "scripts", "get-seaweedfs.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" }).trim().split("\n").pop()!;
}

export interface RunningSeaweed {
    /** Pulumi backend URL of the bucket. */
    backendUrl: string;
    /** The S3 credentials the engine needs (any values: this store trusts the ones it was started with). */
    env: Record<string, string>;
    s3Endpoint: string;
    close(): Promise<void>;
}

/**
 * SeaweedFS in one process (`weed mini`: master, volume, filer and S3 gateway) on
 * loopback ports only, with a fresh data folder, its bucket created at start. It
 * holds Pulumi state the way a team's S3-compatible bucket would.
 */
export async function startSeaweed(o: { bucket?: string; weed?: string } = {}): Promise<RunningSeaweed> {
    const weed = o.weed ?? ensureWeed();
    const bucket = o.bucket ?? "pulumi-state";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleio-seaweed-"));
    // Each service also listens on port+10000 for gRPC: pick bases whose pair is free.
    const [master, volume, filer, s3] = await freePortPairs(4);
    const env = { AWS_ACCESS_KEY_ID: "fleet-test-access", AWS_SECRET_ACCESS_KEY: "fleet-test-secret-key", AWS_REGION: "us-east-1" };
    const args = [
        "mini", `-dir=${dir}`, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        `-master.port=${master}`, `-volume.port=${volume}`, `-filer.port=${filer}`, `-s3.port=${s3}`,
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false", "-master.telemetry=false", `-bucket=${bucket}`,
    ];
    const log = fs.openSync(path.join(dir, "weed.log"), "a");
    const child: ChildProcess = spawn(weed, args, { stdio: ["ignore", log, log], env: { ...process.env, ...env } });
    const s3Endpoint = `http://127.0.0.1:${s3}`;
    const close = async () => {
        if (child.exitCode === null) {
            child.kill("SIGTERM");
            await new Promise<void>((resolve) => {
                const t = setTimeout(() => (child.kill("SIGKILL"), resolve()), 10_000);
                child.once("exit", () => (clearTimeout(t), resolve()));
            });
        }
        fs.closeSync(log);
        fs.rmSync(dir, { recursive: true, force: true });
    };
    try {
        await waitForBucket(s3Endpoint, `http://127.0.0.1:${filer}`, bucket, child, path.join(dir, "weed.log"));
    } catch (e) {
        await close();
        throw e;
    }
    return { backendUrl: `s3://${bucket}?endpoint=${s3Endpoint}&s3ForcePathStyle=true&region=us-east-1`, env, s3Endpoint, close };
}

/** Ready when the S3 gateway answers and the filer holds the bucket (buckets live under /buckets/). */
async function waitForBucket(endpoint: string, filerUrl: string, bucket: string, child: ChildProcess, logFile: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`weed mini exited (${child.exitCode}):\n${tail(logFile)}`);
        try {
            const gateway = await fetch(`${endpoint}/`, { method: "HEAD" });
            const folder = await fetch(`${filerUrl}/buckets/${bucket}/`, { headers: { accept: "application/json" } });
            if (gateway.status > 0 && folder.status === 200) return;
        } catch {
            /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`SeaweedFS did not serve bucket ${bucket} within 120 s:\n${tail(logFile)}`);
}

function tail(file: string): string {
    return fs.readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
}

async function freePortPairs(count: number): Promise<number[]> {
    const out: number[] = [];
    while (out.length < count) {
        const base = 20000 + Math.floor(Math.random() * 10000);
        if (out.some((p) => Math.abs(p - base) < 2)) continue;
        if ((await isFree(base)) && (await isFree(base + 10000))) out.push(base);
    }
    return out;
}

function isFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.once("error", () => resolve(false));
        srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
}
