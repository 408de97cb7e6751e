/**
 * pulumi-fleio: declare a Fleio reseller setup as code.
 *
 * Resources: Reseller, OpenstackPlan, PricingRule, ResellerService, FrontendDomain,
 * Configuration; the ResellerOnboarding component; look-ups of existing objects.
 * Credentials: stack config `fleio:url` and secret `fleio:token` (or FLEIO_URL / FLEIO_TOKEN).
 */
export * from "./resources";
export * from "./lookups";
export { ResellerOnboarding, ResellerOnboardingArgs, PlanSpec, RuleSpec, TemplateSpec, ExistingPlan, ConfigurationSpec, withMarkup, derivePlanRules } from "./onboarding";
export { CatalogPlan, CatalogPlanArgs } from "./catalog-plan";
export { ProgramError } from "./claims";
export { FLEIO_PRICE_PLACES, FLEIO_TIER_PRICE_PLACES } from "./decimal";
export * from "./gitops";
