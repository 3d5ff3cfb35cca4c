"""What a registration and a login must contain. Each failure is a 400 that says what to fix."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.common import validate
from services.common.errors import BadRequest

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
# Deliberately simple: one @, no spaces, a dot in the domain. Real verification is a mail round trip.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN, PASSWORD_MAX = 8, 128
EMAIL_MAX = 254


@dataclass(frozen=True)
class Registration:
    username: str
    email: str
    password: str


@dataclass(frozen=True)
class Credentials:
    identifier: str
    password: str


def _password(data: dict[str, Any]) -> str:
    value = data.get("password")
    if value is None:
        raise BadRequest("password is required")
    if not isinstance(value, str):
        raise BadRequest("password must be a string")
    # Passwords are not stripped: spaces are characters the user chose.
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise BadRequest(f"password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long")
    return value


def registration(data: dict[str, Any]) -> Registration:
    username = validate.string(data, "username", min_len=1, max_len=200)
    if not USERNAME_RE.match(username):
        raise BadRequest("username must be 3 to 32 characters: letters, digits, '_', '.' or '-'")
    email = validate.string(data, "email", min_len=1, max_len=EMAIL_MAX).lower()
    if not EMAIL_RE.match(email):
        raise BadRequest("email must look like name@example.com")
    return Registration(username, email, _password(data))


def credentials(data: dict[str, Any]) -> Credentials:
    """`username` holds a username or an email; `email` is accepted on its own too."""
    field = "username" if data.get("username") is not None else "email"
    if data.get(field) is None:
        raise BadRequest("username (or email) is required")
    identifier = validate.string(data, field, min_len=1, max_len=EMAIL_MAX)
    value = data.get("password")
    if not isinstance(value, str) or not value:
        raise BadRequest("password is required and must be a string")
    if len(value) > PASSWORD_MAX:
        raise BadRequest(f"password must be at most {PASSWORD_MAX} characters long")
    return Credentials(identifier, value)
