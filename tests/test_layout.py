from pathlib import Path

import pytest
import yaml

from services.deploy import layout
from services.deploy.layout import LAYOUT_FILE, LayoutError


def test_both_shipped_layouts_load_with_every_role_placed():
    for name in ("all-in-one", "cloudkart-12"):
        loaded = layout.load(name)
        placed = {role for host in loaded.hosts for role in host.roles}
        assert placed == set(loaded.roles)


def test_cloudkart_12_matches_the_spec_server_table():
    twelve = layout.load("cloudkart-12")
    assert len(twelve.hosts) == 12
    assert twelve.address_of("frontend") == "172.31.22.33"
    assert twelve.host("shipping-db").size.name == "t2.medium"


def _broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(LAYOUT_FILE.read_text())
    mutate(data)
    path = tmp_path / "layout.yml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["layouts"]["cloudkart-12"]["hosts"][3].update(size="t2.mcro"), r"hosts\[3\]\.size"),
        (lambda d: d["layouts"]["cloudkart-12"]["hosts"][0].update(address="172.31.22"), r"hosts\[0\]\.address"),
        (lambda d: d["layouts"]["cloudkart-12"]["hosts"].pop(), r"no host has role"),
        (lambda d: d["roles"]["cart"]["listens"][0].update({"from": ["frontnd"]}), r"roles\.cart\.listens\[0\]\.from"),
    ],
)
def test_a_typo_names_the_field(tmp_path, mutate, message):
    with pytest.raises(LayoutError, match=message):
        layout.load("cloudkart-12", _broken(tmp_path, mutate))


@pytest.mark.parametrize("text", ["", "- a list\n", "roles: [unclosed\n"])
def test_a_file_that_is_not_a_layout_mapping_is_named(tmp_path, text):
    path = tmp_path / "layout.yml"
    path.write_text(text)
    with pytest.raises(LayoutError, match="YAML"):
        layout.load("cloudkart-12", path)
