"""Headless Chromium driven over the DevTools protocol, to look at our pages as a reader would.

Why not `chromium --screenshot --dump-dom`: those flags cannot tell us about console errors or
requests to other hosts, and under `--virtual-time-budget` the page's clock is virtual, which makes
timings meaningless. Why a pipe (`--remote-debugging-pipe`, fds 3 and 4, messages ended by NUL)
and not a websocket: no port to open, nothing to install beyond Debian's `chromium`.

Used by the browser tests, `bench/bench_viz.py` and to make the README's screenshot.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


class BrowserError(RuntimeError):
    """Chromium is missing, died, or did not answer in time; the message says which."""


def find_chromium() -> str | None:
    env = os.environ.get("CHROMIUM")
    if env:
        return env
    return next((path for path in map(shutil.which, CANDIDATES) if path), None)


@dataclass
class PageReport:
    """What happened while a page was open: the tests assert on this."""

    url: str
    attributes: dict[str, str] = field(default_factory=dict)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    timed_out: bool = False
    busy: bool = False
    screenshot: Path | None = None

    @property
    def errors(self) -> list[str]:
        return self.console_errors + self.exceptions


class Chromium:
    """One headless Chromium process; `open()` a page, evaluate, screenshot, `close()`."""

    def __init__(self, binary: str | None = None, width: int = 1400, height: int = 900, timeout: float = 60.0):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise BrowserError("Chromium is not installed: apt-get install chromium (Debian's package)")
        self.width, self.height, self.timeout = width, height, timeout
        self.profile = tempfile.mkdtemp(prefix="untoc-kg-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds():  # runs in the child: DevTools reads commands on fd 3, writes answers on fd 4
            a = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [self.binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--metrics-recording-only", "--mute-audio",
                "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--hide-scrollbars", f"--window-size={width},{height}",
                f"--user-data-dir={self.profile}", "about:blank"]
        # close_fds=False: closing would happen after wire_fds and take fds 3 and 4 with it; Python's
        # own descriptors are not inheritable, so nothing else leaks into the child
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, preexec_fn=wire_fds, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._events: queue.Queue = queue.Queue()
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr_tail: list[bytes] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # -- protocol -------------------------------------------------------------------------------

    def _drain_stderr(self) -> None:
        for line in self.process.stderr:
            self._stderr_tail = (self._stderr_tail + [line])[-20:]

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._lock:
                    self._lock.notify_all()
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        self._replies[message["id"]] = message
                        self._lock.notify_all()
                else:
                    self._events.put(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        self._next_id += 1
        ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._lock:
            while ident not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    tail = b"".join(self._stderr_tail).decode(errors="replace")[-800:]
                    raise BrowserError(f"no answer to {method} from Chromium"
                                       f"{' (it exited)' if self.process.poll() is not None else ''}: {tail}")
                self._lock.wait(min(left, 0.5))
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def events(self):
        while True:
            try:
                yield self._events.get_nowait()
            except queue.Empty:
                return

    # -- pages ----------------------------------------------------------------------------------

    def open(self, path: str | Path, wait_for: str = "data-rendered", timeout: float | None = None,
             screenshot: str | Path | None = None, before_load: str | None = None,
             settle: float = 0.3, check: bool = True) -> "Tab":
        """Open a file, wait until `<html>` has `wait_for` set (not "false").

        With check=False a page that never gets there is returned with `report.timed_out` set,
        instead of raising: the benchmark wants to know how far it got.
        """
        tab = Tab(self, Path(path).resolve().as_uri())
        tab.load(wait_for, timeout or self.timeout, before_load, settle, check)
        if screenshot:
            tab.screenshot(screenshot)
        return tab

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                try:
                    self.send("Browser.close", timeout=5)
                except BrowserError:
                    pass
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=5)
        finally:
            for fd in (self._to_child, self._from_child):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Tab:
    def __init__(self, browser: Chromium, url: str):
        self.browser = browser
        self.report = PageReport(url)
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        self.target = target["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": browser.width, "height": browser.height,
                                                         "deviceScaleFactor": 1, "mobile": False})

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def _collect(self) -> None:
        for event in self.browser.events():
            if event.get("sessionId") not in (None, self.session):
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                self.report.console_errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                                           for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                self.report.exceptions.append(details.get("exception", {}).get("description")
                                              or details.get("text", "exception"))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                self.report.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
            elif method == "Network.requestWillBeSent":
                self.report.requests.append(params.get("request", {}).get("url", ""))
            elif method == "Page.javascriptDialogOpening":
                self.report.dialogs.append(f"{params.get('type')}: {params.get('message')}")
                self.send("Page.handleJavaScriptDialog", {"accept": False})

    def load(self, wait_for: str, timeout: float, before_load: str | None, settle: float,
             check: bool = True) -> None:
        if before_load:
            self.send("Page.addScriptToEvaluateOnNewDocument", {"source": before_load})
        start = time.monotonic()
        self.send("Page.navigate", {"url": self.report.url})
        deadline = start + timeout
        while True:
            self._collect()
            try:
                value = self.attribute(wait_for, timeout=max(deadline - time.monotonic(), 0.5))
            except BrowserError:  # the old document is going away, or the page is busy: ask again
                value = None
            if value not in (None, "", "false"):
                break
            if time.monotonic() > deadline:
                self.report.elapsed = time.monotonic() - start
                self.report.timed_out = True
                try:
                    self.report.attributes = self.attributes(timeout=2)
                except BrowserError:
                    self.report.busy = True  # the page's script still holds its only thread
                if check:
                    raise BrowserError(f"{self.report.url}: no {wait_for} after {timeout:.0f} s; "
                                       f"errors: {self.report.errors}")
                return
            time.sleep(0.05)
        self.report.elapsed = time.monotonic() - start
        time.sleep(settle)
        self._collect()
        self.report.attributes = self.attributes()

    def evaluate(self, expression: str, timeout: float | None = None):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def attribute(self, name: str, timeout: float | None = None) -> str | None:
        return self.evaluate(f"document.documentElement && document.documentElement.getAttribute({json.dumps(name)})",
                             timeout=timeout)

    def attributes(self, timeout: float | None = None) -> dict[str, str]:
        return self.evaluate("Object.fromEntries(Array.from(document.documentElement.attributes)"
                             ".map(a => [a.name, a.value]))", timeout=timeout) or {}

    def mouse(self, kind: str, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                               "clickCount": 1 if kind != "mouseMoved" else 0})

    def click(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y)
        self.mouse("mouseReleased", x, y)

    def screenshot(self, path: str | Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        self.report.screenshot = path
        self._collect()
        return path

    def refresh_report(self) -> PageReport:
        self._collect()
        self.report.attributes = self.attributes()
        return self.report

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


__all__ = ["BrowserError", "Chromium", "PageReport", "Tab", "find_chromium"]
