"""Text for a terminal: names shown as they are, never as commands to the terminal.

Why: a file name is whatever bytes its creator chose. A newline in one forged a `failed: …` line of
its own in `build`'s report; an escape sequence (ESC ] 0 ; … BEL) set the terminal's title. Every
message that shows a name goes through `shown`, which writes each control character as a visible
escape (`\\n`, `\\x1b`, `\\u202e`) and each byte that is not UTF-8 as `\\xNN`, so one message is one line
and says exactly what the name holds.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 name, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """`text` with every control, bidi and undecodable character written as a visible escape."""
    return _UNSAFE.sub(_escape, str(text))


__all__ = ["shown"]
