"""The `products` collection (model: sku, name, description, price, image, qty, categories) and stock
reservations. Every read projects `_id` away, so Mongo's internal ids never reach a client."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.catalogue.cache import TtlCache
from services.common.errors import Conflict, NotFound
from services.common.mongo import IndexedCollection, conflict_retrying, mongo_errors, retry_conflicts

PUBLIC = {"_id": 0}
LIST_LIMIT = 500


@dataclass(frozen=True)
class Line:
    sku: str
    qty: int


class Catalogue:
    """Product reads go through `cache` (stock shown may be up to its TTL old); reserve() is always
    answered by the store and clears the cache, so this process never shows stock older than its last reserve."""

    def __init__(self, db: Database, cache: TtlCache | None = None) -> None:
        self.products = IndexedCollection(db["products"], ("sku",))
        # One document per reserved order (its id is the orderid) makes a repeated reserve a no-op.
        self.reservations = db["reservations"]
        self.cache = cache or TtlCache(0)

    def list(self, category: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
        return self.cache.get(("list", category, text), lambda: self._query_list(category, text))

    def get(self, sku: str) -> dict[str, Any]:
        return self.cache.get(("product", sku), lambda: self._query_product(sku))

    def categories(self) -> list[str]:
        return self.cache.get(("categories",), self._query_categories)

    @conflict_retrying
    def _query_list(self, category: str | None, text: str | None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {}
        if category:
            query["categories"] = category
        if text:
            # The user's words are matched literally, never as a pattern they wrote.
            pattern = {"$regex": re.escape(text), "$options": "i"}
            query["$or"] = [{"name": pattern}, {"description": pattern}]
        with mongo_errors():
            return list(self.products().find(query, PUBLIC).sort("sku", 1).limit(LIST_LIMIT))

    @conflict_retrying
    def _query_product(self, sku: str) -> dict[str, Any]:
        with mongo_errors():
            product = self.products().find_one({"sku": sku}, PUBLIC)
        if product is None:
            raise NotFound("product", sku)
        return product

    @conflict_retrying
    def _query_categories(self) -> list[str]:
        with mongo_errors():
            return sorted(self.products().distinct("categories"))

    def reserve(self, orderid: str, lines: list[Line]) -> dict[str, Any]:
        """Take every line's qty from stock, or nothing at all (409 naming the short sku).

        Idempotent by orderid: a repeat answers with the first reservation and takes no more stock.
        """
        try:
            return self._reserve(orderid, lines)
        finally:
            # Even a refused reserve moved stock for a moment (taken, then given back): reads during it may be off.
            self.cache.clear()

    def _reserve(self, orderid: str, lines: list[Line]) -> dict[str, Any]:
        with mongo_errors():
            done = retry_conflicts(lambda: self.reservations.find_one({"_id": orderid}))
            if done:
                return _receipt(done, repeated=True)
            taken: list[Line] = []
            for line in lines:
                # Conditional $inc: the filter and the decrement are one atomic step, so stock never goes below 0.
                result = retry_conflicts(
                    lambda line=line: self.products().update_one(
                        {"sku": line.sku, "qty": {"$gte": line.qty}}, {"$inc": {"qty": -line.qty}}
                    )
                )
                if result.modified_count != 1:
                    self._give_back(taken)
                    self._refuse(line)
                taken.append(line)
            record = {"_id": orderid, "items": [{"sku": t.sku, "qty": t.qty} for t in taken]}
            try:
                retry_conflicts(lambda: self.reservations.insert_one(record))
            except DuplicateKeyError:
                # The same order was reserved concurrently and won: return our stock and answer as a repeat.
                self._give_back(taken)
                return _receipt(retry_conflicts(lambda: self.reservations.find_one({"_id": orderid})), repeated=True)
        return _receipt(record, repeated=False)

    def _give_back(self, lines: list[Line]) -> None:
        for line in lines:
            retry_conflicts(
                lambda line=line: self.products().update_one({"sku": line.sku}, {"$inc": {"qty": line.qty}})
            )

    def _refuse(self, line: Line) -> None:
        product = retry_conflicts(lambda: self.products().find_one({"sku": line.sku}, {"_id": 0, "qty": 1}))
        if product is None:
            raise NotFound("product", line.sku)
        raise Conflict(
            f"not enough stock of {line.sku!r}: {product['qty']} left, {line.qty} asked",
            sku=line.sku,
            available=product["qty"],
        )


def _receipt(record: dict[str, Any], *, repeated: bool) -> dict[str, Any]:
    return {"orderid": record["_id"], "items": record["items"], "reserved": True, "repeated": repeated}
