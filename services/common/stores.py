"""Connections to the data stores, with one rule: a store that does not answer is a 503 naming it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import redis

from services.common import config
from services.common.errors import Unavailable


def redis_client(setting: str) -> redis.Redis:
    """A Redis client for the URL in `setting` (SESSION_REDIS_URL or CART_REDIS_URL)."""
    timeout = config.get_float("HTTP_TIMEOUT")
    return redis.Redis.from_url(
        config.get(setting),
        decode_responses=True,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
    )


@contextlib.contextmanager
def unavailable_as_503(dependency: str, *errors: type[BaseException]) -> Iterator[None]:
    """Turn a store's connection errors into Unavailable(dependency)."""
    try:
        yield
    except errors as exc:
        raise Unavailable(dependency, type(exc).__name__) from exc


def redis_errors(dependency: str) -> contextlib.AbstractContextManager[None]:
    return unavailable_as_503(dependency, redis.ConnectionError, redis.TimeoutError)
