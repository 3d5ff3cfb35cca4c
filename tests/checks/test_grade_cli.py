"""`cloudkart grade` refuses bad input with a clear message and writes nothing."""

import pytest
from click.testing import CliRunner

from services.cli.app import _load_commands, cli


@pytest.fixture(scope="module")
def grade():
    _load_commands()
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, ["grade", *args])


@pytest.fixture
def inventory(tmp_path):
    path = tmp_path / "inv.json"
    path.write_text('{"layout": "all-in-one", "hosts": []}')
    return path


def test_help_explains_outputs_and_unreachable_hosts(grade):
    result = grade("--help")
    assert result.exit_code == 0
    for words in ("--roster", "--labs", "--jobs", "gradebook.csv", "report.html", "unreachable"):
        assert words in result.output


def test_needs_exactly_one_source(grade, inventory, tmp_path):
    assert "exactly one of --inventory or --roster" in grade("--out", str(tmp_path / "o")).output
    roster = tmp_path / "r.csv"
    roster.write_text("student,inventory\na,inv.json\n")
    both = grade("--inventory", str(inventory), "--roster", str(roster), "--out", str(tmp_path / "o"))
    assert both.exit_code == 2
    assert "exactly one" in both.output


def test_bad_lab_list(grade, inventory, tmp_path):
    result = grade("--inventory", str(inventory), "--labs", "4,redis", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "lab numbers" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("student,inventory\nalice,\n", "r.csv:2: needs both a student and an inventory column"),
        ("student,inventory\nalice,a.json\nalice,b.json\n", "r.csv:3: student 'alice' is listed twice"),
        ("student,inventory\n", "no students"),
        ("name,path\nalice,a.json\n", "r.csv:2: needs both"),
    ],
)
def test_bad_roster_names_the_line(grade, tmp_path, content, message):
    roster = tmp_path / "r.csv"
    roster.write_text(content)
    result = grade("--roster", str(roster), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert message in result.output
