#!/usr/bin/env node
/**
 * The `pulumi-fleio` command: an operator's tools beside the SDK.
 *
 *   pulumi-fleio discover --out resellers/     write a data file per reseller a live Fleio has
 *   pulumi-fleio fleet preview|up|destroy …    run a folder of data files over several stacks
 *   pulumi-fleio contract                      check a Fleio fits pulumi-fleio
 *   pulumi-fleio gitops render-yaml --data d   a folder of data files as a Pulumi YAML program
 *
 * Credentials come from FLEIO_URL / FLEIO_TOKEN (the URL also from a flag), never from a
 * token flag: command lines are visible to every user of the machine. An expected
 * failure prints its message and no stack trace; exit 2 is a usage error.
 */
import { Command, CommanderError } from "commander";
import { contractCommand } from "./contract";
import { discoverCommand } from "./discover";
import { fleetCommand } from "./fleet";
import { gitopsCommand } from "./gitops";
import { CliError } from "./errors";

/** Runs the command line `argv` (as process.argv) and answers the exit code. */
export async function runCli(argv: string[]): Promise<number> {
    let code = 0;
    const done = (c: number) => (code = c);
    const program = new Command("pulumi-fleio")
        .description("Tools for declaring a Fleio reseller setup as code: discover, fleet, contract, gitops.")
        .version((require("../../package.json") as { version: string }).version)
        .exitOverride()
        .showHelpAfterError("(add --help for usage)")
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    discoverCommand(program, done);
    fleetCommand(program, done);
    contractCommand(program, done);
    gitopsCommand(program, done);
    try {
        await program.parseAsync(argv);
        return code;
    } catch (e) {
        if (e instanceof CommanderError) return ["commander.helpDisplayed", "commander.version"].includes(e.code) ? 0 : 2;
        if (e instanceof CliError) {
            console.error(e.message);
            return e.exitCode;
        }
        // Not expected: still no stack trace unless asked for.
        console.error(`pulumi-fleio: ${e instanceof Error ? e.message : String(e)}`);
        if (process.env.PULUMI_FLEIO_DEBUG && e instanceof Error) console.error(e.stack);
        return 1;
    }
}

if (require.main === module) {
    void runCli(process.argv).then((code) => (process.exitCode = code));
}
