"""The `users` collection: create an account, find one to log in, read one back.

Only `public()` shapes leave this module towards a client, so a password hash never does.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.common.errors import Conflict
from services.common.mongo import IndexedCollection, conflict_retrying, mongo_errors, retry_conflicts
from services.user.passwords import hash_password
from services.user.rules import Registration

UNIQUE_FIELDS = ("username", "email")


def public(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["_id"], "username": user["username"], "email": user["email"], "created": user["created"]}


class Accounts:
    def __init__(self, db: Database) -> None:
        self.users = IndexedCollection(db["users"], UNIQUE_FIELDS)

    def register(self, form: Registration) -> dict[str, Any]:
        """The new user's public fields, or 409 naming the field that is already taken."""
        # Only the store calls are retried on a write conflict: bcrypt runs once, and not at all for a taken name.
        retry_conflicts(lambda: self._refuse_taken(form))
        user = {
            "_id": str(uuid.uuid4()),
            "username": form.username,
            "email": form.email,
            "password_hash": hash_password(form.password),
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        retry_conflicts(lambda: self._insert(user, form))
        return public(user)

    def _insert(self, user: dict[str, Any], form: Registration) -> None:
        with mongo_errors():
            try:
                self.users().insert_one(user)
            except DuplicateKeyError:
                # Someone registered the same name between our check and our insert: the index decided.
                self._refuse_taken(form)
                raise Conflict("username or email is already registered") from None

    def _refuse_taken(self, form: Registration) -> None:
        with mongo_errors():
            for field in UNIQUE_FIELDS:
                if self.users().find_one({field: getattr(form, field)}, {"_id": 1}):
                    raise Conflict(f"{field} is already registered", field=field)

    @conflict_retrying
    def for_login(self, identifier: str) -> dict[str, Any] | None:
        """The stored user (with its hash) whose username or email is `identifier`."""
        field = "email" if "@" in identifier else "username"
        key = identifier.lower() if field == "email" else identifier
        with mongo_errors():
            return self.users().find_one({field: key})

    @conflict_retrying
    def by_id(self, user_id: str) -> dict[str, Any] | None:
        with mongo_errors():
            user = self.users().find_one({"_id": user_id})
        return public(user) if user else None
