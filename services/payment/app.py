"""Payment service (8084): POST /api/payment/pay/<sessionId>, plus /health and /metrics from make_app."""

from __future__ import annotations

from typing import Any

import bottle

from services.common import amqp, serve
from services.common.errors import Forbidden
from services.common.peers import Peer
from services.common.sessions import caller_session_id
from services.common.stores import redis_client
from services.common.validate import uuid_param
from services.common.web import make_app
from services.payment.checkout import REDIS, Checkout
from services.payment.publisher import OrderPublisher

SERVICE = "payment"


def create_app() -> bottle.Bottle:
    users, carts = Peer("USER_URL", "user service"), Peer("CART_URL", "cart service")
    store = redis_client("SESSION_REDIS_URL")
    publisher = OrderPublisher()
    publisher.start()
    checkout = Checkout(users, carts, store, publisher.publish)
    app = make_app(
        SERVICE,
        {amqp.DEPENDENCY: amqp.ping, REDIS: store.ping, users.name: users.ping, carts.name: carts.ping},
    )

    @app.post("/api/payment/pay/<session_id>")
    def pay(session_id: str) -> dict[str, Any]:
        # The user service checks the session itself (GET /api/user/me); here only that it is the caller's own.
        if caller_session_id() != session_id:
            raise Forbidden("you can only pay for your own session")
        return checkout.pay(uuid_param(session_id, "sessionId"))

    return app


def main() -> None:
    serve.run_http(SERVICE, create_app)
