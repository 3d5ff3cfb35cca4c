"""HTTP calls to other CloudKart services, as the spec's data flow draws them.

A peer that does not answer, times out or answers 5xx becomes Unavailable (503 naming it);
4xx answers are returned to the caller, which decides what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from services.common import config
from services.common.errors import Unavailable
from services.common.sessions import HEADER


@dataclass
class Reply:
    status: int
    body: Any


class Peer:
    def __init__(self, url_setting: str, name: str) -> None:
        self.base = config.get(url_setting).rstrip("/")
        self.name = name
        self.timeout = config.get_float("HTTP_TIMEOUT")
        self.http = requests.Session()

    def call(self, method: str, path: str, *, session_id: str | None = None, json: Any = None) -> Reply:
        headers = {HEADER: session_id} if session_id else {}
        try:
            answer = self.http.request(method, self.base + path, headers=headers, json=json, timeout=self.timeout)
        except requests.RequestException as exc:
            raise Unavailable(self.name, type(exc).__name__) from exc
        if answer.status_code >= 500:
            raise Unavailable(self.name, f"answered {answer.status_code}")
        try:
            body = answer.json()
        except ValueError:
            body = answer.text
        return Reply(answer.status_code, body)

    def ping(self) -> None:
        """For /health: raises unless the peer's own /health says OK."""
        self.http.get(self.base + "/health", timeout=self.timeout).raise_for_status()
