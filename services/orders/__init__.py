"""Order processor: consumes orders from RabbitMQ and fulfils them (log, warehouse, confirmation email)."""
