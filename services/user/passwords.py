"""Password hashing: bcrypt with 10 rounds, and a check that costs the same whether or not the user exists."""

from __future__ import annotations

import base64
import hashlib
import secrets

import bcrypt

ROUNDS = 10


def _prehash(password: str) -> bytes:
    # bcrypt reads at most 72 bytes (bcrypt 5 refuses more), and we allow 128 characters of any script:
    # a SHA-256 digest in base64 keeps every character significant and fits in 44 bytes.
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(ROUNDS)).decode()


def check_password(password: str, hashed: str | None) -> bool:
    """True if `password` matches `hashed`. With no hash (unknown user) it checks a dummy hash anyway, so
    the answer takes as long as for a real user and timing does not tell who has an account."""
    candidate = (hashed or _DUMMY_HASH).encode()
    matches = bcrypt.checkpw(_prehash(password), candidate)
    return matches and hashed is not None


# A hash of a random secret nobody knows, made once per process with the same cost as real ones.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(32))
