import * as pulumi from "@pulumi/pulumi";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/**
 * Pulumi's runtime mocks (a preview) recording every resource registration into the
 * list returned; each resource answers its inputs with fixed ids (client 11, plan 22,
 * service 33) so the children that read them can register too.
 */
export async function recordRegistrations(): Promise<Registered[]> {
    const registered: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                registered.push({ type: a.type, name: a.name, inputs: a.inputs });
                return { id: `${a.name}-id`, state: { ...a.inputs, clientId: "11", planId: "22", serviceId: "33" } };
            },
            call: () => ({}),
        },
        "project",
        "stack",
        true,
    );
    return registered;
}
