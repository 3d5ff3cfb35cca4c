"""`cloudkart infra init|plan|apply|destroy|output --env aws|local`: the layout's hosts through Terraform."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from services.cli.app import cli

ENV = click.option(
    "--env",
    "env_name",
    type=click.Choice(["aws", "local"]),
    default="local",
    show_default=True,
    help="terraform/envs/<env>: aws (12 EC2 instances) or local (offline; optionally drives `cloudkart hosts`).",
)

STATE = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Terraform state and data dir.  [default: var/infra/<env>]",
)


def _parse_vars(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, object]:
    """KEY=VALUE pairs; a JSON VALUE (list, map, number, true/false) keeps its type, anything else is a string."""
    pairs: dict[str, object] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", ctx=ctx, param=param)
        try:
            pairs[key] = json.loads(value)
        except ValueError:
            pairs[key] = value
    return pairs


def _variable_options(func):
    """The variables plan, apply and destroy share, so destroy sees what apply created."""
    options = [
        click.option(
            "--var",
            "extra",
            multiple=True,
            callback=_parse_vars,
            help='Any root variable, KEY=VALUE (repeatable); JSON values keep their type: only=["cart"].',
        ),
        click.option(
            "--drive-hosts", is_flag=True, help="local: apply boots the local systemd hosts, destroy stops them."
        ),
        click.option("--only", help="local with --drive-hosts: comma-separated host names."),
        click.option("--admin-cidr", help="aws (required there): where SSH may come from, e.g. 203.0.113.7/32."),
        click.option("--solution", is_flag=True, help="aws: lab_mode=false; hosts run their role scripts at boot."),
        click.option("--repo-url", help="aws --solution: git URL the hosts clone."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _variables(env_name: str, extra, drive_hosts, only, admin_cidr, solution, repo_url) -> dict:
    """The root's variables from the options: the same inputs give the same variables in every step."""
    variables: dict = {"cloudkart": str(Path(sys.executable).with_name("cloudkart"))} if env_name == "local" else {}
    if env_name == "local" and drive_hosts:
        from services.cli.commands.hosts import host_names
        from services.hosts.local import SSH_CONFIG, LocalHosts

        names = host_names(only) or []
        addresses = LocalHosts(extra.get("layout", "cloudkart-12")).addresses()
        variables.update(drive_hosts=True, only=names, addresses=addresses, ssh_config=str(SSH_CONFIG))
    if env_name == "aws":
        if not admin_cidr and "admin_cidr" not in extra:
            raise click.UsageError("--env aws needs --admin-cidr (your address as a /32): SSH is open only to it")
        if admin_cidr:
            variables["admin_cidr"] = admin_cidr
        if solution:
            variables.update(lab_mode=False, repo_url=repo_url or "")
    variables.update(extra)
    return variables


def _steps(env, steps: list[tuple[str, object]]) -> list[str]:
    """Run each (label, callable) under one progress bar; returns their outputs."""
    from services.hosts.progress import bar

    outputs = []
    with bar(f"terraform ({env.name})", len(steps)) as advance:
        for label, step in steps:
            outputs.append(step())
            advance(label)
    return outputs


def _init_then(step: str, env_name: str, state_dir: Path | None, options: dict):
    """init, then plan, apply or destroy with the options' variables; returns (environment, step output).

    Solution mode on AWS renders every host's bundle first: bundles.tf uploads them.
    """
    from services.infra.driver import Environment

    env = Environment(env_name, variables=_variables(env_name, **options), state_dir=state_dir)
    if env.name == "aws" and options["solution"]:
        from services.infra.bundles import make_bundles

        out = env.state_dir / "bundles"
        make_bundles(env.variables.get("layout", "cloudkart-12"), env.variables["admin_cidr"], out)
        env.variables["bundle_dir"] = str(out)
    _, text = _steps(env, [("init", env.init), (step, getattr(env, step))])
    return env, text


@cli.group()
def infra() -> None:
    """The layout's 12 hosts with Terraform: AWS EC2 (terraform/envs/aws) or offline (terraform/envs/local).

    State lives in var/infra/<env>/. `output` prints the inventory grading reads.
    """


@infra.command()
@ENV
@STATE
def init(env_name: str, state_dir: Path | None) -> None:
    """terraform init: modules and providers (the aws env downloads the AWS provider)."""
    from services.infra.driver import Environment

    env = Environment(env_name, state_dir=state_dir)
    _steps(env, [("init", env.init)])
    click.echo(f"initialised terraform/envs/{env_name}; state in {env.state_dir}")


@infra.command()
@ENV
@STATE
@_variable_options
def plan(env_name: str, state_dir: Path | None, **options) -> None:
    """terraform plan: what apply would change (runs init first)."""
    click.echo(_init_then("plan", env_name, state_dir, options)[1])


@infra.command()
@ENV
@STATE
@_variable_options
def apply(env_name: str, state_dir: Path | None, **options) -> None:
    """terraform apply: create the hosts, then print the inventory."""
    env, _ = _init_then("apply", env_name, state_dir, options)
    click.echo(env.inventory().to_json())


@infra.command()
@ENV
@STATE
@_variable_options
def destroy(env_name: str, state_dir: Path | None, **options) -> None:
    """terraform destroy: remove every host (local with --drive-hosts: `cloudkart hosts down`)."""
    _init_then("destroy", env_name, state_dir, options)
    click.echo(f"destroyed terraform/envs/{env_name}")


@infra.command()
@ENV
@STATE
@click.option(
    "--save", type=click.Path(dir_okay=False, path_type=Path), help="Also write the inventory JSON to this file."
)
def output(env_name: str, state_dir: Path | None, save: Path | None) -> None:
    """The inventory (services/deploy/inventory.py's format) of the last apply."""
    from services.infra.driver import Environment

    inventory = Environment(env_name, state_dir=state_dir).inventory()
    if save:
        inventory.save(save)
    click.echo(inventory.to_json())
