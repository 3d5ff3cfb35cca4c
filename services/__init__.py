"""CloudKart: the shop's services, and the `cloudkart` command that runs, renders, deploys and grades them."""
