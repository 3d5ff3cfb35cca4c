"""Request input checks. Each failure raises a 4xx ApiError with a message a person can act on."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import bottle

from services.common import config
from services.common.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType


def json_body() -> dict[str, Any]:
    """The request body as a JSON object, or a 4xx saying what is wrong with it."""
    limit = config.get_int("MAX_BODY_BYTES")
    if bottle.request.content_length > limit:
        raise PayloadTooLarge(f"request body is larger than {limit} bytes")
    ctype = bottle.request.content_type.split(";")[0].strip().lower()
    if ctype and ctype != "application/json":
        raise UnsupportedMediaType("send the body as application/json")
    raw = bottle.request.body.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"request body is larger than {limit} bytes")
    if not raw.strip():
        raise BadRequest("request body is empty: send a JSON object")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    return data


def string(data: dict[str, Any], field: str, *, min_len: int = 1, max_len: int = 200) -> str:
    value = data.get(field)
    if value is None:
        raise BadRequest(f"{field} is required")
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string")
    value = value.strip()
    if not min_len <= len(value) <= max_len:
        raise BadRequest(f"{field} must be {min_len} to {max_len} characters long")
    return value


def integer(data: dict[str, Any], field: str, *, minimum: int = 0, maximum: int = 10_000) -> int:
    value = data.get(field)
    if value is None:
        raise BadRequest(f"{field} is required")
    # bool is a subclass of int in Python; `true` is not a quantity.
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"{field} must be a whole number")
    if not minimum <= value <= maximum:
        raise BadRequest(f"{field} must be between {minimum} and {maximum}")
    return value


_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def is_uuid(value: str) -> bool:
    return bool(_UUID_RE.match(value or ""))


def uuid_param(value: str, what: str) -> str:
    if not is_uuid(value):
        raise BadRequest(f"{what} must be a UUID")
    return str(uuid.UUID(value))
