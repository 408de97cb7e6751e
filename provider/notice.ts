import { redact } from "./client/redact";

/** Where notices go: stderr for the dynamic provider, the engine's Log service for the native plugin. */
let sink: (line: string) => void = (line) => process.stderr.write(line + "\n");

/**
 * Tells the user something the engine has no field for, e.g. what Fleio kept after a
 * delete (a delete returns no outputs). The engine shows a dynamic provider's stderr
 * lines in the update's output; it hides a native plugin's, which sets its own sink.
 */
export function notice(message: string): void {
    sink(redact(`pulumi-fleio: ${message}`));
}

/** The native plugin sends notices through the engine's Log service (provider/plugin/server.ts). */
export function setNoticeSink(to: (line: string) => void): void {
    sink = to;
}

/** Like notice(), for something that may go wrong later, e.g. a check a preview had to skip. */
export function warning(message: string): void {
    notice(`warning: ${message}`);
}
