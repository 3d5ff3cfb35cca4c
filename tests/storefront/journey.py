"""The shopper's whole journey through the storefront, driven in headless Chromium with playwright.

Kept apart from the test so it can run against any shop URL (`python -m tests.storefront.journey URL`).
"""

from __future__ import annotations

import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMEOUT_MS = 15_000


@dataclass
class Outcome:
    """What the journey saw, for the test's checks after the browser is gone."""

    orderid: str = ""
    bought: dict[str, int] = field(default_factory=dict)
    stock_before: dict[str, int] = field(default_factory=dict)
    screenshots: list[Path] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class Journey:
    def __init__(self, page: Page, base_url: str, shots: Path) -> None:
        self.page, self.base_url, self.shots = page, base_url.rstrip("/"), shots
        self.outcome = Outcome()
        origin = urlsplit(self.base_url).netloc
        page.on("request", lambda r: self._note_request(r.url, origin))
        page.on("pageerror", lambda exc: self.outcome.page_errors.append(str(exc)))
        page.on("console", lambda m: self.outcome.console_errors.append(m.text) if m.type == "error" else None)
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)

    def _note_request(self, url: str, origin: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("data", "blob") and parts.netloc != origin:
            self.outcome.foreign_requests.append(url)

    def api_get(self, path: str) -> Any:
        """The API's own answer, through the same Nginx, to compare the page with."""
        answer = self.page.request.get(self.base_url + path)
        assert answer.ok, (path, answer.status, answer.text())
        return answer.json()

    def shot(self, name: str) -> None:
        path = self.shots / f"{len(self.outcome.screenshots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.outcome.screenshots.append(path)

    def cart_count(self) -> object:
        return expect(self.page.get_by_test_id("cart-count"))

    def run(self) -> Outcome:
        username = f"shopper_{uuid.uuid4().hex[:10]}"
        password = f"pw-{uuid.uuid4().hex}"
        self.browse()
        self.register(username, password)
        self.log_in(username, password)
        first = self.filter_and_search()
        second = self.add_from_product_page(exclude=first)
        self.edit_cart(first, second)
        self.checkout_and_pay()
        self.see_empty_cart()
        self.log_out()
        return self.outcome

    def browse(self) -> None:
        page = self.page
        page.goto(self.base_url + "/")
        expect(page.locator(".product-card").first).to_be_visible()
        expect(page.locator(".product-card img").first).to_have_js_property("complete", True)
        self.shot("catalogue")

    def register(self, username: str, password: str) -> None:
        page = self.page
        page.get_by_role("link", name="Sign up").click()
        page.get_by_label("Username").fill(username)
        page.get_by_label("Email").fill(f"{username}@example.com")
        page.get_by_label("Password").fill(password)
        self.shot("register")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_text("Your account is ready")).to_be_visible()

    def log_in(self, username: str, password: str) -> None:
        page = self.page
        expect(page.get_by_label("Username or email")).to_have_value(username)
        # A wrong password first: the shopper must read the API's error in plain words.
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".alert.error")).to_contain_text(re.compile("password", re.IGNORECASE))
        self.shot("login-error")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".who")).to_contain_text(username)

    def expect_grid_shows(self, param: str, value: str, everything: int) -> None:
        """The grid shows exactly what the catalogue API answers for that filter, and says so."""
        expect(self.page).to_have_url(re.compile(rf"{param}="))
        wanted = self.api_get("/api/catalogue/products?" + urlencode({param: value}))
        assert 0 < len(wanted) < everything, (param, value, len(wanted), everything)
        expect(self.page.locator(".product-card")).to_have_count(len(wanted))
        expect(self.page.locator(".result-line")).to_contain_text(value)

    def filter_and_search(self) -> str:
        """Filter by a category, then search by a word; add the first result. Returns its sku."""
        page = self.page
        cards = page.locator(".product-card")
        everything = len(self.api_get("/api/catalogue/products"))
        expect(cards).to_have_count(everything)
        category = page.locator(".chips .chip").nth(1)
        category_name = category.inner_text().strip()
        category.click()
        self.expect_grid_shows("category", category_name, everything)
        self.shot("category")

        word = cards.last.locator(".title").inner_text().split()[0]
        page.locator(".chips .chip").first.click()
        expect(cards).to_have_count(everything)
        page.get_by_role("searchbox").fill(word)
        self.expect_grid_shows("q", word, everything)
        self.shot("search")

        first = cards.first
        sku = first.get_attribute("data-sku") or ""
        first.get_by_role("button", name="Add to cart").click()
        self.cart_count().to_have_text("1")
        return sku

    def add_from_product_page(self, exclude: str) -> str:
        page = self.page
        page.get_by_role("button", name="All courses").click()
        page.get_by_role("searchbox").fill("")
        cards = page.locator(f".product-card:not([data-sku='{exclude}'])")
        expect(cards.first).to_be_visible()
        sku = cards.first.get_attribute("data-sku") or ""
        cards.first.locator("a.title").click()
        expect(page.locator(".product h1")).to_be_visible()
        expect(page.locator(".product-image img")).to_have_js_property("complete", True)
        self.shot("product")
        page.locator(".product").get_by_role("button", name="Add to cart").click()
        self.cart_count().to_have_text("2")
        return sku

    def edit_cart(self, first: str, second: str) -> None:
        page = self.page
        page.get_by_label("Cart").click()
        lines = page.locator(".line")
        expect(lines).to_have_count(2)
        page.locator(f".line[data-sku='{first}']").get_by_role("button", name="One more").click()
        expect(page.locator(f".line[data-sku='{first}'] .qty")).to_have_text("2")
        self.cart_count().to_have_text("3")
        self.shot("cart")
        page.locator(f".line[data-sku='{second}']").get_by_role("button", name="Remove").click()
        expect(lines).to_have_count(1)
        self.cart_count().to_have_text("2")
        self.outcome.bought = {first: 2}
        self.outcome.stock_before = {first: self.api_get(f"/api/catalogue/product/{first}")["qty"]}

    def checkout_and_pay(self) -> None:
        page = self.page
        page.get_by_role("link", name="Checkout").click()
        page.get_by_label("Country").select_option(label="India")
        page.get_by_label("City").press_sequentially("Mum", delay=60)
        suggestion = page.locator(".suggestions li").first
        expect(suggestion).to_be_visible()
        city = suggestion.locator("b").inner_text()
        self.shot("city-suggestions")
        suggestion.click()
        shipping = page.get_by_test_id("shipping")
        expect(shipping).to_contain_text(city)
        expect(shipping).to_contain_text("₹")
        self.shot("checkout")
        pay = page.get_by_role("button", name=re.compile(r"^Pay "))
        expect(pay).to_be_enabled()
        pay.click()
        order_id = page.get_by_test_id("order-id")
        expect(order_id).to_have_text(UUID_TEXT)
        self.outcome.orderid = order_id.inner_text().strip()
        self.cart_count().to_have_text("0")
        self.shot("confirmation")

    def see_empty_cart(self) -> None:
        page = self.page
        page.get_by_label("Cart").click()
        expect(page.get_by_role("heading", name="Your cart is empty")).to_be_visible()
        self.shot("empty-cart")

    def log_out(self) -> None:
        page = self.page
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()
        expect(page.locator(".product-card").first).to_be_visible()
        self.cart_count().to_have_text("0")


def shop_journey(base_url: str, shots: Path = SCREENSHOTS) -> Outcome:
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            return Journey(page, base_url, shots).run()
        finally:
            browser.close()


if __name__ == "__main__":
    print(shop_journey(sys.argv[1]))
