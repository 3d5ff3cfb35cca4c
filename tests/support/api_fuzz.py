"""Fuzz a live CloudKart service from its own OpenAPI document, with schemathesis.

Usage, in any service's tests (the service must already answer on `base_url`):

    from tests.support.api_fuzz import fuzz_api

    def test_cart_survives_fuzzing(cart_url):
        fuzz_api(cart_url, "cart", headers={"X-Session-Id": session_id})

What it does: loads `<base_url>/api/<service>/openapi.json`, generates requests for every operation
(valid ones from the schemas, then invalid ones: wrong types, missing fields, out-of-range values), sends
them, and fails on the first answer that breaks CloudKart's error contract:
- no 5xx, ever (a 503 is allowed only with `allow_503=True`, for a test that stops a dependency);
- every 4xx is JSON `{"error": "<non-empty text>"}`;
- every answer that says it is JSON parses as JSON.
The failure message holds a curl command that replays the request.

`MALFORMED_BODIES` and `assert_refuses_malformed_body` cover what generation from a schema cannot: bodies
that are not JSON at all, the wrong content type, an oversized body.

Runs are derandomized (the same cases every run, so CI is reproducible) and bounded by
`max_examples` per generation mode; keep it small in unit tests (the default takes a few seconds).
Returns how many requests were sent, so a test can assert the fuzzer really ran.
"""

from __future__ import annotations

import json
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from schemathesis import GenerationMode

DEFAULT_EXAMPLES = 60

# pytest params (raw body, Content-Type, expected status): every JSON endpoint refuses these with a JSON 4xx.
# Use: @pytest.mark.parametrize(("body", "content_type", "status"), MALFORMED_BODIES)
MALFORMED_BODIES = [
    pytest.param(b"{not json", "application/json", 400, id="broken-json"),
    pytest.param(b"[1, 2]", "application/json", 400, id="json-array"),
    pytest.param(b'"a string"', "application/json", 400, id="json-string"),
    pytest.param(b"", "application/json", 400, id="empty"),
    pytest.param(b"\xff\xfe", "application/json", 400, id="not-utf8"),
    pytest.param(b'{"a": "b"}', "text/plain", 415, id="wrong-content-type"),
    pytest.param(b'{"a": "b"}', "application/x-www-form-urlencoded", 415, id="form-content-type"),
    pytest.param(b'{"a": "' + b"x" * 20_000 + b'"}', "application/json", 413, id="oversized"),
]


def assert_refuses_malformed_body(url: str, body: bytes, content_type: str, status: int) -> None:
    """POST `body` to `url` and check the answer is `status` with a JSON `{"error": ...}`."""
    answer = requests.post(url, data=body, headers={"Content-Type": content_type}, timeout=10)
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.json()["error"]


def _problem(response: schemathesis.Response, allow_503: bool) -> str | None:
    """What is wrong with this answer, or None if it keeps the contract."""
    status = response.status_code
    if status >= 500 and not (allow_503 and status == 503):
        return f"server error {status}"
    # schemathesis gives headers with lower-case names and list values.
    content_type = (response.headers.get("content-type") or [""])[0]
    is_json = content_type.startswith("application/json")
    if status >= 400 and not is_json:
        return f"{status} error is not JSON (Content-Type {content_type!r})"
    if not is_json:
        return None
    try:
        body: Any = json.loads(response.content)
    except ValueError:
        return "body says application/json but does not parse"
    if status >= 400 and not (isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]):
        return f"{status} error body lacks a non-empty 'error' string: {body!r}"
    return None


def fuzz_api(
    base_url: str,
    service: str,
    *,
    headers: dict[str, str] | None = None,
    max_examples: int = DEFAULT_EXAMPLES,
    allow_503: bool = False,
) -> int:
    """Send generated requests to every operation of `service`'s API; raise AssertionError on a broken answer."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/{service}/openapi.json", timeout=10)
    sent = 0
    http = requests.Session()

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @hypothesis.settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(case=schema.as_strategy(generation_mode=mode))
        def check(case: schemathesis.Case) -> None:
            nonlocal sent
            response = case.call(base_url=base_url, session=http, headers=headers, timeout=10)
            sent += 1
            problem = _problem(response, allow_503)
            replay = case.as_curl_command(headers=headers)
            assert problem is None, f"{problem}\nreplay: {replay}\nbody: {response.content[:500]!r}"

        check()
    return sent
