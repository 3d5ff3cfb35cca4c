"""Which embedded MongoDB-compatible store should CloudKart use when MONGO_URL is empty?

Compares briskdb (embedded, and its Mongo wire listener used through real pymongo), montydb (SQLite
storage) and mongita (disk) on exactly the calls the user and catalogue services make, persistence
across a reopen, several processes writing the same folder at once, and speed. Prints one table;
the speed columns are also given as a ratio to the baseline (briskdb embedded), measured in the same run.

    .venv/bin/python bench/mongo_stores.py [--ops 300] [--procs 4] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import re
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

warnings.filterwarnings("ignore")


# --- the candidates: each opens a folder and gives a database with the pymongo-shaped API -----------


@contextlib.contextmanager
def briskdb_embedded(folder: Path) -> Iterator[Any]:
    import briskdb

    from services.common.mongo import EMBEDDED_SHARDS

    client = briskdb.MongoClient(folder=str(folder), shards=EMBEDDED_SHARDS)
    try:
        yield client["bench"]
    finally:
        client.close()


@contextlib.contextmanager
def briskdb_listener(folder: Path) -> Iterator[Any]:
    # The stand-in's shape: the folder is served by a listener, clients are plain pymongo.
    import briskdb
    import pymongo

    from services.common.mongo import embedded_shards

    store = briskdb.open(str(folder), shards=embedded_shards(folder), documents=True)
    server = store.serve(mongo="127.0.0.1:0")
    (folder / "address").write_text(server.mongo_address)
    client = pymongo.MongoClient(f"mongodb://{server.mongo_address}/?directConnection=true")
    try:
        yield client["bench"]
    finally:
        client.close()
        server.close()
        store.close()


@contextlib.contextmanager
def cloudkart_standin(folder: Path) -> Iterator[Any]:
    # What `cloudkart up` and the test hosts run: briskdb's listener behind CloudKart's relay, in its own process.
    import json
    import signal
    import socket
    import subprocess
    import sys

    import pymongo

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("cloudkart")), "mongo-standin", "--listen", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.PIPE, text=True)
    json.loads(process.stdout.readline())  # the "listening" line: it accepts connections from here on
    (folder / "address").write_text(f"127.0.0.1:{port}")
    client = pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true")
    try:
        yield client["bench"]
    finally:
        client.close()
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


@contextlib.contextmanager
def montydb_sqlite(folder: Path) -> Iterator[Any]:
    from montydb import MontyClient, set_storage

    if not (folder / "monty.storage.cfg").exists():
        set_storage(str(folder), storage="sqlite")
    client = MontyClient(str(folder))
    try:
        yield client["bench"]
    finally:
        client.close()


@contextlib.contextmanager
def mongita_disk(folder: Path) -> Iterator[Any]:
    from mongita import MongitaClientDisk

    client = MongitaClientDisk(host=str(folder))
    try:
        yield client["bench"]
    finally:
        client.close()


CANDIDATES: dict[str, Callable[[Path], contextlib.AbstractContextManager[Any]]] = {
    "briskdb embedded": briskdb_embedded,
    "briskdb listener": briskdb_listener,
    "cloudkart mongo-standin": cloudkart_standin,
    "montydb (sqlite)": montydb_sqlite,
    "mongita (disk)": mongita_disk,
}
BASELINE = "briskdb embedded"
LICENSES = {
    "briskdb embedded": "MIT, beta",
    "briskdb listener": "MIT, beta",
    "cloudkart mongo-standin": "MIT (briskdb), beta",
    "montydb (sqlite)": "BSD-3",
    "mongita (disk)": "BSD-3",
}


# --- compatibility: each probe returns True when the store answers as MongoDB would ------------------


def probe_unique_index(db: Any) -> bool | str:
    db.users.create_index("username", unique=True)
    db.users.create_index("username", unique=True)  # idempotent, as each service start does
    db.users.insert_one({"username": "ada", "email": "ada@example.com"})
    try:
        db.users.insert_one({"username": "ada", "email": "other@example.com"})
    except Exception as exc:
        # The services catch pymongo's DuplicateKeyError by class.
        import pymongo.errors

        if isinstance(exc, pymongo.errors.DuplicateKeyError):
            return True
        return f"no ({type(exc).__module__.split('.')[0]}'s own {type(exc).__name__})"
    return "no (duplicate accepted)"


PRODUCTS = [
    {"sku": "Linux", "name": "Linux Administration", "description": "shell", "qty": 5, "categories": ["Linux"]},
    {"sku": "Docker", "name": "Docker", "description": "containers on linux", "qty": 1, "categories": ["Containers"]},
    {"sku": "Go", "name": "Go", "description": "code", "qty": 9, "categories": ["Programming", "Linux"]},
]


def seeded(db: Any) -> Any:
    if db.products.count_documents({}) == 0:
        db.products.insert_many([dict(p) for p in PRODUCTS])
    return db.products


def probe_regex(db: Any) -> bool:
    pattern = {"$regex": re.escape("LINUX"), "$options": "i"}
    found = seeded(db).find({"$or": [{"name": pattern}, {"description": pattern}]}, {"_id": 0, "sku": 1})
    return sorted(p["sku"] for p in found) == ["Docker", "Linux"]


def probe_distinct(db: Any) -> bool:
    return sorted(seeded(db).distinct("categories")) == ["Containers", "Linux", "Programming"]


def probe_conditional_inc(db: Any) -> bool:
    products = seeded(db)
    short = products.update_one({"sku": "Docker", "qty": {"$gte": 2}}, {"$inc": {"qty": -2}})
    enough = products.update_one({"sku": "Linux", "qty": {"$gte": 2}}, {"$inc": {"qty": -2}})
    return short.modified_count == 0 and enough.modified_count == 1 and products.find_one({"sku": "Linux"})["qty"] == 3


def probe_sort_limit(db: Any) -> bool:
    found = seeded(db).find({}, {"_id": 0, "sku": 1}).sort("sku", -1).limit(2)
    return [p["sku"] for p in found] == ["Linux", "Go"]


def probe_count(db: Any) -> bool:
    return seeded(db).count_documents({"categories": "Linux"}) == 2


PROBES: dict[str, Callable[[Any], bool | str]] = {
    "unique+dup": probe_unique_index,
    "$regex": probe_regex,
    "distinct": probe_distinct,
    "cond $inc": probe_conditional_inc,
    "sort/limit": probe_sort_limit,
    "count": probe_count,
}


def run_probe(probe: Callable[[Any], bool | str], db: Any) -> str:
    try:
        answer = probe(db)
        return answer if isinstance(answer, str) else ("yes" if answer else "WRONG")
    except Exception as exc:
        return f"no ({type(exc).__name__})"


def persists(opener: Callable[[Path], Any], folder: Path) -> str:
    with opener(folder) as db:
        db.persist.insert_one({"k": "v"})
    try:
        with opener(folder) as db:
            return "yes" if db.persist.count_documents({"k": "v"}) == 1 else "LOST"
    except Exception as exc:
        return f"no ({type(exc).__name__})"


# --- several processes writing at once ----------------------------------------------------------------


def _writer(name: str, folder: str, worker: int, count: int, address: str | None) -> tuple[int, int, str]:
    """In a spawned process: insert `count` documents and take one unit of the shared stock per document,
    as reservations do (retrying write conflicts like the services). Returns (written, taken, first error)."""
    from services.common.mongo import retry_conflicts

    warnings.filterwarnings("ignore")
    written, taken, error = 0, 0, ""
    try:
        if address:
            import pymongo

            client = pymongo.MongoClient(f"mongodb://{address}/?directConnection=true")
            db = client["bench"]
            opened: contextlib.AbstractContextManager[Any] = contextlib.nullcontext(db)
        else:
            opened = CANDIDATES[name](Path(folder))
        with opened as db:
            for i in range(count):
                try:
                    db.shared.insert_one({"worker": worker, "i": i})
                    written += 1
                    take = {"_id": "stock", "qty": {"$gte": 1}}, {"$inc": {"qty": -1}}
                    taken += retry_conflicts(lambda take=take: db.stock.update_one(*take)).modified_count
                except Exception as exc:
                    error = error or type(exc).__name__
    except Exception as exc:
        error = error or f"open: {type(exc).__name__}"
    return written, taken, error


STOCK = 1_000_000


def _read_back(db: Any, attempts: int = 3) -> tuple[int, int]:
    """(documents the writers stored, stock left), retried: a store may be briefly busy as writers exit."""

    def read() -> tuple[int, int]:
        return db.shared.count_documents({"worker": {"$gte": 0}}), db.stock.find_one({"_id": "stock"})["qty"]

    for _ in range(attempts - 1):
        try:
            return read()
        except Exception:
            time.sleep(1)
    return read()


def multi_process(name: str, folder: Path, procs: int, per_proc: int) -> str:
    opener = CANDIDATES[name]
    with opener(folder) as db:
        db.shared.insert_one({"worker": -1})  # the folder exists and is initialised before writers start
        db.stock.insert_one({"_id": "stock", "qty": STOCK})
        address = (folder / "address").read_text() if (folder / "address").exists() else None
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(procs) as pool:
            results = pool.starmap(_writer, [(name, str(folder), w, per_proc, address) for w in range(procs)])
        try:
            stored, left = _read_back(db)
        except Exception as exc:
            return f"no (reading back after the writers: {type(exc).__name__})"
    written = sum(r[0] for r in results)
    taken = sum(r[1] for r in results)
    errors = {r[2] for r in results if r[2]}
    expected = procs * per_proc
    if stored == expected and STOCK - left == taken == expected and not errors:
        return "yes"
    detail = f"{stored}/{expected} stored"
    if written != stored:
        detail += f", {written - stored} acked but lost"
    if STOCK - left != taken:
        detail += f", stock off by {STOCK - left - taken}"
    return f"no ({detail}{'; ' + ', '.join(sorted(errors)) if errors else ''})"


# --- speed --------------------------------------------------------------------------------------------


@dataclass
class Speed:
    ops: dict[str, float] = field(default_factory=dict)  # operation -> ops/s


def speed(db: Any, ops: int) -> Speed:
    result = Speed()
    db.speed.create_index("key", unique=True)

    def timed(label: str, action: Callable[[int], Any]) -> None:
        start = time.perf_counter()
        for i in range(ops):
            action(i)
        result.ops[label] = ops / (time.perf_counter() - start)

    timed(
        "insert ops/s", lambda i: db.speed.insert_one({"key": f"k{i}", "qty": 1_000_000, "name": f"Course number {i}"})
    )
    timed("find by key ops/s", lambda i: db.speed.find_one({"key": f"k{i}"}, {"_id": 0}))
    timed("cond $inc ops/s", lambda i: db.speed.update_one({"key": f"k{i}", "qty": {"$gte": 1}}, {"$inc": {"qty": -1}}))
    timed(
        "$regex search ops/s",
        lambda i: list(db.speed.find({"name": {"$regex": re.escape(f"number {i}"), "$options": "i"}}).limit(5)),
    )
    return result


# --- the table ------------------------------------------------------------------------------------------


def measure(name: str, root: Path, ops: int, procs: int, rounds: int) -> dict[str, str | float]:
    opener = CANDIDATES[name]
    row: dict[str, str | float] = {}
    with opener(root / "compat") as db:
        for label, probe in PROBES.items():
            row[label] = run_probe(probe, db)
    row["reopen"] = persists(opener, root / "persist")
    # Failures here come and go with timing, so one round proves little: count the rounds that held.
    outcomes = [multi_process(name, root / f"procs-{r}", procs, ops // procs) for r in range(rounds)]
    failures = [o for o in outcomes if o != "yes"]
    row["multi-process"] = f"{rounds - len(failures)}/{rounds} rounds ok" + (f"; {failures[0]}" if failures else "")
    try:
        with opener(root / "speed") as db:
            row.update(speed(db, ops).ops)
    except Exception as exc:
        row["speed error"] = type(exc).__name__
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=300, help="operations per speed measurement")
    parser.add_argument("--procs", type=int, default=4, help="processes writing at once")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the multi-process check")
    args = parser.parse_args()

    console = Console(width=150)
    rows: dict[str, dict[str, str | float]] = {}
    with tempfile.TemporaryDirectory() as tmp, console.status("measuring") as status:
        for name in CANDIDATES:
            status.update(f"measuring {name}")
            folder = Path(tmp) / re.sub(r"\W+", "-", name)
            folder.mkdir()
            rows[name] = measure(name, folder, args.ops, args.procs, args.rounds)

    speed_labels = ["insert ops/s", "find by key ops/s", "cond $inc ops/s", "$regex search ops/s"]
    # One row per check, one column per store: four stores fit a terminal, fourteen checks would not.
    table = Table(title=f"Embedded MongoDB-compatible stores ({args.ops} ops per speed row; ratio vs {BASELINE})")
    table.add_column("check")
    for name in rows:
        table.add_column(name, overflow="fold")
    base = rows[BASELINE]
    for label in [*PROBES, "reopen", "multi-process"]:
        table.add_row(label, *(str(row.get(label, "-")) for row in rows.values()))
    for label in speed_labels:
        cells = []
        for row in rows.values():
            value, reference = row.get(label), base.get(label)
            if isinstance(value, float) and isinstance(reference, float):
                cells.append(f"{value:,.0f} ({value / reference:.2f}x)")
            else:
                cells.append(str(row.get("speed error", "-")))
        table.add_row(label, *cells)
    table.add_row("license, status", *(LICENSES[name] for name in rows))
    console.print(table)


if __name__ == "__main__":
    main()
