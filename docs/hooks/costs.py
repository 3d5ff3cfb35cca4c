"""The cost table of the prerequisites page, from the layout's instance types (`<!-- costs -->`)."""

from __future__ import annotations

from collections import Counter

from services.deploy.layout import Layout

PRICES_DATE = "2026-11-24"
REGION = "ap-south-1 (Mumbai)"
# On-demand Linux prices in USD per hour that we assume (AWS pricing page, region above). Check them
# on https://aws.amazon.com/ec2/pricing/on-demand/ before you start: AWS changes them.
HOURLY_USD = {"t2.micro": 0.0124, "t2.small": 0.0248, "t2.medium": 0.0496}
# Red Hat's licence for the RHEL 9 AMI, per vCPU-hour (assumed; the AMI's Marketplace page has the current figure).
RHEL_PER_VCPU_HOUR = 0.0144
NAT_GATEWAY_HOUR = 0.056


def costs_table(layout: Layout) -> str:
    counts = Counter(host.size for host in layout.hosts)
    lines = [
        "| Instance type | Hosts | vCPU | Memory | USD/hour each (Linux) | + RHEL licence | Subtotal/hour |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    total = 0.0
    for size, count in sorted(counts.items(), key=lambda item: item[0].name):
        base = HOURLY_USD[size.name]
        rhel = RHEL_PER_VCPU_HOUR * size.cpus
        subtotal = count * (base + rhel)
        total += subtotal
        lines.append(
            f"| {size.name} | {count} | {size.cpus} | {size.memory_mb // 1024} GiB | {base:.4f} | {rhel:.4f} "
            f"| {subtotal:.4f} |"
        )
    lines.append(f"| NAT gateway | 1 | | | {NAT_GATEWAY_HOUR:.4f} | | {NAT_GATEWAY_HOUR:.4f} |")
    total += NAT_GATEWAY_HOUR
    lines.append(f"| **Total** | **{sum(counts.values())}** | | | | | **{total:.2f}** |")
    lines += ["", f"About **US${total:.2f} per hour**: US${total * 24:.2f} for a day left running."]
    return "\n".join(lines) + "\n"


def laptop_table(layout: Layout) -> str:
    lines = ["| Host | VM CPUs | VM memory |", "| --- | --- | --- |"]
    lines += [f"| {h.name} | {h.size.cpus} | {h.size.vm_memory_mb} MB |" for h in layout.hosts]
    memory = sum(h.size.vm_memory_mb for h in layout.hosts)
    lines.append(f"| **all {len(layout.hosts)}** | | **{memory / 1024:.1f} GiB** |")
    return "\n".join(lines) + "\n"
