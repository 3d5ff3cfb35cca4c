"""Sessions, as the spec stores them: Redis key = session id (a random UUID4), value = user id, TTL 24 h.

The user service creates and deletes them; every service checks them with `require()`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import bottle
import redis

from services.common import config
from services.common.errors import Unauthorized
from services.common.stores import redis_client, redis_errors
from services.common.validate import is_uuid

HEADER = "X-Session-Id"
DEPENDENCY = "session store (redis)"


@dataclass(frozen=True)
class Session:
    id: str
    user_id: str


def caller_session_id() -> str:
    """The session id the caller sent in the X-Session-Id header (not yet checked against the store), or 401."""
    session_id = (bottle.request.get_header(HEADER) or "").strip()
    if not session_id:
        raise Unauthorized(f"log in first: the {HEADER} header is missing")
    return session_id


class SessionStore:
    def __init__(self, client: redis.Redis | None = None) -> None:
        self.redis = client or redis_client("SESSION_REDIS_URL")
        self.ttl = config.get_int("SESSION_TTL")

    def create(self, user_id: str) -> str:
        session_id = str(uuid.uuid4())
        with redis_errors(DEPENDENCY):
            self.redis.set(session_id, user_id, ex=self.ttl)
        return session_id

    def user_id(self, session_id: str) -> str | None:
        if not is_uuid(session_id):
            return None
        with redis_errors(DEPENDENCY):
            return self.redis.get(session_id)

    def delete(self, session_id: str) -> None:
        with redis_errors(DEPENDENCY):
            self.redis.delete(session_id)

    def require(self) -> Session:
        """The caller's session from the X-Session-Id header, or 401."""
        session_id = caller_session_id()
        user_id = self.user_id(session_id)
        if user_id is None:
            raise Unauthorized("session is unknown or has expired: log in again")
        return Session(session_id, user_id)

    def ping(self) -> None:
        self.redis.ping()
