"""The firewall lets each port be opened only by the roles layout.yml lists in its `from:`.

Probed from the client host itself (`bash -c '</dev/tcp/ADDR/PORT'`), as a student would test it."""

from checks.catalog import check


@check(
    "{prefix}-06",
    points=1,
    hint="{client} cannot open {address}:{port} ({component}) although it needs it: on {host}, allow {client}'s "
    "address to port {port} in the firewall rules (cloudkart.nft / firewalld) and check the bind address",
)
def test_allowed_client_can_connect(reachability, allowed_probe):
    listen = allowed_probe.listen
    assert reachability.can_connect(allowed_probe.client, listen.address, listen.port), (
        f"{allowed_probe.client} could not connect to {listen.address}:{listen.port}"
    )


@check(
    "{prefix}-07",
    points=1,
    hint="{client} can open {address}:{port} ({component}) but has no business there: on {host}, the firewall "
    "must accept port {port} only from the roles that use it (least privilege), and drop the rest",
)
def test_other_client_is_blocked(reachability, blocked_probe):
    listen = blocked_probe.listen
    assert not reachability.can_connect(blocked_probe.client, listen.address, listen.port), (
        f"{blocked_probe.client} connected to {listen.address}:{listen.port}, which the firewall should drop"
    )
