"""Carts in Redis, changed only by Lua scripts so concurrent requests never lose an update.

One hash per session, `cart:<sessionId>`:
- `qty:<sku>`  the quantity (changed atomically inside Redis, never read-modify-written by Python);
- `item:<sku>` `{"name", "price"}` as the catalogue gave them when the item was added or updated;
- `shipping`   the shipping choice, as the shipping service computed it.

`cart-user:<userId>` points at the session whose cart is the user's current one. When the user shows
up with a new session (next login), that cart moves into the new session's cart (see README.md).
Every key lives SESSION_TTL seconds after its last use, like the session itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import redis

from services.cart.pricing import Line, to_money
from services.common.stores import redis_errors

DEPENDENCY = "cart store (redis)"
OVER_STOCK = -1
NOT_IN_CART = -2

# KEYS: cart, user pointer. ARGV: sku, qty to add, stock, item JSON, ttl. Returns {added?, qty now}.
_ADD = """
local field = 'qty:' .. ARGV[1]
local current = tonumber(redis.call('HGET', KEYS[1], field) or '0')
local wanted = current + tonumber(ARGV[2])
if wanted > tonumber(ARGV[3]) then return {0, current} end
redis.call('HSET', KEYS[1], field, wanted, 'item:' .. ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {1, wanted}
"""

# KEYS: cart, user pointer. ARGV: sku, new qty (0 removes), stock, item JSON, ttl.
# Returns the new qty, OVER_STOCK or NOT_IN_CART.
_SET = """
local field = 'qty:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], field) == 0 then return -2 end
local wanted = tonumber(ARGV[2])
if wanted == 0 then
  redis.call('HDEL', KEYS[1], field, 'item:' .. ARGV[1])
elseif wanted > tonumber(ARGV[3]) then
  return -1
else
  redis.call('HSET', KEYS[1], field, wanted, 'item:' .. ARGV[1], ARGV[4])
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return wanted
"""

# KEYS: this session's cart, user pointer, the cart the pointer named when we read it.
# ARGV: this session id, the session id we read from the pointer ('' if none), ttl.
# Moves the old cart into this one (quantities add up) unless the pointer changed meanwhile (returns 0).
_ADOPT = """
local pointer = redis.call('GET', KEYS[2]) or ''
if pointer ~= ARGV[2] then return 0 end
if ARGV[2] ~= '' then
  local fields = redis.call('HGETALL', KEYS[3])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 4) == 'qty:' then
      redis.call('HINCRBY', KEYS[1], fields[i], fields[i + 1])
    else
      redis.call('HSETNX', KEYS[1], fields[i], fields[i + 1])
    end
  end
  redis.call('DEL', KEYS[3])
  if #fields > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
end
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
return 1
"""
ADOPT_ATTEMPTS = 5


def cart_key(session_id: str) -> str:
    return f"cart:{session_id}"


def user_key(user_id: str) -> str:
    return f"cart-user:{user_id}"


@dataclass(frozen=True)
class Contents:
    lines: list[Line]
    shipping: dict[str, Any] | None


@dataclass(frozen=True)
class Change:
    """Result of an add or update: `ok` False when the stock would be exceeded; `qty` is then what stays."""

    ok: bool
    qty: int


class CartStore:
    def __init__(self, client: redis.Redis, ttl: int) -> None:
        self.redis = client
        self.ttl = ttl
        self._add = client.register_script(_ADD)
        self._set = client.register_script(_SET)
        self._adopt = client.register_script(_ADOPT)

    def attach(self, session_id: str, user_id: str) -> None:
        """Make this session's cart the user's cart, bringing along the cart of their previous session."""
        keys_pointer = user_key(user_id)
        with redis_errors(DEPENDENCY):
            for _ in range(ADOPT_ATTEMPTS):
                previous = self.redis.get(keys_pointer) or ""
                if previous == session_id:
                    return
                keys = [cart_key(session_id), keys_pointer, cart_key(previous or session_id)]
                if self._adopt(keys=keys, args=[session_id, previous, self.ttl]):
                    return
        # Another session of the same user moved the pointer each time; this cart stays as it is.

    def contents(self, session_id: str) -> Contents:
        with redis_errors(DEPENDENCY):
            fields = self.redis.hgetall(cart_key(session_id))
        lines = []
        for field, value in fields.items():
            if field.startswith("qty:"):
                sku = field[4:]
                item = json.loads(fields.get(f"item:{sku}", "{}"))
                lines.append(Line(sku, item.get("name", sku), to_money(item.get("price", 0)), int(value)))
        shipping = json.loads(fields["shipping"]) if "shipping" in fields else None
        return Contents(lines, shipping)

    def add(self, session_id: str, user_id: str, sku: str, qty: int, stock: int, item: dict[str, str]) -> Change:
        keys = [cart_key(session_id), user_key(user_id)]
        with redis_errors(DEPENDENCY):
            added, now = self._add(keys=keys, args=[sku, qty, stock, json.dumps(item), self.ttl])
        return Change(bool(added), int(now))

    def set(self, session_id: str, user_id: str, sku: str, qty: int, stock: int, item: dict[str, str]) -> int:
        """New quantity, or OVER_STOCK / NOT_IN_CART."""
        keys = [cart_key(session_id), user_key(user_id)]
        with redis_errors(DEPENDENCY):
            return int(self._set(keys=keys, args=[sku, qty, stock, json.dumps(item), self.ttl]))

    def set_shipping(self, session_id: str, shipping: dict[str, Any]) -> None:
        with redis_errors(DEPENDENCY):
            pipe = self.redis.pipeline()
            pipe.hset(cart_key(session_id), "shipping", json.dumps(shipping))
            pipe.expire(cart_key(session_id), self.ttl)
            pipe.execute()

    def clear(self, session_id: str) -> None:
        with redis_errors(DEPENDENCY):
            self.redis.delete(cart_key(session_id))

    def ping(self) -> None:
        self.redis.ping()
