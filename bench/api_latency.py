"""API latency: p50/p99 per endpoint at 1 and 50 concurrent clients, beside the spec's targets.

One command, self-contained:

    .venv/bin/python bench/api_latency.py            # ~2 minutes on 2 cores

It starts the whole shop (`services.localrun.shop.Shop`: private Redis, MariaDB, RabbitMQ and Mongo
stand-in on free ports, every service as its own process, as `cloudkart up` does), pads the cities
table to the spec's 948,000 rows, then measures each endpoint with a thread pool of clients on this
machine. The baseline, measured in the same run, is the cart's `/health` (the same waitress + Bottle
stack, no data store): what any endpoint costs before it does its own work. Endpoints of services that
are not there yet (their package is missing) are skipped and listed. Everything stops at the end.

The services inherit this environment: `CATALOGUE_CACHE_SECONDS=0 .venv/bin/python bench/api_latency.py`
measures the catalogue without its read cache (2026-11-24, loaded 2-core machine, 50 clients, cache on vs
off in the same session: catalogue products p99 93 vs 395 ms, 913 vs 147 req/s; cart add p99 195 vs 373 ms).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.localrun.ports import Ports, free_base
from services.localrun.shop import Shop
from services.shipping.cityimport import SPEC_ROWS, ImportPlan, run_import
from services.shipping.db import MySQLTarget

# The seed's performance targets (architecture.md, "Performance Metrics").
TARGET_MS = {"api": 200, "cart": 50, "shipping": 100}
# robot-shop's Node cart on this machine, wrk, 50 connections (shared/notes/reference-shop-pitfalls.md).
REFERENCE = {"cart get": "p99 15-20 ms, 5.2-5.4k req/s", "cart add": "p99 28-36 ms, 2.3-2.6k req/s"}
MATCHES = [("IN", "Hy"), ("IN", "B"), ("US", "San"), ("GB", "Lon"), ("DE", "M"), ("FR", "P"), ("BR", "S")]

TIMEOUT = 30
REGISTER_ATTEMPTS = 3
Request = Callable[[requests.Session, int], requests.Response]


@dataclass
class Result:
    latencies_ms: list[float]
    errors: Counter[int]  # status code -> how many answers had it instead of the expected one
    seconds: float

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds


def measure(request: Request, clients: int, total: int, ok: int = 200) -> Result:
    """`total` requests from `clients` threads at once; request(session, n) sends the n-th one."""
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: Counter[int] = Counter()

    def client(_: int) -> None:
        http = requests.Session()
        while True:
            with lock:
                n = next(counter)
            if n >= total:
                return
            start = time.perf_counter()
            answer = request(http, n)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if answer.status_code == ok:
                    latencies.append(elapsed)
                else:
                    errors[answer.status_code] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return Result(latencies, errors, time.perf_counter() - started)


class Shopper:
    """Registered users with sessions, made through the user service as a browser would."""

    def __init__(self, shop: Shop) -> None:
        self.user = shop.service_url("user")
        self.cart = shop.service_url("cart")
        self.register_failures = 0

    def new_session(self, _: int = 0) -> str:
        name = f"bench{uuid.uuid4().hex[:12]}"
        form = {"username": name, "email": f"{name}@example.com", "password": f"pw-{uuid.uuid4()}"}
        for _attempt in range(REGISTER_ATTEMPTS):
            registered = requests.post(f"{self.user}/api/user/register", json=form, timeout=TIMEOUT)
            if registered.status_code < 500:
                break
            self.register_failures += 1  # seen under concurrent registration; reported under the table
        registered.raise_for_status()
        login = requests.post(f"{self.user}/api/user/login", json=form, timeout=TIMEOUT)
        login.raise_for_status()
        return login.json()["sessionId"]

    def sessions(self, count: int) -> list[str]:
        with ThreadPoolExecutor(4) as pool:  # bcrypt makes each one take tens of ms
            return list(pool.map(self.new_session, range(count)))

    def fill(self, session_id: str, sku: str) -> None:
        answer = requests.post(
            f"{self.cart}/api/cart/items",
            json={"sku": sku, "qty": 1},
            headers={"X-Session-Id": session_id},
            timeout=TIMEOUT,
        )
        answer.raise_for_status()


def endpoints(shop: Shop, shopper: Shopper, skus: list[str], clients: int, total: int) -> list[tuple]:
    """(name, target key, request, expected status) for every endpoint whose service exists."""
    cart, catalogue, shipping = (shop.service_url(s) for s in ("cart", "catalogue", "shipping"))
    carts = shopper.sessions(clients)
    for session_id in carts:
        shopper.fill(session_id, skus[0])
    city_ids = [
        city["uuid"]
        for country, prefix in MATCHES
        for city in requests.get(f"{shipping}/api/shipping/match/{country}/{prefix}", timeout=TIMEOUT).json()
    ]

    def as_client(n: int) -> dict[str, str]:
        return {"X-Session-Id": carts[n % clients]}

    found = [
        ("baseline: cart /health", "api", lambda h, n: h.get(f"{cart}/health", timeout=TIMEOUT), 200),
        ("cart get", "cart", lambda h, n: h.get(f"{cart}/api/cart/", headers=as_client(n), timeout=TIMEOUT), 200),
        (
            "cart add",
            "cart",
            lambda h, n: h.post(
                f"{cart}/api/cart/items",
                json={"sku": skus[n % len(skus)], "qty": 1},
                headers=as_client(n),
                timeout=TIMEOUT,
            ),
            200,
        ),
        ("catalogue products", "api", lambda h, n: h.get(f"{catalogue}/api/catalogue/products", timeout=TIMEOUT), 200),
        (
            "shipping match",
            "shipping",
            lambda h, n: h.get(f"{shipping}/api/shipping/match/{'/'.join(MATCHES[n % len(MATCHES)])}", timeout=TIMEOUT),
            200,
        ),
        (
            "shipping calc",
            "shipping",
            lambda h, n: h.get(f"{shipping}/api/shipping/calc/{city_ids[n % len(city_ids)]}", timeout=TIMEOUT),
            200,
        ),
    ]
    if importlib.util.find_spec("services.payment.app"):
        # Each payment needs its own user with a filled cart: paying twice for one cart is refused.
        payers = shopper.sessions(total)
        for n, session_id in enumerate(payers):
            shopper.fill(session_id, skus[n % len(skus)])
        payment = shop.service_url("payment")
        found.append(
            (
                "payment pay",
                "api",
                lambda h, n: h.post(
                    f"{payment}/api/payment/pay/{payers[n]}", headers={"X-Session-Id": payers[n]}, timeout=TIMEOUT
                ),
                200,
            )
        )
    return found


def pad_cities(shop: Shop, rows: int, workdir: Path) -> None:
    run_import(MySQLTarget.from_url(shop.store_urls["mysql"]), ImportPlan(total=rows), workdir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint and concurrency (400)")
    parser.add_argument("--pay-requests", type=int, default=60, help="payments per concurrency (60; one user each)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50], help="concurrency levels (1 50)")
    parser.add_argument("--cities", type=int, default=SPEC_ROWS, help=f"rows in the cities table ({SPEC_ROWS})")
    args = parser.parse_args()
    console = Console(width=120)
    table = Table(title=f"API latency, ms ({args.requests} requests per row; {args.cities:,} cities)")
    for column in ("endpoint", "clients", "p50", "p99", "req/s", "errors", "target (p99)", "within"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")

    with tempfile.TemporaryDirectory(prefix="cloudkart-bench-") as tmp:
        Path(tmp).chmod(0o755)  # the shop's Nginx workers (user nobody) must reach its storefront folder
        shop = Shop(Path(tmp), Ports.from_base(free_base()))
        shopper: Shopper | None = None
        try:
            with console.status("starting the shop") as status:
                shop.up(step=lambda name: status.update(f"starting the shop: {name}"))
                status.update(f"padding cities to {args.cities:,}")
                pad_cities(shop, args.cities, Path(tmp))
            shopper = Shopper(shop)
            skus = [
                p["sku"]
                for p in requests.get(f"{shop.service_url('catalogue')}/api/catalogue/products", timeout=TIMEOUT).json()
            ]
            with Progress(console=console, transient=True) as progress:
                for clients in args.clients:
                    task = progress.add_task(f"{clients} client(s): preparing users", total=None)
                    rows = endpoints(shop, shopper, skus, clients, args.pay_requests)
                    progress.update(task, total=len(rows), completed=0)
                    for name, kind, request, ok in rows:
                        progress.update(task, description=f"{clients} client(s): {name}")
                        total = args.pay_requests if name == "payment pay" else args.requests
                        result = measure(request, clients, total, ok)
                        target = TARGET_MS[kind]
                        p99 = result.percentile(99)
                        table.add_row(
                            name,
                            str(clients),
                            f"{result.percentile(50):.1f}",
                            f"{p99:.1f}",
                            f"{result.rate:.0f}",
                            ", ".join(f"{n} x {status}" for status, n in sorted(result.errors.items())) or "0",
                            "-" if name.startswith("baseline") else f"< {target}",
                            "-" if name.startswith("baseline") else ("yes" if p99 < target else "NO"),
                        )
                        progress.advance(task)
        finally:
            shop.down()
            console.print(table)  # what was measured, even when a later step failed
    if shopper and shopper.register_failures:
        console.print(f"user service answered 5xx to {shopper.register_failures} registrations (retried)")
    for name, figure in REFERENCE.items():
        console.print(f"reference, robot-shop {name} at 50 connections (wrk, this machine): {figure}")
    if not importlib.util.find_spec("services.payment.app"):
        console.print("payment is not in this tree yet: its row is skipped")


if __name__ == "__main__":
    main()
