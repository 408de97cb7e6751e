import { redact } from "./client/redact";

/**
 * Tells the user something the engine has no field for, e.g. what Fleio kept after a
 * delete (a delete returns no outputs). The engine shows a provider's stderr lines in
 * the update's output, so one redacted line there is where a person will see it.
 */
export function notice(message: string): void {
    process.stderr.write(redact(`pulumi-fleio: ${message}`) + "\n");
}

/** Like notice(), for something that may go wrong later, e.g. a check a preview had to skip. */
export function warning(message: string): void {
    notice(`warning: ${message}`);
}
