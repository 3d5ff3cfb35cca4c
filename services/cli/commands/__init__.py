"""One module per area of the `cloudkart` command; each adds its commands to `services.cli.app.cli`.

Modules import heavy libraries inside their functions so `cloudkart --help` stays instant.
"""
