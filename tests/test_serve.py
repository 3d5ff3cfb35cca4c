"""The waitress entry every service runs: the client address behind Nginx reaches the logs."""

import json
import subprocess
import sys
import time

import requests

from tests.conftest import free_port

APP = """
from services.common.serve import run_http
from services.common.web import make_app
run_http("user", lambda: make_app("user", {}))
"""


def _serve(port: int, trusted_proxy: str) -> subprocess.Popen:
    env = {"LISTEN_PORT": str(port), "TRUSTED_PROXY": trusted_proxy, "PATH": "/usr/bin:/bin"}
    return subprocess.Popen([sys.executable, "-c", APP], env=env, stdout=subprocess.PIPE, text=True)


def _client_logged(port: int, trusted_proxy: str) -> str:
    proc = _serve(port, trusted_proxy)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/health", headers={"X-Forwarded-For": "203.0.113.7"}, timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    requests_logged = [json.loads(line) for line in out.splitlines() if '"msg": "request"' in line]
    return requests_logged[0]["client"]


def test_forwarded_client_is_believed_from_the_trusted_proxy():
    assert _client_logged(free_port(), "127.0.0.1") == "203.0.113.7"


def test_forwarded_client_is_ignored_without_a_trusted_proxy():
    assert _client_logged(free_port(), "") == "127.0.0.1"
