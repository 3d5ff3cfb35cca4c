"""Config files are where the units expect them, owned by root, and secrets are readable by root only."""

from checks.catalog import check
from checks.components import ENV_DIR, UNIT_DIR


def existing_env_file(host, unit):
    env = host.file(f"{ENV_DIR}/{unit.service}.env")
    assert env.is_file, f"{env.path} does not exist"
    return env


@check(
    "{prefix}-08",
    points=1,
    hint="/etc/cloudkart/{service}.env (the settings of {unit}) is missing or not root's: copy it from the "
    "rendered bundle (env/{service}.env) with `install -o root -g root -m 0600`",
)
def test_env_file_present_and_owned_by_root(host, cloudkart_unit):
    env_file = existing_env_file(host, cloudkart_unit)
    assert env_file.user == "root", f"{env_file.path} is owned by {env_file.user}, expected root"


@check(
    "{prefix}-09",
    points=2,
    hint="/etc/cloudkart/{service}.env holds passwords and must be readable by root only: "
    "`chmod 0600 /etc/cloudkart/{service}.env`",
)
def test_env_file_is_private(host, cloudkart_unit):
    env_file = existing_env_file(host, cloudkart_unit)
    assert env_file.mode == 0o600, f"{env_file.path} has mode {env_file.mode:04o}, expected 0600"


@check(
    "{prefix}-10",
    points=1,
    hint="/etc/systemd/system/{unit}.service is missing or writable by others: install it from the rendered "
    "bundle (systemd/) with mode 0644, owned by root, then `systemctl daemon-reload`",
)
def test_unit_file_installed(host, cloudkart_unit):
    unit_file = host.file(f"{UNIT_DIR}/{cloudkart_unit.unit}.service")
    assert unit_file.is_file, f"{unit_file.path} does not exist"
    assert unit_file.user == "root", f"{unit_file.path} is owned by {unit_file.user}, expected root"
    assert not unit_file.mode & 0o022, f"{unit_file.path} has mode {unit_file.mode:04o}; others must not write it"
