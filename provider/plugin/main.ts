/**
 * Entry point of bin/pulumi-resource-fleio: serves the plugin and prints its port on
 * the first stdout line, which is how the engine finds it. The engine's address is the
 * first argument that is not a flag (the engine may put logging flags before it).
 */
import { serve } from "./server";

export async function main(argv: string[]): Promise<void> {
    const engineAddress = argv.find((a) => !a.startsWith("-"));
    // An expected failure is reported by the engine from the gRPC error; anything else
    // escaping here would print a stack the engine hides anyway: keep it to one line.
    process.on("unhandledRejection", (e) => process.stderr.write(`pulumi-resource-fleio: ${e instanceof Error ? e.message : String(e)}\n`));
    const { port } = await serve(engineAddress);
    process.stdout.write(`${port}\n`);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e) => {
        process.stderr.write(`pulumi-resource-fleio: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    });
}
