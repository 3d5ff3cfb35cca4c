"""Shipping service: city lookup and distance-based shipping cost from the cities table in MariaDB."""
