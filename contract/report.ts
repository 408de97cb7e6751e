/**
 * What the contract suite produces: one result per check, a verdict, and the two ways
 * of printing them (lines for people, JSON for pipelines).
 */

export type Status = "PASS" | "WARN" | "FAIL" | "INFO";

export interface CheckResult {
    status: Status;
    /** Short stable name, e.g. "auth" or "shape:plans". */
    check: string;
    detail: string;
}

export interface ContractReport {
    checks: CheckResult[];
    verdict: "fits" | "misfit";
    /** The verdict as one line: `verdict: …`. */
    verdictLine: string;
    /** 0 fits, 1 misfit (2, a usage error, never gets this far). */
    exitCode: 0 | 1;
}

export function summarise(checks: CheckResult[]): ContractReport {
    const count = (s: Status) => checks.filter((c) => c.status === s).length;
    const failed = checks.filter((c) => c.status === "FAIL");
    const fits = failed.length === 0;
    const warnings = count("WARN");
    const tally = `${count("PASS")} passed, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`;
    const verdictLine = fits
        ? `verdict: this Fleio fits pulumi-fleio (${tally})`
        : `verdict: does NOT fit: ${failed.map((c) => c.check).filter((c, i, all) => all.indexOf(c) === i).join(", ")} failed (${failed.length} failed, ${tally})`;
    return { checks, verdict: fits ? "fits" : "misfit", verdictLine, exitCode: fits ? 0 : 1 };
}

export function formatLine(c: CheckResult): string {
    return `${c.status}  ${c.check}  ${c.detail}`;
}

export function formatText(r: ContractReport): string {
    return [...r.checks.map(formatLine), r.verdictLine].join("\n");
}

export function formatJson(r: ContractReport): string {
    return JSON.stringify({ verdict: r.verdict, verdictLine: r.verdictLine, exitCode: r.exitCode, checks: r.checks }, null, 2);
}
