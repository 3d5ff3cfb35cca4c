"""Local test hosts: the layout's servers as systemd-nspawn containers with real systemd inside.

`LocalHosts(layout).up()` returns the same inventory format as Terraform and Vagrant, so the role
scripts, checks and grading cannot tell these hosts from real machines.
"""

from services.hosts.local import HostsError, LocalHosts

__all__ = ["HostsError", "LocalHosts"]
