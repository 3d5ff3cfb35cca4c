"""Which port every part of the local shop uses: the spec's ports, or a block of ports from a base.

A base port lets a second shop (a test, a second checkout) run beside the first: Nginx on the base,
the services on base+1..base+6 in the spec's order, the data stores on base+10..base+13.
"""

from __future__ import annotations

import json
import random
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path

from services.common.config import SERVICE_PORTS

SPEC_HTTP_PORT = 8080  # the all-in-one layout's http_port
SPEC_STORE_PORTS = {"redis": 6379, "mysql": 3306, "rabbitmq": 5672, "mongodb": 27017}
STORE_OFFSETS = {"redis": 10, "mysql": 11, "rabbitmq": 12, "mongodb": 13}
BLOCK_SIZE = 14


@dataclass(frozen=True)
class Ports:
    http: int = SPEC_HTTP_PORT
    services: dict[str, int] = field(default_factory=lambda: dict(SERVICE_PORTS))
    stores: dict[str, int] = field(default_factory=lambda: dict(SPEC_STORE_PORTS))

    @classmethod
    def from_base(cls, base: int) -> Ports:
        if not 1024 <= base <= 65535 - BLOCK_SIZE:
            raise ValueError(f"port base must be between 1024 and {65535 - BLOCK_SIZE}, got {base}")
        services = {name: base + port - SPEC_HTTP_PORT for name, port in SERVICE_PORTS.items()}
        stores = {name: base + offset for name, offset in STORE_OFFSETS.items()}
        return cls(http=base, services=services, stores=stores)

    def all(self) -> list[int]:
        return [self.http, *self.services.values(), *self.stores.values()]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> Ports:
        """The ports a shop was started with; the spec's ports if it never was."""
        if not path.exists():
            return cls()
        return cls(**json.loads(path.read_text()))


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_base(tries: int = 100) -> int:
    """A port base whose whole block is free, below Linux's ephemeral range (32768+) so that no
    outgoing connection is handed one of its ports later."""
    for _ in range(tries):
        base = random.randrange(20000, 32768 - BLOCK_SIZE)
        if all(_free(port) for port in range(base, base + BLOCK_SIZE)):
            return base
    raise RuntimeError(f"no free block of {BLOCK_SIZE} ports found in {tries} tries")
