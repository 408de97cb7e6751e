// One reseller, steps 2–5 of Fleio's reseller guide in one component: its pricing plan,
// the reseller client and service, its end-user panel domain and its configuration.
// Edit the values, then `pulumi preview` and `pulumi up`. Reference: the pulumi-fleio docs.
import * as pulumi from "@pulumi/pulumi";
import * as fleio from "pulumi-fleio";

const config = new pulumi.Config();
const domain = config.get("resellerDomain") ?? "cloud.reseller.example";

const reseller = new fleio.ResellerOnboarding("first-reseller", {
    client: {
        firstName: "Ada",
        lastName: "Operator",
        company: "First Reseller",
        email: "ops@first-reseller.example",
        phone: "+49 30 1234567",
        address1: "1 Cloud Street",
        city: "Berlin",
        zipCode: "10115",
        country: "DE",
        currency: "EUR",
        externalBillingId: "first-reseller",
    },
    resellerPlan: {
        name: "First Reseller pricing",
        rules: [{ displayName: "m1.small per hour", resourceName: "instance", timeUnit: "hour", prices: [{ from: 0, price: "0.02" }], conditions: [{ attribute: "instance_type", operator: "eq", value: "m1.small" }] }],
    },
    service: { productName: "Reseller", cycle: "month" },
    domain,
    configuration: { name: "first-reseller", description: "First Reseller's customers" },
});

export const clientId = reseller.clientId;
export const endUserPanelUrl = reseller.endUserPanelUrl;
