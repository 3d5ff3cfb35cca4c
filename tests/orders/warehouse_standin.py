"""A small real HTTP catalogue answering only POST /api/catalogue/reserve, for the processor's tests.

It records every call and answers from a script of statuses (then 200), so a test can make the
warehouse fail, refuse or run short and see what the processor does.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import bottle


class WarehouseStandin:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.script: list[int] = []
        self.always: int | None = None
        self.lock = threading.Lock()
        self.app = bottle.Bottle()
        self.app.route("/api/catalogue/reserve", "POST", self._reserve)

    def orderids(self) -> list[str]:
        with self.lock:
            return [call["orderid"] for call in self.calls]

    def _reserve(self) -> Any:
        with self.lock:
            self.calls.append(json.load(bottle.request.body))
            status = self.always or (self.script.pop(0) if self.script else 200)
        return bottle.HTTPResponse(json.dumps({"error": "scripted"} if status >= 400 else {"ok": True}), status=status)
