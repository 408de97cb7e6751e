// Every resellers/*.yaml file is one reseller (the data format: pulumi-fleio's
// docs/gitops-format.md). Adding a reseller is adding a file; repricing is editing one.
// CI runs `pulumi preview` on pull requests and `pulumi up` on merge.
import * as path from "node:path";
import { gitopsProgram } from "pulumi-fleio";

export const endUserPanels = gitopsProgram(path.join(__dirname, "resellers"));
