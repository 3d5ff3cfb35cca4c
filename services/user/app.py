"""The user service (port 8081): register, log in, who am I, log out."""

from __future__ import annotations

from typing import Any

import bottle

from services.common import mongo, validate
from services.common.errors import Unauthorized
from services.common.serve import run_http
from services.common.sessions import DEPENDENCY as SESSION_STORE
from services.common.sessions import SessionStore
from services.common.web import make_app
from services.user import rules
from services.user.accounts import Accounts, public
from services.user.passwords import check_password

# One message for "no such user" and "wrong password", so a login does not reveal who has an account.
LOGIN_FAILED = "username/email or password is incorrect"


def create_app() -> bottle.Bottle:
    db = mongo.database()
    accounts = Accounts(db)
    sessions = SessionStore()
    app = make_app("user", {"mongodb": lambda: mongo.ping(db), SESSION_STORE: sessions.ping})

    @app.post("/api/user/register")
    def register() -> dict[str, Any]:
        form = rules.registration(validate.json_body())
        bottle.response.status = 201
        return accounts.register(form)

    @app.post("/api/user/login")
    def login() -> dict[str, Any]:
        given = rules.credentials(validate.json_body())
        user = accounts.for_login(given.identifier)
        if not check_password(given.password, user["password_hash"] if user else None):
            raise Unauthorized(LOGIN_FAILED)
        return {"sessionId": sessions.create(user["_id"]), "user": public(user)}

    @app.get("/api/user/me")
    def me() -> dict[str, Any]:
        session = sessions.require()
        user = accounts.by_id(session.user_id)
        if user is None:
            # The account is gone but its session lingered: end the session too.
            sessions.delete(session.id)
            raise Unauthorized("session is unknown or has expired: log in again")
        return user

    @app.post("/api/user/logout")
    def logout() -> dict[str, Any]:
        session = sessions.require()
        sessions.delete(session.id)
        return {"loggedOut": True}

    return app


def main() -> None:
    run_http("user", create_app)
