import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { DEFAULT_PLUGIN_PATH, loadGitopsData, renderYamlProgram } from "../sdk/gitops";
import { CliError } from "./errors";

interface RenderFlags {
    data: string;
    out: string;
    project?: string;
    pluginPath: string;
    check?: boolean;
}

/**
 * `pulumi-fleio gitops render-yaml`: a folder of data files as a Pulumi YAML program
 * (YAML has no loops and cannot call the ResellerOnboarding component, so the program is
 * rendered). Exit 0 written / up to date, 1 out of date (--check) or a bad data file, 2 usage.
 */
export function gitopsCommand(parent: Command, done: (code: number) => void): Command {
    const gitops = parent.command("gitops").description("Work with a folder of reseller data files (docs/gitops-format.md).");
    gitops
        .command("render-yaml")
        .description(
            "Renders a folder of reseller data files into a Pulumi YAML program declaring the resources ResellerOnboarding declares,\n" +
                "under the same names, run by the native plugin. The output depends only on the files, so CI can run --check.\n" +
                "Exit code 0: written (or up to date with --check); 1: out of date with --check, or a bad data file; 2: usage error.",
        )
        .requiredOption("--data <folder>", "the folder of reseller data files")
        .option("--out <file>", "the program file to write", "Pulumi.yaml")
        .option("--project <name>", "the Pulumi project name (default: the one in --out when it exists, else fleio-gitops-yaml)")
        .option("--plugin-path <folder>", "the native plugin's folder as written into the program", DEFAULT_PLUGIN_PATH)
        .option("--check", "write nothing; exit 1 when --out differs from what the data renders to")
        .action((o: RenderFlags) => {
            const out = path.resolve(o.out);
            const existing = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : undefined;
            let text: string;
            try {
                // Keep the project name a stack was made under, unless told otherwise.
                const project = o.project ?? existing?.match(/^name: (\S+)$/m)?.[1];
                const source = path.relative(path.dirname(out), path.resolve(o.data)).split(path.sep).join("/") || ".";
                const data = loadGitopsData(path.resolve(o.data));
                text = renderYamlProgram(data.resellers, { project, pluginPath: o.pluginPath, source: `${source}/`, catalog: data.catalog });
            } catch (e) {
                throw new CliError(`gitops render-yaml: ${e instanceof Error ? e.message : String(e)}`);
            }
            if (o.check) {
                if (existing === text) {
                    console.log(`${o.out} is up to date with ${o.data}`);
                    return done(0);
                }
                console.error(`${o.out} is ${existing === undefined ? "missing" : "out of date"}: run pulumi-fleio gitops render-yaml --data ${o.data} --out ${o.out}`);
                return done(1);
            }
            fs.writeFileSync(out, text);
            console.log(`${o.out}: ${(text.match(/^ {2}\S.*:\n {4}type: fleio:index:/gm) ?? []).length} resources from ${o.data}`);
            done(0);
        });
    return gitops;
}
