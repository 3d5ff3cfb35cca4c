"""The `cloudkart` command."""
