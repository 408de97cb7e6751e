#!/usr/bin/env node
/**
 * Kept for older scripts: the contract suite is `pulumi-fleio contract` (cli/contract.ts).
 *
 *   FLEIO_TOKEN=… pulumi-fleio contract --url https://billing.example.com [--write]
 *
 * Exit code 0: this Fleio fits pulumi-fleio; 1: it does not; 2: usage error.
 */
import { runCli } from "../cli";

void runCli([process.argv[0], process.argv[1], "contract", ...process.argv.slice(2)]).then((code) => (process.exitCode = code));
