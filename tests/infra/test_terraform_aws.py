"""The AWS root, offline: its .tf files parsed with python-hcl2, and its layout-derived locals (hosts,
subnets, security rules, user data) evaluated by the real Terraform, compared with layout.py's reading."""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from services.deploy import layout as layouts
from tests.infra.tf import TERRAFORM, evaluate, parse_root, terraform

AWS = TERRAFORM / "envs" / "aws"
MODULES = TERRAFORM / "modules"
LAYOUT = layouts.load("cloudkart-12")


@pytest.fixture(scope="module")
def aws() -> dict:
    return parse_root(AWS)


@pytest.fixture(scope="module")
def placement(tmp_path_factory) -> dict:
    """host_subnet and public_hosts as Terraform computes them from layout.yml."""
    return evaluate(
        tmp_path_factory.mktemp("layout"),
        [AWS / "layout.tf", AWS / "variables.tf"],
        {"host_subnet": "local.host_subnet", "public_hosts": "local.public_hosts", "hosts": "local.hosts"},
        {"layout_file": str(layouts.LAYOUT_FILE), "admin_cidr": "203.0.113.7/32"},
    )


def test_one_instance_per_layout_host_at_its_address_and_size(aws, placement):
    host = aws["module"]["host"]
    assert host["source"] == "../../modules/instance"
    assert host["for_each"] == "${local.hosts}"
    assert host["private_ip"] == "${each.value.address}"
    assert host["instance_type"] == "${each.value.size}"
    assert {name: (h["address"], h["size"]) for name, h in placement["hosts"].items()} == {
        h.name: (h.address, h.size.name) for h in LAYOUT.hosts
    }
    instance = parse_root(MODULES / "instance")["resource"][("aws_instance", "this")]
    assert instance["private_ip"] == "${var.private_ip}"
    assert instance["associate_public_ip_address"] == "${var.public}"
    assert instance["metadata_options"][0]["http_tokens"] == "required"


def test_only_public_roles_get_a_public_address(aws, placement):
    public = {h.name for h in LAYOUT.hosts if any(LAYOUT.roles[r].public for r in h.roles)}
    assert set(placement["public_hosts"]) == public == {"frontend"}
    assert aws["module"]["host"]["public"] == "${contains(local.public_hosts, each.key)}"


def test_subnets_cover_every_address_public_hosts_in_public_subnets(placement):
    network = LAYOUT.network
    vpc = ipaddress.ip_network(network["vpc_cidr"])
    public = [ipaddress.ip_network(c) for c in network["public_subnets"]]
    private = [ipaddress.ip_network(c) for c in network["private_subnets"]]
    everything = public + private
    assert all(s.subnet_of(vpc) for s in everything)
    assert not any(a.overlaps(b) for i, a in enumerate(everything) for b in everything[i + 1 :])
    for host in LAYOUT.hosts:
        chosen = ipaddress.ip_network(placement["host_subnet"][host.name])
        assert ipaddress.ip_address(host.address) in chosen
        assert (chosen in public) == (host.name in placement["public_hosts"]), host.name


def test_network_module_builds_both_subnet_kinds_igw_and_nat(aws):
    network = parse_root(MODULES / "network")["resource"]
    for kind in ("aws_vpc", "aws_internet_gateway", "aws_nat_gateway", "aws_eip"):
        assert any(t == kind for t, _ in network), kind
    assert network[("aws_subnet", "public")]["for_each"] == "${toset(var.public_subnets)}"
    assert network[("aws_subnet", "private")]["for_each"] == "${toset(var.private_subnets)}"
    private_routes = network[("aws_route_table", "private")]["route"][0]
    assert private_routes["nat_gateway_id"] == "${aws_nat_gateway.this.id}"
    module = aws["module"]["network"]
    assert module["public_subnets"] == "${local.network.public_subnets}"
    assert module["private_subnets"] == "${local.network.private_subnets}"
    assert module["vpc_cidr"] == "${local.network.vpc_cidr}"


def _layout_rules() -> set[tuple[str, int, str]]:
    rules = {(role.name, 22, "admin") for role in LAYOUT.roles.values()}
    for role in LAYOUT.roles.values():
        rules |= {(role.name, listen.port, source) for listen in role.listens for source in listen.sources}
    return rules


def test_security_rules_are_exactly_the_layouts_from_lists(tmp_path):
    security = MODULES / "security"
    roles = yaml.safe_load(layouts.LAYOUT_FILE.read_text())["roles"]
    values = evaluate(
        tmp_path,
        [security / "rules.tf", security / "variables.tf"],
        {"ingress": "local.ingress"},
        {"roles": roles, "admin_cidr": "203.0.113.7/32", "name": "t", "vpc_id": "vpc-1"},
    )
    got = {(r["role"], r["port"], r["source"]) for r in values["ingress"].values()}
    assert got == _layout_rules()
    # Spot checks the spec names outright.
    assert {s for r, p, s in got if (r, p) == ("shipping-db", 3306)} == {"shipping"}
    assert {s for r, p, s in got if (r, p) == ("rabbitmq", 5672)} == {"payment", "order-processor"}
    assert {r for r, p, s in got if s == "internet"} == {"frontend"}
    assert {p for r, p, s in got if s == "internet"} == {80}


def test_security_module_has_one_ingress_resource_fed_only_by_those_rules():
    resources = parse_root(MODULES / "security")["resource"]
    ingress = {key: body for key, body in resources.items() if key[0] == "aws_vpc_security_group_ingress_rule"}
    assert list(ingress) == [("aws_vpc_security_group_ingress_rule", "listen")]
    rule = ingress[("aws_vpc_security_group_ingress_rule", "listen")]
    assert rule["for_each"] == "${local.ingress}"
    assert rule["from_port"] == rule["to_port"] == "${each.value.port}"
    assert '"internet" ? "0.0.0.0/0"' in rule["cidr_ipv4"] and "var.admin_cidr" in rule["cidr_ipv4"]
    assert resources[("aws_security_group", "role")]["for_each"] == "${var.roles}"
    assert not any(t == "aws_security_group_rule" for t, _ in resources)  # no second, hand-written rule set


def test_inventory_output_has_the_inventory_py_fields(aws):
    value = aws["output"]["inventory"]["value"]
    for field in ("name", "roles", "address", "public_address", "connection"):
        assert re.search(rf"\b{field}\s*=", value["hosts"]), field
    assert value["layout"] == "${var.layout}"
    assert value["source"] == "terraform-aws"
    assert set(aws["output"]) >= {"inventory", "shop_url", "security_groups"}


def test_every_variable_has_a_description_and_type_and_inputs_are_validated(aws):
    for folder in [AWS, MODULES / "network", MODULES / "security", MODULES / "instance"]:
        for name, body in parse_root(folder)["variable"].items():
            assert body.get("description") and body.get("type"), f"{folder.name}: {name}"
    for name in ("region", "admin_cidr", "ami_id", "repo_url", "bundle_dir", "name", "disk_gb"):
        assert "validation" in aws["variable"][name], name


def test_rhel9_ami_by_data_source_unless_overridden(aws):
    ami = aws["data"][("aws_ami", "rhel9")]
    assert ami["owners"] == ["309956199498"]  # Red Hat
    assert ami["count"] == "${var.ami_id == null ? 1 : 0}"
    assert "RHEL-9" in json.dumps(ami["filter"])


def test_solution_user_data_runs_role_scripts_and_carries_no_secret(tmp_path):
    values = evaluate(
        tmp_path,
        [AWS / "user_data.sh.tftpl"],
        {
            "text": 'templatefile("user_data.sh.tftpl", {host = "cart", roles = ["cart"], repo_url = '
            '"https://example.org/ck.git", repo_ref = "main", region = "ap-south-1", bucket = "b", '
            'key = "bundles/cart.tar.gz", boto3_version = "1.35.99"})'
        },
        {},
    )
    text = values["text"]
    assert "\nrun_role cart\n" in text
    assert 'CLOUDKART_BUNDLE=/opt/cloudkart/bundle bash "/opt/cloudkart/src/labs/roles/$1.sh"' in text
    assert "bundles/cart.tar.gz" in text
    assert not any(word in text.lower() for word in ("password", "secret=", "_pass="))
    assert subprocess.run(["bash", "-n"], input=text, text=True).returncode == 0


def test_solution_mode_needs_repo_url_and_bundles(aws):
    conditions = {name: aws["variable"][name]["validation"][0]["condition"] for name in ("repo_url", "bundle_dir")}
    assert all("var.lab_mode ||" in c for c in conditions.values())
    bundles = aws["resource"]
    assert bundles[("aws_s3_bucket", "bundles")]["count"] == "${var.lab_mode ? 0 : 1}"
    policy = bundles[("aws_iam_role_policy", "bundle")]["policy"]
    assert "s3:GetObject" in policy and "aws_s3_object.bundle[each.key].key" in policy


def test_role_scripts_exist_for_every_role():
    # user_data runs labs/roles/<role>.sh for each role of the layout.
    assert {p.stem for p in Path(layouts.LAYOUT_FILE.parent, "labs", "roles").glob("*.sh")} >= set(LAYOUT.roles)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"lab_mode": False, "bundle_dir": "/b"}, "needs repo_url"),
        ({"lab_mode": False, "repo_url": "https://example.org/ck.git"}, "needs bundle_dir"),
        ({"admin_cidr": "0.0.0.0/0"}, "narrower than 0.0.0.0/0"),
        ({"ami_id": "ubuntu"}, "must be an AMI ID"),
    ],
)
def test_bad_variables_are_refused_with_a_message(tmp_path, variables, message):
    shutil.copy(AWS / "variables.tf", tmp_path)
    values = {"admin_cidr": "203.0.113.7/32", **variables}
    (tmp_path / "t.auto.tfvars.json").write_text(json.dumps(values))
    assert terraform(tmp_path, "init", "-input=false").returncode == 0
    done = terraform(tmp_path, "plan", "-input=false", "-no-color")
    assert done.returncode == 1
    assert message in " ".join(done.stderr.split())
