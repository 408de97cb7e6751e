/** An expected failure: its message is printed as it is, without a stack trace. */
export class CliError extends Error {
    constructor(
        message: string,
        /** 1: the operation failed; 2: the command was used wrongly (bad flag, missing setting). */
        readonly exitCode: 1 | 2 = 1,
    ) {
        super(message);
    }
}

export const usage = (message: string) => new CliError(message, 2);

/** A whole number of at least 1 given to a flag, or a usage error naming the flag. */
export function positiveInt(flag: string, value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw usage(`${flag} must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
    return n;
}

/** A setting from the environment, or a usage error saying how to set it. */
export function fromEnv(name: string, how: string): string {
    const v = process.env[name];
    if (!v) throw usage(`${name} is not set: ${how}`);
    return v;
}
