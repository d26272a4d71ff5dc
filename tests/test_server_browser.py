"""The server in a real browser: headless Chromium (Debian's `chromium`), driven over the DevTools
protocol on a pipe (`--remote-debugging-pipe`), so no WebSocket client is needed.

A person opens `/`, picks a canned query, clicks "Run query" and sees the result table; then opens an
entity page and sees its facts with their evidence. These tests FAIL when Chromium is missing:
a browser test that skips proves nothing (install it with `apt-get install chromium`).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_server import running_server

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-extensions",
                  "--window-size=1280,1000", "--remote-debugging-pipe"]


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Chromium is not installed: `apt-get install chromium` (Debian) is needed for the browser tests")


def _above(fd: int, lowest: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
    os.close(fd)
    return moved


class Browser:
    """Just enough of the DevTools protocol: commands on fd 3, replies and events on fd 4, NUL-separated."""

    def __init__(self, executable: str, profile: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the child's ends go above 3 and 4 first, so that placing one cannot overwrite the other
        to_browser_r, from_browser_w = (_above(to_browser_r, 10), _above(from_browser_w, 10))

        def wire_pipes():  # in the child: the pipe ends where Chromium expects them
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        # 3 and 4 are kept too: subprocess closes other descriptors after preexec_fn has run
        self.proc = subprocess.Popen([executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     preexec_fn=wire_pipes, pass_fds=(to_browser_r, from_browser_w, 3, 4),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, timeout: float = 30, session: bool = True) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, session=False)
        self.session = attached["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def navigate(self, url: str) -> None:
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        seen = self.evaluate("['#status', '#results'].map(s => document.querySelector(s))"
                             ".map(e => e ? e.textContent.slice(0, 1000) : '').join(' | ')")
        raise TimeoutError(f"never true: {expression}\nthe page shows:\n{seen}\nevents: {self.errors()}")

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre, as a person would."""
        box = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1})

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def errors(self) -> list[dict]:
        return [e for e in self.events if e.get("method") == "Runtime.exceptionThrown"
                or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error")]

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False, timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def site(built_store, tmp_path_factory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("browser-server") / "server.log"
    with running_server(built_store, "--workers", "2", log=log) as base:
        yield base


@pytest.fixture
def browser(tmp_path) -> Iterator[Browser]:
    instance = Browser(chromium_path(), tmp_path / "profile")
    try:
        instance.open_page()
        yield instance
    finally:
        instance.close()


def test_run_a_canned_query_and_see_the_table(site, browser, tmp_path):
    browser.navigate(f"{site}/")
    browser.wait_for("document.documentElement.getAttribute('data-ready')")
    names = browser.evaluate("[...document.querySelectorAll('#canned-list li')].map(o => o.dataset.name)")
    assert "classes" in names and "lineage" in names
    browser.evaluate("document.querySelector('button.canned-pick[data-name=classes]').click()")
    assert "rdf:type" in browser.evaluate("window.untocQueryEditor.getValue()")
    browser.click("#run")
    rows = browser.wait_for("document.querySelectorAll('#results table tbody tr').length")
    browser.screenshot(tmp_path / "query.png")
    assert rows > 5
    headers = browser.evaluate("[...document.querySelectorAll('#results th')].map(t => t.textContent)")
    assert headers == ["?class", "?instances"]
    first = browser.evaluate("document.querySelector('#results tbody tr td a').getAttribute('href')")
    assert first.startswith("/ontology#")
    assert "result" in browser.evaluate("document.querySelector('#status').textContent")
    assert browser.errors() == []


def test_a_canned_query_with_a_parameter(site, browser):
    browser.navigate(f"{site}/?canned=lineage")
    browser.wait_for("document.documentElement.getAttribute('data-ready')")
    assert browser.evaluate("document.querySelector('#param-body').value") == "id:body/wg-tip"
    browser.click("#run")
    rows = browser.wait_for("document.querySelectorAll('#results table tbody tr').length")
    assert rows >= 1
    text = browser.evaluate("document.querySelector('#results table').textContent")
    assert "4/4" in text
    assert browser.errors() == []


def test_an_error_is_shown_as_a_message(site, browser):
    browser.navigate(f"{site}/")
    browser.wait_for("document.documentElement.getAttribute('data-ready')")
    browser.evaluate("window.untocQueryEditor.setValue('SELECT * { SERVICE <http://127.0.0.1:9/> {} }')")
    browser.click("#run")
    message = browser.wait_for("document.querySelector('#results .error') && "
                               "document.querySelector('#results .error').textContent")
    assert "400" in message and "SERVICE" in message


def test_open_an_entity_page(site, browser, tmp_path):
    browser.navigate(f"{site}/id/act/untoc-cop/decision/4-4")
    assert browser.evaluate("document.querySelector('h1').textContent") == "Conference decision 4/4"
    evidence = browser.evaluate("[...document.querySelectorAll('blockquote.evidence')].map(b => b.textContent)")
    assert evidence and any("decision 4/4" in text for text in evidence)
    links = browser.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert "/id/body/untoc-cop" in links
    browser.screenshot(tmp_path / "entity.png")
    # follow a link to a neighbour, as a reader would
    browser.click("a[href='/id/body/untoc-cop']")
    browser.wait_for("location.pathname === '/id/body/untoc-cop' && document.readyState === 'complete'")
    assert "Conference of the Parties" in browser.evaluate("document.querySelector('h1').textContent")
    assert browser.errors() == []
