"""The user service over HTTP, on real Redis and both MongoDB paths."""

from __future__ import annotations

import concurrent.futures
import uuid

import bcrypt
import pytest
import redis
import requests

from services.user import passwords


def new_user(**overrides: str) -> dict[str, str]:
    name = f"u{uuid.uuid4().hex[:10]}"
    return {"username": name, "email": f"{name}@example.com", "password": "correct horse", **overrides}


def register(url: str, body: dict[str, str]) -> requests.Response:
    return requests.post(f"{url}/api/user/register", json=body, timeout=10)


def login(url: str, **body: str) -> requests.Response:
    return requests.post(f"{url}/api/user/login", json=body, timeout=10)


def assert_no_secret(response: requests.Response) -> None:
    text = response.text.lower()
    assert "password" not in text and "$2b$" not in text and "hash" not in text, response.text


def test_the_whole_account_journey_and_no_response_leaks_a_password(user_url):
    user = new_user(email="Mixed.Case@Example.com")
    created = register(user_url, user)
    assert created.status_code == 201
    assert created.json()["username"] == user["username"]
    assert created.json()["email"] == "mixed.case@example.com"
    assert set(created.json()) == {"id", "username", "email", "created"}

    by_name = login(user_url, username=user["username"], password=user["password"])
    by_email_in_username = login(user_url, username="MIXED.case@example.com", password=user["password"])
    by_email = login(user_url, email="mixed.case@example.com", password=user["password"])
    for answer in (by_name, by_email_in_username, by_email):
        assert answer.status_code == 200, answer.text
        assert uuid.UUID(answer.json()["sessionId"]).version == 4
        assert answer.json()["user"] == created.json()
    session = {"X-Session-Id": by_name.json()["sessionId"]}

    me = requests.get(f"{user_url}/api/user/me", headers=session, timeout=10)
    assert me.status_code == 200 and me.json() == created.json()
    out = requests.post(f"{user_url}/api/user/logout", headers=session, timeout=10)
    assert out.status_code == 200
    after = requests.get(f"{user_url}/api/user/me", headers=session, timeout=10)
    assert after.status_code == 401
    # The other sessions of the same user are untouched by this logout.
    other = {"X-Session-Id": by_email.json()["sessionId"]}
    assert requests.get(f"{user_url}/api/user/me", headers=other, timeout=10).status_code == 200

    for response in (created, by_name, by_email_in_username, by_email, me, out, after):
        assert_no_secret(response)


def test_session_is_stored_in_redis_with_the_user_id_for_24_hours(user_url, redis_url):
    user = new_user()
    user_id = register(user_url, user).json()["id"]
    session_id = login(user_url, username=user["username"], password=user["password"]).json()["sessionId"]
    store = redis.Redis.from_url(redis_url, decode_responses=True)
    assert store.get(session_id) == user_id
    assert 86_000 < store.ttl(session_id) <= 86_400


@pytest.mark.parametrize("field", ["username", "email"])
def test_duplicate_username_or_email_is_409_naming_the_field(user_url, field):
    first = new_user()
    assert register(user_url, first).status_code == 201
    second = new_user(**{field: first[field].upper() if field == "email" else first[field]})
    answer = register(user_url, second)
    assert answer.status_code == 409
    assert answer.json()["field"] == field
    assert field in answer.json()["error"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"username": "ab"}, "username must be 3 to 32"),
        ({"username": "x" * 33}, "username must be 3 to 32"),
        ({"username": "bad name!"}, "username must be 3 to 32"),
        ({"username": 12345}, "username must be a string"),
        ({"username": None}, "username is required"),
        ({"email": "not-an-email"}, "email must look like"),
        ({"email": ["a@b.co"]}, "email must be a string"),
        ({"password": "short"}, "password must be 8 to 128"),
        ({"password": "p" * 129}, "password must be 8 to 128"),
        ({"password": 12345678}, "password must be a string"),
        ({"password": None}, "password is required"),
    ],
)
def test_registration_input_is_checked_with_a_clear_400(user_url, change, expected):
    body = {k: v for k, v in {**new_user(), **change}.items() if v is not None}
    answer = register(user_url, body)
    assert answer.status_code == 400
    assert expected in answer.json()["error"]


def test_a_72_byte_prefix_is_not_enough_to_log_in(user_url):
    # bcrypt alone ignores bytes past 72; the SHA-256 prehash makes all 128 characters count.
    user = new_user(password="a" * 80 + "1")
    register(user_url, user)
    assert login(user_url, username=user["username"], password="a" * 80 + "2").status_code == 401
    assert login(user_url, username=user["username"], password=user["password"]).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_401(user_url):
    user = new_user()
    register(user_url, user)
    wrong = login(user_url, username=user["username"], password="not the password")
    unknown = login(user_url, username="nobody-here", password="not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_login_for_an_unknown_user_still_checks_a_bcrypt_hash(monkeypatch):
    # The check is what makes both answers take as long; count it rather than time it.
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, hashed: calls.append(hashed) or real(pw, hashed))
    assert passwords.check_password("anything at all", None) is False
    assert len(calls) == 1 and calls[0].startswith(b"$2b$10$")


def test_hashes_use_bcrypt_with_10_rounds():
    hashed = passwords.hash_password("correct horse")
    assert hashed.startswith("$2b$10$")
    assert passwords.check_password("correct horse", hashed)
    assert not passwords.check_password("correct horsf", hashed)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "someone"},
        {"password": "x"},
        {"username": 5, "password": "xxxxxxxx"},
        {"username": "a", "password": 5},
    ],
)
def test_login_input_is_checked_with_a_clear_400(user_url, body):
    answer = login(user_url, **body)
    assert answer.status_code == 400
    assert answer.json()["error"]


@pytest.mark.parametrize("header", [None, "", "not-a-uuid", str(uuid.uuid4())])
def test_me_and_logout_without_a_valid_session_are_401(user_url, header):
    headers = {} if header is None else {"X-Session-Id": header}
    for method, path in (("GET", "/api/user/me"), ("POST", "/api/user/logout")):
        answer = requests.request(method, f"{user_url}{path}", headers=headers, timeout=10)
        assert answer.status_code == 401
        assert answer.json()["error"]


def test_concurrent_registrations_and_logins_never_fail(user_url):
    # briskdb answers "database is busy" to reads and writes under concurrent writes; the service retries them.
    def sign_up(_: int) -> tuple[int, int]:
        user = new_user()
        return register(user_url, user).status_code, login(user_url, **user).status_code

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(sign_up, range(32)))
    assert results == [(201, 200)] * 32
