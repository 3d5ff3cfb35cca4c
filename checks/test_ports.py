"""Each port listens where its peers can reach it, and data stores listen nowhere else."""

from checks.catalog import check

LOOPBACK = {"127.0.0.1", "::1"}
WILDCARD = {"0.0.0.0", "::"}


def _bound_addresses(host, port: int) -> set[str]:
    addresses = set()
    for spec in host.socket.get_listening_sockets():
        if spec.startswith("tcp://"):
            address, _, bound_port = spec[len("tcp://") :].rpartition(":")
            if bound_port == str(port):
                addresses.add(address.strip("[]"))
    return addresses


@check(
    "{prefix}-04",
    points=2,
    hint="nothing listens on {address}:{port}, so the other hosts cannot reach {component}: check the listen or "
    "bind address in its config (the host's private address {address}) and that the unit is running",
)
def test_port_listens_on_private_address(host, listen):
    bound = _bound_addresses(host, listen.port)
    assert bound & ({listen.address} | WILDCARD), (
        f"port {listen.port} listens on {sorted(bound) or 'no address'}, expected {listen.address}"
    )


@check(
    "{prefix}-05",
    points=2,
    hint="{component} on port {port} must listen only on the private address {address} (and loopback), never on "
    "all interfaces or a public one: set its bind address in its config file and restart it",
)
def test_datastore_not_on_public_interface(host, datastore_listen):
    bound = _bound_addresses(host, datastore_listen.port)
    assert bound, f"nothing listens on port {datastore_listen.port}"
    exposed = bound - LOOPBACK - {datastore_listen.address}
    assert not exposed, (
        f"port {datastore_listen.port} also listens on {sorted(exposed)}; only {datastore_listen.address} is private"
    )
