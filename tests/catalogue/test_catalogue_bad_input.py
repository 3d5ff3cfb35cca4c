"""Malformed requests and a failed MongoDB: a JSON 4xx/503, never a 5xx page."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from services.catalogue.app import create_app
from tests.support.api_fuzz import MALFORMED_BODIES, assert_refuses_malformed_body, fuzz_api

RESERVE = "/api/catalogue/reserve"


@pytest.mark.parametrize(("body", "content_type", "status"), MALFORMED_BODIES)
def test_malformed_bodies_get_a_json_4xx(unseeded_catalogue_url, body, content_type, status):
    assert_refuses_malformed_body(f"{unseeded_catalogue_url}{RESERVE}", body, content_type, status)


def test_unknown_route_and_wrong_method_get_json_errors(unseeded_catalogue_url):
    url = unseeded_catalogue_url
    assert requests.get(f"{url}/api/catalogue/nothing", timeout=10).status_code == 404
    wrong = requests.delete(f"{url}/api/catalogue/products", timeout=10)
    assert wrong.status_code == 405 and wrong.json()["error"]
    wrong = requests.get(f"{url}{RESERVE}", timeout=10)
    assert wrong.status_code == 405 and "POST" in wrong.json()["error"]


def test_mongodb_down_is_a_503_naming_it(mongodb_down, live_server):
    url = live_server(create_app())
    answer = requests.get(f"{url}/api/catalogue/products", timeout=10)
    assert answer.status_code == 503 and answer.json()["dependency"] == "mongodb"
    health = requests.get(f"{url}/health", timeout=10)
    assert health.status_code == 503 and "mongodb" in health.json()["error"]


def test_fuzzing_the_openapi_document_finds_no_server_error(catalogue_url):
    assert fuzz_api(catalogue_url, "catalogue", max_examples=30) >= 30


def test_embedded_store_held_by_another_process_is_a_503_not_a_crash(service_env, monkeypatch, live_server, tmp_path):
    # briskdb creates a new index only as the sole process on its folder; a second service must say so clearly.
    folder = tmp_path / "shared-mongo"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("MONGO_URL", "")
        monkeypatch.setenv("EMBEDDED_MONGO_DIR", str(folder))
        url = live_server(create_app())
        answer = requests.get(f"{url}/api/catalogue/products", timeout=10)
        assert answer.status_code == 503
        assert "mongo-standin" in answer.json()["error"]
    finally:
        holder.communicate("", timeout=30)


HOLD_STORE = """
import sys, briskdb
from services.common.mongo import EMBEDDED_SHARDS
client = briskdb.MongoClient(folder=sys.argv[1], shards=EMBEDDED_SHARDS)
client.cloudkart.other.insert_one({"x": 1})
print("holding", flush=True)
sys.stdin.read()
client.close()
"""
