"""The base of every error a person can act on from its message alone.

A typo in layout.yml, a missing tool, not being root, a Terraform step that failed: the message says
what to do, and a Python traceback would only hide it. The `cloudkart` command prints these as plain
errors (services/cli/app.py); anything else still fails loudly, with its traceback.
"""


class ExpectedFailure(Exception):
    """An error whose message is the whole story."""
