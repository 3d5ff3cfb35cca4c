"""Generated requests from payment's own OpenAPI document: never a 5xx, every error is JSON."""

from __future__ import annotations

from tests.orders import queues
from tests.payment.conftest import PaymentRig
from tests.support.api_fuzz import fuzz_api


def test_payment_survives_fuzzing_with_a_real_session_and_cart(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 1))

    sent = fuzz_api(rig.url, "payment", headers={"X-Session-Id": session}, max_examples=30)

    assert sent >= 30
    # Generated path sessions are never the caller's: nothing may be ordered and the cart stays.
    assert queues.depth(rig.amqp_url) == 0
    assert session in rig.cart.carts
