"""The build hooks' generated parts, tested directly (no site build)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.hooks import apiref, checks_table, costs, generated, verify
from services.deploy import layout as layouts

REPO = Path(__file__).resolve().parents[2]


def test_rendered_configs_carry_placeholders_not_passwords(tmp_path: Path) -> None:
    out = generated.write_rendered(tmp_path)
    redis_conf = (out / "cart-redis" / "redis" / "cloudkart.conf").read_text()
    assert "requirepass <secret:redis_cart-redis>" in redis_conf
    env = (out / "cart" / "env" / "cart.env").read_text()
    assert "redis://:<secret:redis_user-db>@" in env
    definitions = (out / "rabbitmq" / "rabbitmq" / "definitions.json").read_text()
    assert '"password_hash": "<hash of a generated password>"' in definitions
    # The real layout's secrets file is neither read nor created by the docs build.
    assert sorted(p.name for p in out.iterdir()) == sorted(h.name for h in layouts.load("cloudkart-12").hosts)


def test_lib_functions_are_cut_whole_with_their_comment() -> None:
    functions = generated.lib_functions(REPO / "labs" / "roles" / "lib.sh")
    put = functions["ck_put"]
    assert put.startswith("# ck_put SRC DEST MODE")
    assert put.rstrip().endswith("}")


def test_lib_sections_run_outside_their_function(tmp_path: Path) -> None:
    sections = generated.lib_sections(REPO / "labs" / "roles" / "lib.sh")
    redis = sections["redis"].splitlines()
    # The function's locals come first as plain assignments: typed in a shell, `local` is an error and
    # without them `$conf` and `$unit` would be empty.
    assert redis[0].startswith("unit=redis-server") and "conf=/etc/redis/redis.conf" in redis[0]
    assert not any(line.startswith(("local ", " ")) for line in redis[:2])
    repo = sections["mongodb-repo"].splitlines()
    assert repo[1].startswith("if [") and "[mongodb-org-7.0]" in repo  # dedented; the here-document intact
    written = generated.write_lib_functions(REPO / "labs" / "roles" / "lib.sh", tmp_path)
    assert "--8<--" not in (written / "ck_redis.sh").read_text()
    assert (written / "sections" / "redis.sh").read_text() == sections["redis"]


def test_a_lab_without_checks_is_refused() -> None:
    with pytest.raises(ValueError, match="lab 13"):
        checks_table.checks_block(13)


def test_checks_marker_expands_to_the_lab_table() -> None:
    text = checks_table.expand("before\n<!-- checks: 04 -->\nafter")
    assert "`REDIS-05`" in text
    assert "--labs 04" in text
    assert "<!-- checks" not in text


def test_checks_count_marker_is_the_number_of_listed_checks() -> None:
    from checks.listing import all_checks

    assert checks_table.expand("(<!-- checks-count --> checks)") == f"({len(all_checks())} checks)"


def test_cost_table_counts_every_host_of_the_layout() -> None:
    layout = layouts.load("cloudkart-12")
    table = costs.costs_table(layout)
    assert f"**{len(layout.hosts)}**" in table
    assert "t2.medium | 1 |" in table


@pytest.mark.parametrize(
    ("expected", "output", "ok"),
    [
        (("active",), "active\n", True),
        (("active",), "inactive\n", False),
        (('{..."order received"...}',), '{"time": 1, "message": "order received", "x": 2}', True),
        (("enabled", "active"), "enabled\n", False),
        (("600 root",), "644 root", False),
    ],
)
def test_verify_output_matching(expected: tuple[str, ...], output: str, ok: bool) -> None:
    assert verify.matches(expected, output) is ok


def test_every_verify_block_names_a_layout_host_and_has_commands() -> None:
    hosts = {h.name for h in layouts.load("cloudkart-12").hosts}
    blocks = verify.blocks_in(REPO / "docs")
    assert len(blocks) >= 12
    for block in blocks:
        assert block.host in hosts, block
        assert block.steps and all(step.expected for step in block.steps), block


def test_api_page_names_the_session_header_where_the_document_requires_it() -> None:
    documents = apiref.service_documents(REPO / "services")
    cart = apiref.service_page("cart", documents["cart"])
    assert "## `GET /api/cart/`" in cart
    assert "Needs the header `X-Session-Id`" in cart
    register = apiref.service_page("user", documents["user"]).split("## `POST /api/user/register`")[1].split("## ")[0]
    assert "Needs the header" not in register
