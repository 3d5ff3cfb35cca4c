"""The list of checks the docs and students read: complete, one lab per id, hints that point to the lab."""

from click.testing import CliRunner

from checks.labs import LABS, SMOKE_LAB
from checks.listing import all_checks, check_functions
from services.cli.app import _load_commands, cli


def test_every_check_function_carries_metadata():
    functions = check_functions()
    assert len(functions) >= 20
    assert all(fn.cloudkart_check.points > 0 and fn.cloudkart_check.hint for _, fn in functions)


def test_every_lab_from_frontend_to_smoke_test_has_checks():
    labs = {c.lab for c in all_checks()}
    assert labs == set(range(1, SMOKE_LAB + 1))
    assert labs <= set(LABS)


def test_the_spec_facts_have_their_checks():
    ids = {c.id for c in all_checks()}
    # Unit, bind address, firewall both ways, env file mode, health, city import, products, topology, smoke.
    expected = {"REDIS-02", "REDIS-05", "REDIS-06", "REDIS-07", "USER-09", "CART-11", "MYSQL-12", "MYSQL-13"}
    expected |= {"MYSQL-14", "CAT-12", "MQ-10", "MQ-11", "MQ-12", "ORDER-03", "SMOKE-02"}
    assert expected <= ids


def test_markdown_listing_for_one_lab():
    _load_commands()
    result = CliRunner().invoke(cli, ["checks", "--labs", "07", "--markdown"])
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if line.startswith("| MYSQL-")]
    assert {row.split(" | ")[0] for row in rows} >= {"| MYSQL-12", "| MYSQL-13", "| MYSQL-14"}
    assert all("07 MySQL and the city import" in row for row in rows)
