/**
 * The project's main job, in one command (`npm run demo`): start the Fleio API
 * emulator, apply the reseller setup (examples/seed) with the real Pulumi engine and
 * a local file backend, show a second preview with no changes, and sign a user up on
 * the reseller's domain to show it lands under the reseller. No login, no internet.
 *
 *   npm run demo [-- --fresh] [-- --keep-running]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { startEmulator } from "../emulator";
import { engineStack, outputValues, repoRoot } from "./engine";
import { seedWorkflow } from "../examples/seed/program";

const say = (line = "") => console.log(line);

async function main(): Promise<void> {
    const opts = new Command().option("--fresh", "forget earlier demo runs (state and emulator data)").option("--keep-running", "leave the emulator up afterwards").parse().opts<{ fresh?: boolean; keepRunning?: boolean }>();
    const area = path.join(repoRoot, ".state", "demo");
    if (opts.fresh) fs.rmSync(area, { recursive: true, force: true });
    fs.mkdirSync(area, { recursive: true });

    const started = Date.now();
    const emulator = await startEmulator({ dataFile: path.join(area, "fleio.json"), seed: 42 });
    say(`Fleio API emulator: ${emulator.url}/backend/staffapi (data in .state/demo/fleio.json)`);
    const stats = async () => ((await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { total: number }).total;

    try {
        const stack = await engineStack(async () => seedWorkflow(), { area: "demo", projectName: "fleio-reseller-setup", fleioUrl: emulator.url, fleioToken: emulator.staffToken });

        say("\n== pulumi up: the reseller setup ==");
        const up = await stack.up({ onOutput: (o) => process.stdout.write(o), color: "never" });
        const out = outputValues(up.outputs);

        say("\n== second preview: expect no changes ==");
        const before = await stats();
        const preview = await stack.preview({ color: "never" });
        const changed = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
        say(changed.length === 0 ? `no changes (${preview.changeSummary.same ?? 0} resources unchanged, ${(await stats()) - before} Fleio API calls)` : `UNEXPECTED changes: ${JSON.stringify(preview.changeSummary)}`);

        say("\n== a customer signs up on the reseller's domain ==");
        const frontend = out.endUserFrontend as { panelUrl: string; resellerClientId: number; signupPath: string };
        const email = `customer-${Date.now()}@example.net`;
        const signup = await fetch(`${emulator.url}${frontend.signupPath}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email, first_name: "Casey", last_name: "Customer", password: "a-long-demo-password", reseller_client_id: frontend.resellerClientId }),
        });
        const user = (await signup.json()) as { id: number };
        const seen = (await (
            await fetch(`${emulator.url}/backend/staffapi/users/${user.id}`, { headers: { Authorization: `Token ${emulator.staffToken}` } })
        ).json()) as { email: string; reseller_client?: number | null };
        say(`signed up ${seen.email} via ${frontend.panelUrl}: belongs to reseller client ${seen.reseller_client} (${seen.reseller_client === frontend.resellerClientId ? "as intended" : "WRONG"})`);

        say("\n== the reseller ==");
        say(`reseller client id:     ${out.resellerClientId}`);
        say(`reseller service id:    ${out.resellerServiceId} on plan ${out.resellerPlanId} (${out.servicePlanName})`);
        say(`end-user panel:         ${out.endUserPanelUrl}`);
        say(`frontend settings:      ${JSON.stringify(out.endUserFrontend)}`);
        say(`reseller configuration: ${out.configurationId}; retail plan ${out.retailPlanId}`);
        say(`\ndemo finished in ${((Date.now() - started) / 1000).toFixed(1)}s. Run it again: the stack is up to date, so nothing changes.`);
        if (changed.length || seen.reseller_client !== frontend.resellerClientId) process.exitCode = 1;
    } finally {
        if (!opts.keepRunning) await emulator.close();
        else say(`emulator still running at ${emulator.url} (staff token: ${emulator.staffToken}); Ctrl-C to stop`);
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
