"""Every component of the host runs as a systemd unit that starts at boot; CloudKart's own restart on failure."""

from checks.catalog import check
from checks.probes import STANDIN_NOTE, installed_unit, is_mongo_standin


@check(
    "{prefix}-01",
    points=1,
    hint="{unit} is not enabled, so it will not come back after a reboot: run `systemctl enable {unit}`",
)
def test_unit_is_enabled(host, unit, note):
    name = installed_unit(host, unit)
    if name == "mongod" and is_mongo_standin(host):
        note(STANDIN_NOTE)
    assert host.service(name).is_enabled, f"{name}.service is not enabled on {unit.host}"


@check(
    "{prefix}-02",
    points=2,
    hint="{unit} is not running: start it with `systemctl start {unit}` and read why it stopped with "
    "`journalctl -u {unit} -n 50`",
)
def test_unit_is_running(host, unit):
    name = installed_unit(host, unit)
    assert host.service(name).is_running, f"{name}.service is not running on {unit.host}"


@check(
    "{prefix}-03",
    points=1,
    hint="{unit}.service does not restart after a crash: put `Restart=on-failure` in the [Service] section "
    "of /etc/systemd/system/{unit}.service, then `systemctl daemon-reload`",
)
def test_unit_restarts_on_failure(host, cloudkart_unit):
    restart = host.service(cloudkart_unit.unit).systemd_properties.get("Restart")
    assert restart == "on-failure", f"{cloudkart_unit.unit}.service has Restart={restart}, expected on-failure"
