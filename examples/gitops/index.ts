// Entry point for `pulumi preview` / `pulumi up` in a GitOps repository laid out like
// this folder (Pulumi.yaml, resellers/*.yaml); the pipeline runs it (pipeline.ts). The
// data format, its loader and this program are the package's (docs/gitops-format.md).
import * as path from "node:path";
import { gitopsProgram } from "pulumi-fleio";

export const endUserPanels = gitopsProgram(path.join(__dirname, "resellers"));
