"""The course's labs and which lab teaches each component: the one mapping checks, grading and docs read.

Lab order follows issue 7 (dependencies first). A check's lab comes from the component it checks, so
a student who fails REDIS-04 is sent to the lab that taught Redis.
"""

from __future__ import annotations

LABS: dict[int, str] = {
    0: "Environment",
    1: "Frontend (Nginx and the storefront)",
    2: "MongoDB",
    3: "Catalogue service",
    4: "Redis",
    5: "User service",
    6: "Cart service",
    7: "MySQL and the city import",
    8: "Shipping service",
    9: "RabbitMQ",
    10: "Payment service",
    11: "Order processor",
    12: "End-to-end smoke test and troubleshooting",
    13: "Teardown",
}

COMPONENT_LAB: dict[str, int] = {
    "nginx": 1,
    "mongodb": 2,
    "catalogue": 3,
    "redis": 4,
    "user": 5,
    "cart": 6,
    "mysql": 7,
    "shipping": 8,
    "rabbitmq": 9,
    "rabbitmq-management": 9,
    "payment": 10,
    "orders": 11,
}

SMOKE_LAB = 12


def lab_name(number: int) -> str:
    """'04 Redis': how reports and hints name a lab."""
    return f"{number:02d} {LABS[number]}"
