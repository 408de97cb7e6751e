import { Command } from "commander";

export function discoverCommand(parent: Command, _done: (code: number) => void): Command {
    return parent.command("discover").description("placeholder");
}
