import * as fs from "node:fs";

/**
 * Peak resident memory while an operation runs, sampled from /proc every
 * `intervalMs`: this process (it runs the inline Pulumi program), the dynamic
 * provider processes (node running @pulumi/pulumi's cmd/dynamic-provider) and the
 * pulumi engine. Linux only; elsewhere every peak stays 0.
 */
export interface MemoryPeaks {
    programMiB: number;
    /** Largest sum over the provider processes alive at one moment. */
    providersMiB: number;
    engineMiB: number;
    /** Largest single provider process (dynamic provider or native plugin). */
    oneProviderMiB: number;
    /** Largest single engine process. */
    oneEngineMiB: number;
}

export function sampleMemory(intervalMs = 100): { stop(): MemoryPeaks } {
    const peaks: MemoryPeaks = { programMiB: 0, providersMiB: 0, engineMiB: 0, oneProviderMiB: 0, oneEngineMiB: 0 };
    const tick = () => {
        peaks.programMiB = Math.max(peaks.programMiB, rssMiB("self"));
        let providers = 0;
        let engine = 0;
        for (const pid of descendants(process.pid)) {
            const cmd = cmdline(pid);
            const mib = rssMiB(pid);
            if (cmd.includes("dynamic-provider") || cmd.includes("pulumi-resource-fleio")) {
                providers += mib;
                peaks.oneProviderMiB = Math.max(peaks.oneProviderMiB, mib);
            } else if (/(^|\/)pulumi\0/.test(cmd)) {
                engine += mib;
                peaks.oneEngineMiB = Math.max(peaks.oneEngineMiB, mib);
            }
        }
        peaks.providersMiB = Math.max(peaks.providersMiB, providers);
        peaks.engineMiB = Math.max(peaks.engineMiB, engine);
    };
    const timer = setInterval(tick, intervalMs);
    tick();
    return {
        stop() {
            clearInterval(timer);
            tick();
            const r = (v: number) => Math.round(v);
            return { programMiB: r(peaks.programMiB), providersMiB: r(peaks.providersMiB), engineMiB: r(peaks.engineMiB), oneProviderMiB: r(peaks.oneProviderMiB), oneEngineMiB: r(peaks.oneEngineMiB) };
        },
    };
}

function rssMiB(pid: number | "self"): number {
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) / 1024 : 0;
    } catch {
        return 0; // the process ended between listing and reading
    }
}

function cmdline(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
        return "";
    }
}

/** Every process below `root` (the engine starts the providers, not us). */
function descendants(root: number): number[] {
    let entries: string[];
    try {
        entries = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
    } catch {
        return [];
    }
    const children = new Map<number, number[]>();
    for (const d of entries) {
        try {
            const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(d));
        } catch {
            /* gone */
        }
    }
    const out: number[] = [];
    const queue = [root];
    while (queue.length) for (const c of children.get(queue.shift()!) ?? []) (out.push(c), queue.push(c));
    return out;
}
