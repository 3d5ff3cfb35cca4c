"""The AngularJS storefront: static files that Nginx serves, assembled by `cloudkart storefront build`."""
