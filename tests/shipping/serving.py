"""Services built once per test session: tests share one server instead of paying for a new one each.

`live_server` in tests/conftest.py is per test; these servers live for the whole session, so their
configuration is applied only while the app is built (every service reads its settings in create_app)
and the environment is restored at once, leaving nothing behind for other teams' tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import bottle
import pytest

from tests.support.wsgi import serving


@contextlib.contextmanager
def session_server(factory: Callable[[], bottle.Bottle], env: dict[str, str]) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        app = factory()
    with serving(app) as url:
        yield url
