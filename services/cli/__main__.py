"""`python -m services.cli` runs the `cloudkart` command (no console script needed)."""

from services.cli.app import main

main()
