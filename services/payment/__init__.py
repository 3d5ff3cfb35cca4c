"""Payment service: checks the user and the cart, simulates the gateway, publishes the order to RabbitMQ."""
