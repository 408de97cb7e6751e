import * as fs from "node:fs";
import * as path from "node:path";
import { Db } from "./model";
import { dataFileSchema, describeIssues } from "./schemas/datafile";

// write-file-atomic ships no type declarations; this is the one call we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const writeFileAtomic = require("write-file-atomic") as (file: string, data: string, options?: { fsync?: boolean; mode?: number }) => Promise<void>;

/** The file holds API tokens: owner read/write only. */
const FILE_MODE = 0o600;

/**
 * The data store: one JSON document, held in memory and, when a data file is
 * given, written atomically (temp file + rename) after every mutation, so a crash
 * or a kill never leaves a half-written file and a restart sees every committed change.
 */
export class Store {
    db: Db;
    private dirty = false;
    private writing: Promise<void> = Promise.resolve();

    constructor(
        private readonly seed: () => Db,
        readonly dataFile?: string,
    ) {
        this.db = this.load() ?? seed();
    }

    private load(): Db | undefined {
        const file = this.dataFile;
        if (!file || !fs.existsSync(file)) return undefined;
        const refuse = (why: string) => new Error(`emulator data file ${file} is not usable: ${why}. Fix or delete it (a new one is seeded).`);
        let parsed: unknown;
        try {
            parsed = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
            throw refuse(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
        }
        const version = typeof parsed === "object" && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
        if (version !== 2) throw refuse(`version ${JSON.stringify(version)} is not the supported version 2`);
        const r = dataFileSchema.safeParse(parsed);
        if (!r.success) throw refuse(describeIssues(r.error));
        return r.data;
    }

    /** Marks the store changed; the next flush() writes it. Returns the db for chaining. */
    touch(): Db {
        this.dirty = true;
        return this.db;
    }

    /** Back to the seed (admin reset). */
    reset(): void {
        this.db = this.seed();
        this.dirty = true;
    }

    /** Writes the data file if anything changed; writes are serialised so the last state wins. */
    flush(): Promise<void> {
        if (!this.dirty || !this.dataFile) {
            this.dirty = false;
            return this.writing;
        }
        this.dirty = false;
        const file = this.dataFile;
        const text = JSON.stringify(this.db, null, 1);
        // A failed write must not wedge the chain for every later write.
        const next = this.writing
            .catch(() => undefined)
            .then(async () => {
                await fs.promises.mkdir(path.dirname(path.resolve(file)), { recursive: true });
                await writeFileAtomic(file, text, { mode: FILE_MODE });
            });
        this.writing = next;
        return next;
    }
}
