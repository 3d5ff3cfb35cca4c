"""Deployments: the layout description, and the configs rendered from it."""
