import nock from "nock";
import { configure } from "../../../provider";
import { resetProviderContext } from "../../../provider/context";

/** What `pricerule/create_options` answers in a fresh Fleio (fleio-api.md, Observed), trimmed to what check() reads. */
export const CREATE_OPTIONS = {
    resources: [
        { id: 1, name: "Instance", type: "service" },
        { id: 2, name: "Image", type: "service" },
        { id: 3, name: "Volume", type: "service" },
        { id: 4, name: "Instance traffic", type: "internal" },
    ],
    currencies: [
        { code: "EUR", is_default: true },
        { code: "USD", is_default: false },
    ],
};

export const CHECK_BASE = "https://fleio.test";
export const CREATE_OPTIONS_PATH = "/backend/staffapi/openstack/billing/pricerule/create_options";
const TOKEN = "0123456789abcdef0123456789abcdef01234567";

/** A fresh provider process as far as check() can tell: new settings, empty memo, no retries. */
export async function configureForCheck(): Promise<void> {
    // configure() keeps the context while the settings stay the same: start a new one.
    resetProviderContext();
    const config: Record<string, string> = { "fleio:url": CHECK_BASE, "fleio:token": TOKEN, "fleio:maxRetries": "0" };
    await configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
}

/** Fleio answering create_options (`times` requests at most). */
export const serveCreateOptions = (times = 1, answer: unknown = CREATE_OPTIONS) => nock(CHECK_BASE).get(CREATE_OPTIONS_PATH).times(times).reply(200, answer as nock.Body);

/** How the engine marks a secret (@pulumi/pulumi runtime/rpc.ts). */
export const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

/**
 * For suites that call check() on new resources: Fleio answers create_options as
 * often as asked, and nothing else leaves the process.
 */
export function useCreateOptions(): void {
    beforeEach(async () => {
        nock.disableNetConnect();
        await configureForCheck();
        nock(CHECK_BASE).get(CREATE_OPTIONS_PATH).reply(200, CREATE_OPTIONS).persist();
    });
    afterEach(() => {
        nock.cleanAll();
        nock.enableNetConnect();
    });
}
