/**
 * A small seeded PRNG (mulberry32). Client ids and random faults must be
 * reproducible from `--seed`, which Math.random cannot give.
 */
export class Prng {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** A float in [0, 1). */
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** A 32-bit unsigned integer. */
    uint32(): number {
        return Math.floor(this.next() * 4294967296);
    }

    /** A random 6-digit integer, as the client ids a Fleio 2019.12 hands out. */
    sixDigits(): number {
        return 100000 + Math.floor(this.next() * 900000);
    }

    /**
     * A random id like Fleio's RandomId BigIntegers: always above 2^32, so a client
     * that squeezes ids into 32-bit integers breaks here, yet never above
     * Number.MAX_SAFE_INTEGER, so JSON numbers stay exact in JavaScript.
     */
    bigId(): number {
        const high = this.uint32() & 0x1fffff; // 21 bits: 2^53 - 1 is the ceiling
        const low = this.uint32();
        const id = high * 4294967296 + low;
        return id < 4294967296 ? id + 4294967296 : id;
    }
}

/** A seed when the caller gave none: ids then look random, as in Fleio. */
export function randomSeed(): number {
    return Math.floor(Math.random() * 4294967296);
}
