// Entry point for `pulumi up` on the root Pulumi.yaml (needs Pulumi's nodejs language
// host, which a normal Pulumi install has). Settings may be overridden by stack config.
import * as pulumi from "@pulumi/pulumi";
import { defaultSeed, seedWorkflow } from "./program";

const cfg = new pulumi.Config("seed");
const outputs = seedWorkflow({
    ...defaultSeed,
    resellerEmail: cfg.get("resellerEmail") ?? defaultSeed.resellerEmail,
    company: cfg.get("company") ?? defaultSeed.company,
    domain: cfg.get("domain") ?? defaultSeed.domain,
    currency: cfg.get("currency") ?? defaultSeed.currency,
});

export const resellerClientId = outputs.resellerClientId;
export const resellerServiceId = outputs.resellerServiceId;
export const endUserPanelUrl = outputs.endUserPanelUrl;
export const endUserFrontend = outputs.endUserFrontend;
