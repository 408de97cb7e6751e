/**
 * The fleet runner: GitOps reseller data split over several stacks, run side by side
 * under one Fleio request budget. `runFleet` is the Automation API entry point; the
 * CLI is `pulumi-fleio fleet up|preview|destroy …` (cli/fleet.ts).
 */
export { runFleet, FleetOptions, FleetReport, StackReport, FleetOperation, describeChanges } from "./run";
export { shardNames, shardOf, shardPreference, shardCapacity, assignShards, shardLookup } from "./shards";
export { fleetShards, stackSizeFromCurve, STACK_SIZE_CURVE } from "./stack-size";
export { splitBudget, BudgetPlan } from "./budget";
export { formatReport } from "./report";
