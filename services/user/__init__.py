"""The user service: accounts in MongoDB, sessions in Redis."""
