"""Regenerate docs/query-page.png: the query page with a result and the actor network.

    .venv/bin/python docs/make_screenshot.py [OUTPUT.png]

Serves graphs/zhao-leji-pyongyang.ttl on a free local port, opens the page in Debian's
headless Chromium (/usr/bin/chromium, driven by Playwright; never `playwright install`),
runs the who-met-whom example and takes the picture.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from diplograph.server import make_server, open_store

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
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


def main(output: Path) -> None:
    server = make_server(open_store([GRAPH]), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 820})
            page.goto(server.url + "/")
            page.wait_for_selector("#network .node")
            page.select_option("#examples", "who-met-whom")
            page.click("#run")
            page.wait_for_selector("#results tbody tr")
            page.screenshot(path=str(output))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "query-page.png")
