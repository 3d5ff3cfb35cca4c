"""Cart service: a shopping cart per session in Redis, priced from the catalogue, with shipping."""
