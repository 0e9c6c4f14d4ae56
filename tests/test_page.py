"""The query page in headless Chromium (Debian's chromium, driven by Playwright).

Playwright's own browser download is never used: the tests launch /usr/bin/chromium and
skip, saying why, when it or the playwright package is missing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import running
from diplograph.server import open_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
CHROMIUM = os.environ.get("DIPLOGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PERSONS = """PREFIX dgo: <https://w3id.org/diplograph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?person ?name WHERE { ?person a dgo:Person ; skos:prefLabel ?name } ORDER BY ?name"""


def until(condition, seconds: float = 10) -> None:
    """Wait for ``condition()`` (polled from Python: the page's Content-Security-Policy
    forbids the string evaluation that ``page.wait_for_function`` uses)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the page did not get there in time")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def base():
    with running(open_store([GRAPH])) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip(
        "playwright.sync_api",
        reason="the playwright package is not installed (pip install playwright)",
    )
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is missing (Debian package chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, base):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "/")
    yield page
    context.close()
    assert not errors, errors


def test_page_runs_a_typed_query(page):
    page.fill("#query", PERSONS)
    page.press("#query", "Control+Enter")
    page.wait_for_selector("#results tbody tr")
    headers = page.locator("#results th").all_inner_texts()
    assert headers == ["person", "name"]
    names = page.locator("#results tbody td:nth-child(2)").all_inner_texts()
    assert "Zhao Leji" in names and names == sorted(names)
    assert "rows" in page.inner_text("#status")


def test_page_runs_a_named_query(page):
    page.select_option("#examples", "event-counts")
    assert "ploverCategory" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results th").all_inner_texts() == ["category", "events"]
    assert "CONSULT" in page.locator("#results tbody td:nth-child(1)").all_inner_texts()


def test_page_shows_the_server_message(page):
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#results .message")
    assert "invalid SPARQL query" in page.inner_text("#results .message")
    page.fill("#query", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    page.click("#run")
    until(lambda: "--allow-service" in page.inner_text("#results .message"))


def test_page_network_has_nodes_and_edges(page):
    page.wait_for_selector("#network .node")
    nodes = page.locator("#network .node").count()
    edges = page.locator("#network .edge").count()
    assert nodes >= 2 and edges >= 1
    legend = page.inner_text("#legend")
    assert "CONSULT" in legend
    # every edge's colour is its category's, as the legend shows it
    category = page.get_attribute("#network .edge", "data-category")
    assert category in legend
    # a period with only the dated April 2024 events draws fewer edges
    page.uncheck("#undated")
    page.fill("#from", "2024-04-01")
    page.fill("#to", "2024-04-30")
    page.click("#period button")
    until(lambda: 0 < page.locator("#network .edge").count() < edges)
    assert page.locator("#network .node").count() >= 2


def test_page_opens_an_actor_page(page):
    page.fill("#query", PERSONS)
    page.click("#run")
    page.click("#results a[href='/id/person/zhao-leji']")
    page.wait_for_url("**/id/person/zhao-leji")
    assert page.inner_text("h1").startswith("Zhao Leji")
    assert page.locator(".event").count() >= 1
    assert page.locator(".event blockquote").count() >= 1
    page.click("a[href='/id/doc/zhao-leji-pyongyang'] >> nth=0")
    page.wait_for_url("**/id/doc/zhao-leji-pyongyang")
    assert page.locator(".kind").inner_text() == "article"


def test_page_network_node_links_to_the_actor(page):
    page.wait_for_selector("#network .node")
    page.click("#network a.node[href='/id/state/CHN']")
    page.wait_for_url("**/id/state/CHN")
    assert page.inner_text("h1").startswith("China")
