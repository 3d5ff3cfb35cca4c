"""Malformed requests and failed dependencies: always a 4xx/503 JSON error, never a 5xx page."""

from __future__ import annotations

import pytest
import requests

from services.user.app import create_app
from tests.support.api_fuzz import MALFORMED_BODIES, assert_refuses_malformed_body, fuzz_api

REGISTER = "/api/user/register"


@pytest.mark.parametrize(("body", "content_type", "status"), MALFORMED_BODIES)
def test_malformed_bodies_get_a_json_4xx(user_url, body, content_type, status):
    assert_refuses_malformed_body(f"{user_url}{REGISTER}", body, content_type, status)


def test_unknown_route_and_wrong_method_get_json_errors(user_url):
    missing = requests.get(f"{user_url}/api/user/nothing-here", timeout=10)
    assert missing.status_code == 404 and "no such endpoint" in missing.json()["error"]
    wrong = requests.get(f"{user_url}{REGISTER}", timeout=10)
    assert wrong.status_code == 405 and "POST" in wrong.json()["error"]


def test_redis_down_is_a_503_naming_it(user_url, mongo_mode, monkeypatch, live_server, unused_port):
    user = {"username": f"redisdown{mongo_mode}", "email": f"r{mongo_mode}@example.com", "password": "long enough"}
    assert requests.post(f"{user_url}{REGISTER}", json=user, timeout=10).status_code == 201
    monkeypatch.setenv("SESSION_REDIS_URL", f"redis://127.0.0.1:{unused_port}/0")
    broken = live_server(create_app())
    answer = requests.post(f"{broken}/api/user/login", json=user, timeout=10)
    assert answer.status_code == 503
    assert "redis" in answer.json()["error"]
    health = requests.get(f"{broken}/health", timeout=10)
    assert health.status_code == 503 and "redis" in health.json()["error"]


def test_mongodb_down_is_a_503_naming_it(mongodb_down, live_server):
    url = live_server(create_app())
    user = {"username": "abc", "email": "a@b.co", "password": "12345678"}
    answer = requests.post(f"{url}{REGISTER}", json=user, timeout=10)
    assert answer.status_code == 503 and answer.json()["dependency"] == "mongodb"
    assert requests.get(f"{url}/health", timeout=10).json()["failed"].keys() == {"mongodb"}


def test_fuzzing_the_openapi_document_finds_no_server_error(user_url):
    assert fuzz_api(user_url, "user", max_examples=30) >= 30
