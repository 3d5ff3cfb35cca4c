"""Structured logs: one JSON object per line on stdout, which journald stores as it is.

`journalctl -u cart -o cat | jq` then reads them; every line names its service.
"""

from __future__ import annotations

import json
import logging
import sys
import time

_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "service": self.service,
            "msg": record.getMessage(),
        }
        # Anything passed as `extra=` becomes a field, so logs stay queryable.
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def setup(service: str, level: str = "INFO") -> logging.Logger:
    """Route all logging to stdout as JSON lines tagged with the service name."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("waitress.queue", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pika logs each failed connect as ~7 ERROR lines with a traceback; its callers log one line
    # saying what failed and what they do next (retry, 503), and raise what pika raised.
    logging.getLogger("pika").setLevel(logging.CRITICAL)
    return logging.getLogger(service)
