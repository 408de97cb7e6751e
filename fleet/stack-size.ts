/**
 * How many stacks a fleet is spread over when --shards is not given. On file and bucket
 * backends the engine rewrites a stack's whole state after every step, so a stack's `up`
 * grows with the square of its size; every stack also pays the engine's start. The
 * curve below is `up` seconds per reseller at each stack size, measured by
 * `npm run bench -- --curve` (scripts/bench/curve.ts); the fleet takes the largest
 * size whose cost per reseller is within {@link TOLERANCE} of the cheapest, and as many
 * shards as that needs.
 */
export interface CurvePoint {
    /** Resellers in one stack. */
    size: number;
    /** `up` seconds per reseller of a stack that size. */
    upSecondsPerReseller: number;
}

/**
 * Measured with the dynamic provider (the fleet's), emulator at 20 ms per request, 8
 * requests in flight, on an otherwise idle 2-core machine (2026-12-07, `--curve`): the
 * cost per reseller falls to 25 per stack (the engine's start is shared) and then
 * rises with the square of the stack (the engine rewrites the state after every step).
 * The same run under load 16-18 earlier that day picked 25 too.
 */
export const STACK_SIZE_CURVE: readonly CurvePoint[] = [
    { size: 10, upSecondsPerReseller: 0.279 },
    { size: 25, upSecondsPerReseller: 0.204 },
    { size: 50, upSecondsPerReseller: 0.239 },
    { size: 100, upSecondsPerReseller: 0.364 },
];

/** A larger stack is chosen while its cost per reseller stays within this of the cheapest. */
const TOLERANCE = 1.1;

/** The stack size the curve recommends: the largest within {@link TOLERANCE} of the cheapest per reseller. */
export function stackSizeFromCurve(curve: readonly CurvePoint[]): number {
    if (!curve.length) throw new Error("the stack-size curve is empty");
    const cheapest = Math.min(...curve.map((p) => p.upSecondsPerReseller));
    return Math.max(...curve.filter((p) => p.upSecondsPerReseller <= cheapest * TOLERANCE).map((p) => p.size));
}

/** The shard count of a fleet: an explicit one wins; otherwise enough stacks of the curve's size. */
export function fleetShards(resellers: number, explicit?: number, curve: readonly CurvePoint[] = STACK_SIZE_CURVE): number {
    if (explicit !== undefined) return explicit;
    return Math.max(1, Math.ceil(resellers / stackSizeFromCurve(curve)));
}
