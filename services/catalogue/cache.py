"""A small in-process read-through cache with a time to live, safe to share between waitress threads.

Only successful loads are kept: an exception from the loader reaches the caller and nothing is stored.
Cached values are shared between requests, so callers treat them as read-only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import prometheus_client

T = TypeVar("T")

# On /metrics: the hit ratio shows whether the TTL is long enough for the traffic.
READS = prometheus_client.Counter("catalogue_cache_reads", "Catalogue reads, by who answered them.", ["answered_by"])

# Search words come from clients, so the key space is unbounded; this caps the memory they can take.
MAX_ENTRIES = 1024


class TtlCache:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        # One load per key at a time: when an entry expires under load, the other readers wait for it
        # instead of all querying the store at once.
        self._loading: dict[Hashable, threading.Event] = {}
        # Bumped by clear(): a load that began before a clear may hold the old data and is not kept.
        self._generation = 0

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The fresh cached value of `key`, else `load()` (kept for `seconds` if nothing cleared meanwhile)."""
        if self.seconds <= 0:
            READS.labels("store").inc()
            return load()
        with self._lock:
            hit = self._fresh(key)
            if hit is not None:
                READS.labels("cache").inc()
                return hit[1]
            loading = self._loading.get(key)
            leader = loading is None
            if leader:
                loading = self._loading[key] = threading.Event()
        if not leader:
            loading.wait()
            with self._lock:
                hit = self._fresh(key)
            if hit is not None:
                READS.labels("cache").inc()
                return hit[1]
            # The leader failed, or a clear() dropped its result: load for ourselves.
            return self._load_and_keep(key, load)
        try:
            return self._load_and_keep(key, load)
        finally:
            with self._lock:
                del self._loading[key]
            loading.set()

    def clear(self) -> None:
        """Forget everything now, including loads still in flight."""
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def _fresh(self, key: Hashable) -> tuple[float, Any] | None:
        entry = self._entries.get(key)
        return entry if entry is not None and entry[0] > self._clock() else None

    def _load_and_keep(self, key: Hashable, load: Callable[[], T]) -> T:
        with self._lock:
            generation = self._generation
        # The clock starts before the read, so no value is ever served more than `seconds` after it was read.
        expires = self._clock() + self.seconds
        READS.labels("store").inc()
        value = load()
        with self._lock:
            if generation == self._generation:
                self._entries.pop(key, None)
                self._make_room()
                self._entries[key] = (expires, value)
        return value

    def _make_room(self) -> None:
        if len(self._entries) < MAX_ENTRIES:
            return
        now = self._clock()
        for key in [k for k, (expires, _) in self._entries.items() if expires <= now]:
            del self._entries[key]
        while len(self._entries) >= MAX_ENTRIES:
            # Dicts keep insertion order: the first key is the oldest entry.
            del self._entries[next(iter(self._entries))]
