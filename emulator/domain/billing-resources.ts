import { BillingResource, Db } from "../model";

/**
 * What pricerule/create_options tells about each billing resource
 * (fleiostaff/osbilling/views.py, resource.py, metrics_display_information.py).
 * Attribute choices come from OpenStack at request time; with no OpenStack behind
 * the emulator, flavors, zones and volume types are empty lists, while os_type
 * lists Fleio's fixed OS_TYPES.
 */

const OS_TYPES = ["altlinux", "arch", "centos", "cirros", "debian", "dos", "fedora", "fedora-atomic", "freebsd", "gnome", "macos", "mageia", "mandrake", "mandriva", "netbsd", "netware", "openbsd", "opensuse", "rhel", "rhl", "solaris", "suse", "ubuntu", "windows"];

/** RESOURCE_ATTRIBUTES_HELPERS, keyed by (type, name). */
const CHOICES: Record<string, Record<string, () => string[]>> = {
    "service/instance": { instance_type: () => [], availability_zone: () => [], os_type: () => [...OS_TYPES] },
    "service/volume": { volume_type: () => [] },
    "internal/instance_traffic": { instance_type: () => [], availability_zone: () => [], os_type: () => [...OS_TYPES] },
};

const METRIC_HELP: Record<string, string> = {
    "storage.objects.incoming.bytes": "Total incoming traffic in Gigabytes per billing cycle. Price is per Gigabyte",
    "storage.objects.outgoing.bytes": "Total outgoing traffic in Gigabytes per billing cycle. Price is per Gigabyte",
    "storage.api.requests": "Total number of API requests during a month. Price is per request-month",
    "storage.objects": "The average number of objects in a month is computed. Price is per object-month",
    "storage.objects.size": "The average size used in a month. Price is per Gigabyte-month",
    "storage.objects.containers": "Average number of containers during a month. Price is per container-month",
    bandwidth: "Total number of Gigabytes transferred on a Layer 3 networking setup",
    "ip.floating": "The average number of Floating IPs is computed during a month. Price is per IP-month",
    incoming_public_traffic: "Total number of Gigabytes incoming on public IP addresses",
    incoming_private_traffic: "Total number of Gigabytes incoming on private IP addresses",
    outgoing_public_traffic: "Total number of Gigabytes outgoing on public IP addresses",
    outgoing_private_traffic: "Total number of Gigabytes outgoing on private IP addresses",
    total_public_traffic: "Total number of Gigabytes transferred on public IP addresses",
    total_private_traffic: "Total number of Gigabytes transferred on private IP addresses",
    total_traffic: "Total number of Gigabytes transferred on all IP addresses",
};

const METRIC_DISPLAY: Record<string, string> = {
    "storage.objects.incoming.bytes": "Incoming traffic",
    "storage.objects.outgoing.bytes": "Outgoing traffic",
    "storage.api.requests": "API request",
    "storage.objects": "Objects",
    "storage.objects.size": "Object size in GB",
    "storage.objects.containers": "Containers",
    "radosgw.api.requests": "API request",
    "radosgw.objects": "Objects",
    "radosgw.objects.size": "Object size in GB",
    "radosgw.objects.containers": "Containers",
    bandwidth: "Project traffic",
    "ip.floating": "Floating IPs",
    incoming_public_traffic: "Incoming public traffic",
    incoming_private_traffic: "Incoming private traffic",
    outgoing_public_traffic: "Outgoing public traffic",
    outgoing_private_traffic: "Outgoing private traffic",
    total_public_traffic: "Total public traffic",
    total_private_traffic: "Total private traffic",
    total_traffic: "Total traffic",
};

export function resourceOption(r: BillingResource) {
    const choices = CHOICES[`${r.type}/${r.name}`] ?? {};
    const metric = r.type === "metric" || r.type === "internal";
    return {
        name: r.display_name || r.name,
        type: r.type,
        id: r.id,
        attributes: (r.definition.attributes ?? []).map((a) => (choices[a.name] ? { ...a, choices: choices[a.name]() } : { ...a })),
        ...(r.definition.metrics
            ? { metrics: r.definition.metrics.map((m) => ({ name: m.name, help_text: METRIC_HELP[m.name] ?? "", display_name: METRIC_DISPLAY[m.name] ?? m.name })) }
            : {}),
        metric_display: metric,
        attribute_display: !metric,
    };
}

export const resourceOptions = (db: Db) => db.billing_resources.map(resourceOption);
