import { post, postMatching, takenOverAfterKill } from "./support/recovery";

// `pulumi up` killed mid-run, then the runbook "After an interrupted run" (docs/guides/recovery.md)
// (support/recovery.ts): objects with a unique key are taken over by the next up.

takenOverAfterKill("an up killed while a pricing rule was being created: the next up takes the rule over", 31, post("openstack/billing/pricerule"), "rules");
takenOverAfterKill(
    "an up killed while the reseller service was being ordered: the next up takes the service over",
    32,
    postMatching(/^clients\/\d+\/create_reseller_service$/),
    "services",
);
takenOverAfterKill("an up killed while the reseller client was being created: the next up takes it over by externalBillingId", 35, post("clients"), "clients");
takenOverAfterKill("an up killed while the reseller's configuration was being created: the next up takes it over", 36, post("configurations"), "configurations");
