"""The catalogue service: products in MongoDB, their images and the seed catalogue."""
