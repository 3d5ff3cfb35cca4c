"""What every CloudKart service needs, written once: config, JSON errors, sessions, health, logs, serving."""
