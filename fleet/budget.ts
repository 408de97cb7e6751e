/**
 * One Fleio request budget for the whole fleet, in its simplest honest form: a static
 * split. Each stack's provider process caps its own requests in flight
 * (fleio:maxConcurrency), so running `parallel` stacks at once with `budget / parallel`
 * each keeps the fleet at or under `budget` requests in flight. It is not a shared
 * token bucket: a stack that is idle or finishing leaves its share unused rather than
 * lending it to the others. When the budget is smaller than the parallelism, fewer
 * stacks run at once, so every stack still gets at least one request in flight.
 */
export interface BudgetPlan {
    /** Stacks running at once. */
    parallel: number;
    /** fleio:maxConcurrency of each stack. */
    perStack: number;
}

export function splitBudget(budget: number, parallel: number, stacks: number): BudgetPlan {
    for (const [name, v] of [["budget", budget], ["parallel", parallel]] as const) {
        if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number of at least 1 (got ${v})`);
    }
    const running = Math.max(1, Math.min(parallel, budget, stacks));
    // fleio:maxConcurrency accepts 1..64.
    return { parallel: running, perStack: Math.min(64, Math.floor(budget / running)) };
}
