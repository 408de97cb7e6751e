import { resources, ResourceKind } from "../../provider/registry";

type Props = Record<string, unknown>;

/** An object the round created and must delete again. */
export interface Managed {
    kind: ResourceKind;
    label: string;
    id: string;
    outs: Props;
}

/**
 * Calls the provider's own resource implementations in the order the Pulumi engine
 * does (check before create and update, diff before update), so the round exercises
 * exactly the code a `pulumi up` runs.
 */
export const driver = {
    async check(kind: ResourceKind, news: Props, olds: Props = {}): Promise<Props> {
        const r = await resources[kind].check!(olds, news);
        if (r.failures?.length) throw new Error(`check() refused the inputs: ${r.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        return (r.inputs ?? news) as Props;
    },

    /** Creates; an object Fleio made before a later step failed is still returned for clean-up, via `onCreated`. */
    async create(kind: ResourceKind, label: string, inputs: Props, onCreated: (m: Managed) => void): Promise<Managed> {
        const checked = await driver.check(kind, inputs);
        try {
            const r = await resources[kind].create(checked);
            const m = { kind, label, id: r.id, outs: (r.outs ?? {}) as Props };
            onCreated(m);
            return m;
        } catch (e) {
            // PartialCreate: the object exists in Fleio although create failed.
            const partial = e as { id?: unknown; properties?: Props };
            if (typeof partial.id === "string") onCreated({ kind, label, id: partial.id, outs: partial.properties ?? checked });
            throw e;
        }
    },

    /** The object as read() sees it now, or undefined when read() says it is gone. */
    async read(m: Managed): Promise<Props | undefined> {
        const r = await resources[m.kind].read!(m.id, m.outs);
        return r.id ? (r.props as Props) : undefined;
    },

    /** Updates in place; a diff that wants a replacement or sees no change is an error here. */
    async update(m: Managed, news: Props): Promise<Props> {
        const checked = await driver.check(m.kind, news, m.outs);
        const d = await resources[m.kind].diff!(m.id, m.outs, checked);
        if (!d.changes) throw new Error("diff() reports no change for a changed input");
        if (d.replaces?.length) throw new Error(`diff() wants a replacement (${d.replaces.join(", ")}) for an in-place change`);
        const r = await resources[m.kind].update!(m.id, m.outs, checked);
        m.outs = (r.outs ?? {}) as Props;
        return m.outs;
    },

    async delete(m: Managed): Promise<void> {
        await resources[m.kind].delete!(m.id, m.outs);
    },
};
