"""Typed API errors. A route raises one; the app turns it into a JSON body with the right status.

Routes never format their own error bodies, so every error a client sees has the same shape:
`{"error": "<plain words>"}`, plus optional detail fields.
"""

from __future__ import annotations

import json
from typing import Any

import bottle


class ApiError(bottle.HTTPResponse):
    status_code = 500

    def __init__(self, message: str, **detail: Any) -> None:
        body = json.dumps({"error": message, **detail})
        super().__init__(body=body, status=self.status_code, headers={"Content-Type": "application/json"})
        self.message = message


class BadRequest(ApiError):
    status_code = 400


class Unauthorized(ApiError):
    status_code = 401


class Forbidden(ApiError):
    status_code = 403


class NotFound(ApiError):
    status_code = 404

    def __init__(self, kind: str, key: object = None) -> None:
        text = f"{kind} not found" if key is None else f"{kind} {key!r} not found"
        super().__init__(text)


class Conflict(ApiError):
    status_code = 409


class PayloadTooLarge(ApiError):
    status_code = 413


class UnsupportedMediaType(ApiError):
    status_code = 415


class Unavailable(ApiError):
    """A dependency (data store or another service) did not answer: 503, naming it."""

    status_code = 503

    def __init__(self, dependency: str, reason: object = "") -> None:
        text = f"{dependency} is unavailable" + (f": {reason}" if reason else "")
        super().__init__(text, dependency=dependency)


class Unhealthy(ApiError):
    """/health's 503: lists every dependency that failed, not only the first."""

    status_code = 503
