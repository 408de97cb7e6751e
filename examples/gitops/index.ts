// Entry point for `pulumi preview` / `pulumi up` in a GitOps repository laid out like
// this folder (Pulumi.yaml, resellers/*.yaml); the pipeline runs it (pipeline.ts).
import * as path from "node:path";
import { gitopsProgram } from "./program";

export const endUserPanels = gitopsProgram(path.join(__dirname, "resellers"));
