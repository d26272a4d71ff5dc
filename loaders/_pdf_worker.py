"""Extract a PDF's text layer in a throw-away process.

pypdf runs arbitrary-looking PDF structures in pure Python: a crafted or damaged file can spin, eat
memory or raise exceptions nobody listed. Running it here, under an address-space and CPU limit, lets
`loaders.read` kill one bad file without losing the process that loads all the others.

Protocol (kept tiny so the parent never imports pypdf): the PDF's bytes arrive on stdin; argv is
`MEMORY_LIMIT_BYTES CPU_LIMIT_SECONDS [PARENT_PID]` (with a parent pid, the worker dies with that
parent instead of running on to its CPU limit after a killed build); one JSON object goes to stdout, either
`{"pages": ["page 1 text", ...]}` or `{"error": "reason"}`. The script imports nothing from `loaders`
so it runs from a checkout or an installed wheel alike.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys

try:
    import resource
except ImportError:  # not on POSIX: the parent's wall-clock timeout is then the only bound
    resource = None


class _Records(logging.Handler):
    """pypdf reports damage it worked around only through logging; collect it so we can judge loss."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    """Bound this process so a hostile PDF ends here; the CPU limit also ends an orphaned worker."""
    if resource is None:
        return
    limits = (
        (resource.RLIMIT_AS, memory_bytes, memory_bytes),
        (resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1),
        (resource.RLIMIT_CORE, 0, 0),
    )
    for which, soft, hard in limits:
        try:
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError) as exc:  # e.g. RLIMIT_AS unsupported on macOS
            print(f"could not set resource limit {which}: {exc}", file=sys.stderr)


def _die_with_parent(parent_pid: int) -> None:
    """End with the parent: SIGKILL from the kernel when it goes (Linux), or now if it already went."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os._exit(1)


_LOSS = re.compile(r"not defined|wrong pointing object|not a stream", re.IGNORECASE)
_PARSE_ERROR = re.compile(r"\w+Error\(")  # how pypdf.generic logs an object it could not parse
_FONT_SELECTION = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+[-+\d.]+\s+Tf\b")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_TEXT_SHOWING = re.compile(rb"[)>\]]\s*(?:Tj|TJ|'|\")")


def _loss(records: list[logging.LogRecord]) -> str | None:
    """Name the first report of dropped content, as opposed to a repair that kept everything.

    In non-strict mode pypdf turns a stream it cannot decompress, or an object its cross-reference
    table points at wrongly, into empty text with only a log line: a page then silently reads as "".
    """
    for record in records:
        message = record.getMessage()
        unparsable = record.name.startswith("pypdf.generic") and _PARSE_ERROR.match(message) is not None
        if record.name.startswith("pypdf.filters") or unparsable or _LOSS.search(message):
            return message
    return None


def _missing_fonts(page) -> list[str]:
    """Fonts the page's content selects but its resources lack ("(none)" if it selects none at all).

    pypdf skips text drawn in an unknown font, or before any font is selected (which the PDF spec
    forbids), without a word; a damaged /Resources, /Font or Tf would otherwise read as an empty or
    shorter page.
    """
    contents = page.get_contents()
    if contents is None:
        return []
    data = contents.get_data()
    used = {_NAME_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), m.group(1)).decode("latin-1")
            for m in _FONT_SELECTION.finditer(data)}
    if not used:
        return ["(none)"] if _TEXT_SHOWING.search(data) else []
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    available = {str(key) for key in fonts.get_object().keys()} if fonts is not None else set()
    return sorted(name for name in used if f"/{name}" not in available)


def _declared_page_count(reader) -> int | None:
    """The page tree's own /Count, to notice pages that pypdf silently skipped while repairing."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _open(data: bytes, pypdf):
    """Open and, when the owner locked it with an empty user password, decrypt the document."""
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except pypdf.errors.DependencyError as exc:
            raise _Refusal(f"encrypted PDF: decrypting it needs the 'cryptography' package ({exc})") from exc
        if not opened:
            raise _Refusal("encrypted PDF: a password is needed to open it")
    return reader


class _Refusal(Exception):
    """A reason worth reporting as is (not an unexpected pypdf failure)."""


def extract(data: bytes) -> list[str]:
    import pypdf  # imported after the limits are set, so its own start-up is bounded too

    records = _Records()
    logger = logging.getLogger("pypdf")
    logger.addHandler(records)
    logger.propagate = False
    reader = _open(data, pypdf)
    pages = reader.pages
    count = len(pages)
    declared = _declared_page_count(reader)
    if declared is not None and declared != count:
        raise _Refusal(f"damaged PDF: its page tree declares {declared} pages but only {count} can be read")
    if count == 0:
        raise _Refusal("PDF has no pages")
    loss = _loss(records.records)
    if loss is not None:
        raise _Refusal(f"damaged PDF: {loss}")
    texts = []
    for number, page in enumerate(pages, 1):
        text = page.extract_text()
        missing = _missing_fonts(page)  # may log damage itself: check the log after it
        loss = _loss(records.records)
        if loss is not None:
            raise _Refusal(f"damaged PDF: page {number} lost content ({loss})")
        if missing:
            raise _Refusal(f"damaged PDF: page {number} draws text in fonts missing from its resources ({', '.join(missing)})")
        texts.append(text)
    return texts


def _reason(exc: BaseException, data: bytes) -> str:
    """Name the damage in words a person fixing the corpus understands."""
    if b"%%EOF" not in data[-2048:]:
        return f"truncated PDF (no %%EOF marker at the end): {exc}"
    name = type(exc).__name__
    message = str(exc) or name
    if name == "LimitReachedError":
        return f"PDF exceeds pypdf's safety limits: {message}"
    if name in {"PdfStreamError", "PdfReadError", "EmptyFileError"}:
        return f"corrupt or truncated PDF: {message}"
    if isinstance(exc, RecursionError):
        return "corrupt PDF: structure nested too deeply (recursion limit)"
    return f"corrupt PDF: pypdf failed with {name}: {message}"


def main(argv: list[str]) -> int:
    memory_bytes, cpu_seconds = int(argv[1]), int(argv[2])
    if len(argv) > 3:
        _die_with_parent(int(argv[3]))
    _limit(memory_bytes, cpu_seconds)
    data = sys.stdin.buffer.read()
    try:
        result = {"pages": extract(data)}
    except _Refusal as exc:
        result = {"error": str(exc)}
    except MemoryError:
        result = {"error": f"PDF needs more memory than the {memory_bytes // 2**20} MiB limit"}
    except Exception as exc:  # the process boundary: any pypdf failure becomes a reported reason
        result = {"error": _reason(exc, data)}
    sys.stdout.write(json.dumps(result, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
