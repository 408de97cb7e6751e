/**
 * Pulumi's SDK records, for every resource, the whole JavaScript call stack at its
 * constructor (`Resource.callsites()` sets Error.stackTraceLimit to Infinity), and the
 * engine stores it in the resource's state: 400-500 bytes of frames through our SDK,
 * the user's program and Pulumi's runtime, in every resource, rewritten after every
 * step on file and bucket backends. Nothing reads them back (the Pulumi Cloud console
 * shows them); the first frame, the line that made the resource, is kept as the
 * resource's source position.
 *
 * So just before a resource's constructor runs, the next stack formatted (the SDK's
 * `new Error().stack` in callsites()) is cut to the frames up to the caller of the
 * resource class: callsites, stackTrace, Resource, CustomResource, the class, its caller.
 * The cut applies once and is undone at the latest at the end of the tick, so no other
 * error's stack is shortened unless it is formatted inside that constructor.
 */
const FRAMES = 6;
const ONE_SHOT = Symbol("pulumi-fleio short stack");

type Prepare = (err: Error, sites: NodeJS.CallSite[]) => unknown;
/** Node's hook; unset means V8's own format. */
const hook = Error as unknown as { prepareStackTrace?: Prepare };

export function shortStackForNextResource(): void {
    const previous = hook.prepareStackTrace;
    if (previous && (previous as Prepare & { [ONE_SHOT]?: true })[ONE_SHOT]) return; // already armed this tick
    const restore = () => {
        if (hook.prepareStackTrace === oneShot) hook.prepareStackTrace = previous;
    };
    const oneShot: Prepare = Object.assign(
        (err: Error, sites: NodeJS.CallSite[]) => {
            restore();
            const kept = sites.slice(0, FRAMES);
            return previous ? previous(err, kept) : [String(err), ...kept.map((s) => `    at ${s}`)].join("\n");
        },
        { [ONE_SHOT]: true as const },
    );
    hook.prepareStackTrace = oneShot;
    process.nextTick(restore);
}
