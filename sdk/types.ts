import * as pulumi from "@pulumi/pulumi";
import { refusePlainToken } from "./token-guard";

/** Each field of a plain input type, accepting a Pulumi Input (a value, promise or Output). */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<InputDeep<T[K]>> };
type InputDeep<T> = T extends (infer E)[] ? pulumi.Input<InputDeep<E>>[] : T extends object ? { [K in keyof T]: pulumi.Input<InputDeep<T[K]>> } : T;

/** Each field of an output type, as the Pulumi Output the resource class exposes. */
export type Outputs<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/** The module in every type token: pulumi-nodejs:dynamic/fleio:<Kind>. */
export const MODULE = "fleio";

/**
 * Props for the engine: inputs, plus every output name set to undefined so it is
 * registered. Every resource builds its props here before it registers, which makes
 * this the one place to refuse a plain-text token before anything reaches the backend.
 */
export function withOutputs(args: object, outputNames: readonly string[]): Record<string, unknown> {
    refusePlainToken();
    const props: Record<string, unknown> = Object.fromEntries(outputNames.map((n) => [n, undefined]));
    return Object.assign(props, args);
}

/**
 * Makes an output that is the resource's own Fleio id follow the id itself. An update
 * never changes an id, and the engine keeps a changing resource's id known in a
 * preview, but the dynamic provider's host takes no part in previews (3.248: the
 * engine then knows the new inputs only, every other output unknown), so what is keyed
 * on this output (a service on its client, a rule on its plan) would show replaced.
 */
export function idOutput(resource: pulumi.CustomResource, name: string): void {
    (resource as unknown as Record<string, pulumi.Output<string>>)[name] = resource.id.apply((id) => String(id));
}
