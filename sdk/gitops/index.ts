/**
 * The GitOps data format (docs/gitops-format.md): one file per reseller, its schema,
 * its loader and the program that onboards a folder of them.
 */
export { GITOPS_FORMAT_VERSION, resellerFile, gitopsRule, ResellerFile, ResellerFileInput, GitopsRule } from "./format";
export { loadResellers, parseResellerFile, resellerName, DATA_FILE } from "./load";
export { gitopsProgram, onboardingArgs, ruleSpec, ruleConditions } from "./program";
export { renderYamlProgram, RenderYamlOptions, DEFAULT_PLUGIN_PATH } from "./yaml-program";
