/**
 * The GitOps data format (docs/gitops-format.md): one file per reseller, its schema,
 * its loader and the program that onboards a folder of them.
 */
export { GITOPS_FORMAT_VERSION, GITOPS_FORMAT_VERSIONS, resellerFile, gitopsRule, catalogPlanFile, configurationKey, ResellerFile, ResellerFileInput, GitopsRule, CatalogPlanFile, CatalogPlanFileInput } from "./format";
export { loadResellers, loadGitopsData, parseResellerFile, parseCatalogPlanFile, resellerName, DATA_FILE, CATALOG_DIR, GitopsData } from "./load";
export { gitopsProgram, onboardingArgs, catalogPlanArgs, ruleSpec, ruleConditions, CatalogIds, CATALOG_OUTPUT } from "./program";
export { renderYamlProgram, RenderYamlOptions, DEFAULT_PLUGIN_PATH } from "./yaml-program";
