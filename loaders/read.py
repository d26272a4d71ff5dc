"""Read one file into text: the only stage of the loaders that sees bytes.

Every later offset (paragraph, span, evidence) points into `SourceText.text`, so this module decides
once, and records, how bytes became characters. It never guesses silently: an encoding it cannot
establish, a PDF without a text layer, a damaged file, all end in a `ReadError` naming the file and
the reason, and the caller skips that one file.

What the returned text has been through, whatever the format:
- newlines normalized to "\\n" (CRLF and lone CR);
- NUL characters removed (they survive only from UTF-16/PDF sources; a NUL byte in any other
  text file makes it "binary file, not text");
- bidi embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) removed: the text is
  already in logical order, and those controls can make a displayed quotation or label lie about
  what it says;
- lone surrogates replaced by U+FFFD (a surrogate pair encoded in UTF-8 as CESU-8 is joined into
  its character), so every returned string encodes to UTF-8.
Nothing else is touched: ``**``, ``<i>`` and running heads are the normalize stage's business.

Formats (chosen by magic bytes first, then by extension):
- PDF: the text layer of each page, pages joined by `PAGE_BREAK` ("\\n\\f\\n\\n": a blank line for
  paragraph splitters, a form feed on a line of its own marking the page boundary), extracted by
  pypdf in a child process bounded by `PDF_TIMEOUT_S` and `PDF_MEMORY_LIMIT_BYTES`.
- .docx: body paragraphs separated by blank lines; each table a block of rows, one row per line,
  cells separated by tabs (a merged cell's text appears once, in its first grid column).
- .html/.htm: text of block elements separated by blank lines; script/style dropped.
- anything else: plain text, see `_decode_text` for how the encoding is established.
"""

from __future__ import annotations

import codecs
import errno
import functools
import hashlib
import io
import json
import math
import os
import re
import stat
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from charset_normalizer.md import mess_ratio

from .errors import ReadError

PDF_TIMEOUT_S = 30.0
PDF_MEMORY_LIMIT_BYTES = 2 * 1024**3
PDF_WORKER = Path(__file__).with_name("_pdf_worker.py")
PAGE_BREAK = "\n\f\n\n"
MAX_FILE_BYTES = 512 * 1024**2
DOCX_MAX_UNCOMPRESSED_BYTES = 512 * 1024**2
# A .docx part that inflates more than this is a bomb, not a document (Word's own XML deflates about
# 5-15:1); small parts are exempt, since a tiny part can have any ratio. The AKN zips use the same cap.
DOCX_MAX_RATIO = 100
DOCX_RATIO_EXEMPT_BYTES = 1024**2

# Legacy (non-Unicode) encodings considered for a file that is not UTF-8 and has no BOM: the Windows
# code pages of the UN's official languages (English/French/Spanish, Russian, Arabic) and the Chinese
# national encodings. Order breaks ties between encodings that give the very same text. Keeping the
# list to these is what makes the choice decidable: cp1250, latin-2 or Mac Roman would make almost
# every Western file ambiguous. Read a file outside this list with `read(path, encoding=...)`.
LEGACY_ENCODINGS = ("cp1252", "cp1251", "cp1256", "gb18030", "big5")
MAX_CHAOS = 0.2  # charset-normalizer's own cut-off for "this decoding is a mess"
CHAOS_MARGIN = 0.05  # a rival decoding this close in messiness leaves the choice open
SCORING_SAMPLE_BYTES = 1024**2

MEDIA_TEXT = "text/plain"
MEDIA_PDF = "application/pdf"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_HTML = "text/html"

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_BIDI_CONTROLS_AND_NUL = re.compile("[\u202a-\u202e\u2066-\u2069\x00]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?")
_CONTROLS = re.compile("[\x01-\x08\x0e-\x1f]")  # C0 controls other than tab, newlines, form feed


@dataclass(frozen=True)
class SourceText:
    path: str
    text: str
    encoding: str
    media_type: str
    sha256: str


def read(path: str | Path, *, encoding: str | None = None) -> SourceText:
    """Read `path` into a `SourceText`, or raise `ReadError(path, reason)`.

    `encoding` overrides detection for text and HTML files whose encoding is known from elsewhere
    (a manifest, say): the only way to read a file whose encoding detection calls ambiguous. PDF and
    .docx files carry their own encoding and ignore it.
    """
    shown = str(path)
    data = _read_bytes(Path(path), shown)
    text, used, media = _dispatch(data, Path(path), shown, encoding)
    return SourceText(shown, _clean(text), used, media, hashlib.sha256(data).hexdigest())


# --- bytes ------------------------------------------------------------------------------------------


def _read_bytes(path: Path, shown: str) -> bytes:
    """Read a regular file, and only that: never a FIFO (it would block forever), a device, or a
    symbolic link (one planted in a corpus folder could point anywhere: /etc/hostname ended up in
    an export). The file is opened without following a final link and then checked, through the
    same descriptor that is read, so it cannot be swapped for a link between the check and the read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError(shown, "no such file") from None
    except PermissionError:
        raise ReadError(shown, "permission denied") from None
    except IsADirectoryError:
        raise ReadError(shown, "is a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise ReadError(shown, "a symbolic link, not read: only regular files are read "
                                   "(name the file it points to if you mean it)") from None
        raise ReadError(shown, f"cannot open file: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL character in the path
        raise ReadError(shown, f"invalid path: {exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(shown, "is a directory, not a file")
        raise ReadError(shown, "not a regular file (device, FIFO or socket)")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > MAX_FILE_BYTES:
            raise ReadError(shown, f"file too large ({info.st_size} bytes, limit {MAX_FILE_BYTES})")
        try:  # no buffer of the limit's size up front: read what is there, a chunk at a time
            chunks, total = [], 0
            while total <= MAX_FILE_BYTES:
                chunk = handle.read(max(info.st_size - total, 0) + 1 if total < info.st_size else 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
        except OSError as exc:
            raise ReadError(shown, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(shown, f"file too large (over the {MAX_FILE_BYTES} bytes limit)")
    if not data:
        raise ReadError(shown, "empty file")
    return data


def _dispatch(data: bytes, path: Path, shown: str, encoding: str | None) -> tuple[str, str, str]:
    """Trust the bytes over the name: a PDF saved as .txt is still a PDF."""
    suffix = path.suffix.lower()
    if b"%PDF-" in data[:1024]:
        return _read_pdf(data, shown), "pdf-text-layer", MEDIA_PDF
    if suffix == ".pdf":
        raise ReadError(shown, "not a PDF (no %PDF header)")
    if suffix == ".docx" or (data.startswith(_ZIP_MAGIC) and _is_docx_zip(data)):
        return _read_docx(data, shown), "docx", MEDIA_DOCX
    if suffix == ".doc" or data.startswith(_OLE2_MAGIC):
        raise ReadError(shown, "legacy Word .doc or other OLE2 file: convert it to .docx or PDF")
    if suffix in {".html", ".htm", ".xhtml"} or (suffix not in {".txt", ".text"} and _looks_like_html(data)):
        text, used = _read_html(data, shown, encoding)
        return text, f"html:{used}", MEDIA_HTML
    text, used = _decode_override(data, shown, encoding) if encoding else _decode_text(data, shown)
    return text, used, MEDIA_TEXT


def _clean(text: str) -> str:
    """Make every returned string safe to store and to show (see the module docstring)."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    text = _BIDI_CONTROLS_AND_NUL.sub("", text)
    if _has_surrogate(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _has_surrogate(text: str) -> bool:
    """Whether `text` holds a surrogate code point (`_SURROGATE`): exactly the strings that strict UTF-8
    cannot encode. Encoding runs at C speed, ten times faster than the regex stepping through each character."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- plain text: establishing the encoding ----------------------------------------------------------


def _decode_text(data: bytes, shown: str) -> tuple[str, str]:
    """A BOM, then strict UTF-8 (most files), then a scored choice among `LEGACY_ENCODINGS`.

    The BOM comes first because it is definitive (and strict UTF-8 would keep a UTF-8 BOM as a
    character). A NUL byte outside UTF-16/32 means a binary file. Each step either settles the
    encoding or hands on; the last one raises rather than pick between decodings it cannot tell apart.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_with_bom(data, codec), shown, unicode_junk=True), codec
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, shown)
    utf8 = _utf8(data)
    if utf8 is not None:
        return _checked(utf8, shown), "utf-8"
    return _decode_legacy(data, shown)


def _decode_override(data: bytes, shown: str, encoding: str) -> tuple[str, str]:
    try:
        name = codecs.lookup(encoding).name
        return _checked(data.decode(name), shown), name
    except LookupError:
        raise ReadError(shown, f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise ReadError(shown, f"does not decode as {encoding}: {_where(exc)}") from None


def _decode_with_bom(data: bytes, codec: str) -> str:
    """A BOM settles the encoding; damage inside (lone surrogates, an odd last byte) becomes U+FFFD."""
    return data.decode(codec, "replace")


def _utf8(data: bytes) -> str | None:
    """Strict UTF-8, or UTF-8 whose only flaw is encoded surrogates (CESU-8 / WTF-8 output)."""
    for errors in ("strict", "surrogatepass"):
        try:
            return data.decode("utf-8", errors)
        except UnicodeDecodeError:
            continue
    return None


def _decode_utf16_without_bom(data: bytes, shown: str) -> tuple[str, str]:
    """NUL bytes are either UTF-16 code units of ASCII-range characters or a binary file."""
    codec = _utf16_order(data)
    if codec is None:
        raise ReadError(shown, "binary file, not text (NUL bytes)")
    text = data.decode(codec, "replace")
    if not _UTF16_EVIDENCE.search(text):
        raise ReadError(shown, "binary file, not text (NUL bytes, and no space or line break as UTF-16 text has)")
    try:
        best = _choose([_Candidate.of(text, codec)])
    except _NoChoice:
        raise ReadError(shown, "binary file, not text (NUL bytes)") from None
    return _checked(best.text, shown, unicode_junk=True), best.encoding


_UTF16_EVIDENCE = re.compile(r"[ \t\n\r]")


def _utf16_order(data: bytes) -> str | None:
    """The byte order in which every NUL byte is the high byte of a code unit, if there is one.

    Text in UTF-16 without a BOM shows itself by its ASCII-range characters, whose high byte is
    0: at odd offsets in little-endian, even in big-endian. NULs on both sides, or an odd length,
    mean bytes that are not UTF-16 (an 8-byte binary file read as four CJK characters, say).
    """
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes, shown: str) -> tuple[str, str]:
    """Score each legacy encoding's reading and keep the one plausible one.

    UTF-16 without a BOM is not among the candidates here: any real UTF-16 text has a space,
    newline or digit, hence NUL bytes, and went to `_decode_utf16_without_bom`.
    """
    sample = _scoring_sample(data)
    candidates = []
    for codec in LEGACY_ENCODINGS:
        try:
            candidates.append(_Candidate.of(sample.decode(codec), codec))
        except UnicodeDecodeError:
            continue
    try:
        best = _choose(candidates)
    except _NoChoice as exc:
        raise ReadError(shown, f"not UTF-8, and {exc}") from None
    if sample is data:
        return _checked(best.text, shown), best.encoding
    try:
        return _checked(data.decode(best.encoding), shown), best.encoding
    except UnicodeDecodeError as exc:
        raise ReadError(shown, f"not UTF-8, and not {best.encoding} either: {_where(exc)}") from None


def _scoring_sample(data: bytes) -> bytes:
    """Keep scoring fast on big files: only lines with non-ASCII bytes tell the encodings apart.

    All legacy candidates agree on ASCII, so dropping ASCII-only lines loses no evidence. The cut
    falls on a newline, which is never part of a multi-byte character in these encodings.
    """
    if len(data) <= SCORING_SAMPLE_BYTES:
        return data
    lines = b"".join(line for line in data.splitlines(keepends=True) if not line.isascii())
    if len(lines) <= SCORING_SAMPLE_BYTES:
        return lines
    cut = lines.rfind(b"\n", 0, SCORING_SAMPLE_BYTES)
    return lines[: cut + 1] if cut > 0 else lines[:SCORING_SAMPLE_BYTES]


def _checked(text: str, shown: str, unicode_junk: bool = False) -> str:
    """Refuse decoded text that is 1% control characters or more: that is a binary file after all.

    `unicode_junk` also counts unassigned, private-use and replacement characters, for decodings a
    BOM forced on us (random bytes that happen to start with FF FE decode to such characters).
    """
    text = text.replace("\x00", "")
    bad = _count_controls(text)
    if unicode_junk:
        bad += _junk(text)
    if bad and bad * 100 >= len(text):
        raise ReadError(shown, "binary file, not text (control or unassigned characters)")
    return text


_CONTROL_BYTES = bytes(range(0x01, 0x09)) + bytes(range(0x0E, 0x20))  # the characters of `_CONTROLS`


def _count_controls(text: str) -> int:
    """How many `_CONTROLS` characters `text` holds, counted in its UTF-8 bytes: such a control is its own
    byte there and no other character has a byte below 0x80 (surrogates are passed as three high bytes).
    `bytes.translate` deletes at C speed, where `_CONTROLS.findall` steps through every character."""
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))


def _where(exc: UnicodeDecodeError) -> str:
    bad = exc.object[exc.start : exc.start + 4]
    return f"byte {bad[:1].hex()} at offset {exc.start} ({exc.reason})"


class _NoChoice(Exception):
    """No decoding, or more than one, survived the scoring; str() says which."""


@dataclass(frozen=True)
class _Candidate:
    """One encoding's reading of the bytes, scored three ways (lower is better for each)."""

    encoding: str
    text: str
    chaos: float  # charset-normalizer's mess ratio
    junk: int  # characters no real text contains: C1 controls, unassigned, private use, box drawing
    odd_letters: int  # letters in implausible places: see `_odd_letters`

    @classmethod
    def of(cls, text: str, encoding: str) -> "_Candidate":
        chaos = mess_ratio(text, 1.0)
        if chaos >= MAX_CHAOS and not _short(text):  # out already; skip the slower checks
            return cls(encoding, text, chaos, len(text), len(text))
        return cls(encoding, text, chaos, _junk(text), _odd_letters(text))

    @property
    def viable(self) -> bool:
        """Not garbled. The mess ratio is noise on a line or two ('“q” café €5' scores 0.36 in
        cp1252): a short text only needs to be free of junk, and the letter check decides."""
        if self.junk > len(self.text) // 1000:
            return False
        return self.chaos < MAX_CHAOS or _short(self.text)


SHORT_TEXT = 80  # characters: below this, charset-normalizer's mess ratio does not tell readings apart


def _short(text: str) -> bool:
    return len(text.strip()) < SHORT_TEXT


def _choose(candidates: list[_Candidate]) -> _Candidate:
    """Pick the one plausible reading, or say why there is not exactly one.

    charset-normalizer's mess ratio alone picked cp932 (half-width katakana in place of ¹ ² ³) for
    an English UN document saved as cp1252, and cp1250 ("Espańa") for Spanish; so the mess ratio
    only filters, the letter check decides, and a tie between different texts is an error.
    """
    if not candidates:
        raise _NoChoice(f"no supported encoding decodes it ({', '.join(LEGACY_ENCODINGS)}, utf-16)")
    viable = [c for c in candidates if c.viable]
    if not viable:
        raise _NoChoice("every supported encoding gives garbled text (binary file, or an unsupported encoding)")
    fewest = min(c.odd_letters for c in viable)
    best_ones = sorted((c for c in viable if c.odd_letters == fewest), key=lambda c: c.chaos)
    best = best_ones[0]
    if fewest > 2 + _non_ascii_letters(best.text) // 20:
        raise _NoChoice(f"no supported encoding gives consistent scripts (best: {best.encoding})")
    rivals = [c for c in best_ones[1:] if c.text != best.text]
    if rivals and rivals[0].chaos - best.chaos < CHAOS_MARGIN:
        names = ", ".join(c.encoding for c in [best, *rivals])
        raise _NoChoice(f"encoding is ambiguous ({names} give different text); save it as UTF-8 or name its encoding")
    return best


def _junk(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 127 and _is_junk(ch))


def _is_junk(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in {"Cc", "Co", "Cn", "Cs"} or ch == "\ufffd" or 0x2500 <= ord(ch) <= 0x259F


_CJK_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"}
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*(?:['’\-][^\W\d_]+)*")


def _script(ch: str) -> str:
    first = unicodedata.name(ch, "?").split(" ", 1)[0]
    return "CJK" if first in _CJK_SCRIPTS else first


def _odd_letters(text: str) -> int:
    """Count non-ASCII letters a wrong code page typically produces.

    Two tells: a word mixing scripts ("Espaсa" with a Cyrillic letter), and a one- or two-letter
    word in a script the document otherwise does not use (an isolated katakana where a footnote
    mark ¹ was). Chinese text mixing Han and Latin letters is ordinary and not counted.
    """
    scripts = Counter(_script(ch) for ch in text if ord(ch) > 127 and ch.isalpha())
    scripts["LATIN"] += sum(text.count(ch) for ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    dominant = scripts.most_common(1)[0][0] if scripts else None
    odd = 0
    for match in _NON_ASCII_WORD.finditer(text):
        word = match.group(0)
        letters = [ch for ch in word if ch.isalpha() or _script_mark(ch)]
        in_word = {_script(ch) for ch in letters}
        if "CJK" in in_word:
            in_word.discard("LATIN")
        for ch in letters:
            if ord(ch) > 127 and (len(in_word) > 1 or (len(letters) <= 2 and _script(ch) != dominant)):
                odd += 1
    return odd


def _script_mark(ch: str) -> bool:
    """A combining mark that belongs to one script (an Arabic tanwin, a Hebrew point): cp1256 reads
    'ñ' as ARABIC DAMMATAN, which must count as Arabic inside 'señor', not vanish from the word."""
    return ord(ch) > 127 and unicodedata.category(ch) == "Mn" and _script(ch) not in {"COMBINING", "?"}


def _non_ascii_letters(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 127 and ch.isalpha())


# --- PDF --------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, shown: str) -> str:
    pages = _run_pdf_worker(data, shown)
    text = PAGE_BREAK.join(pages)
    if not text.strip():
        raise ReadError(shown, "no text layer, OCR it first")
    if _unreadable(text):
        raise ReadError(shown, "text layer is unreadable (fonts without a Unicode mapping), OCR it first")
    return text


def _unreadable(text: str) -> bool:
    """Fonts without a ToUnicode map yield control and private-use characters instead of letters."""
    visible = [ch for ch in text if not ch.isspace()]
    junk = sum(1 for ch in visible if _is_junk(ch))
    return junk * 10 > len(visible)


def _run_pdf_worker(data: bytes, shown: str) -> list[str]:
    """Run pypdf in a child process: a timeout or memory blow-up then ends that one read only."""
    command = [sys.executable, str(PDF_WORKER), str(PDF_MEMORY_LIMIT_BYTES), str(math.ceil(PDF_TIMEOUT_S) + 1),
               str(os.getpid())]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise ReadError(shown, f"PDF text extraction timed out after {PDF_TIMEOUT_S:g} s") from None
    except OSError as exc:
        raise ReadError(shown, f"could not start the PDF worker: {exc}") from None
    if done.returncode != 0:
        raise ReadError(shown, _worker_failure(done))
    try:
        result = json.loads(done.stdout)
    except ValueError:
        raise ReadError(shown, f"PDF worker gave no result: {_tail(done.stderr)}") from None
    if "error" in result:
        raise ReadError(shown, _shorten(result["error"]))
    return result["pages"]


def _shorten(reason: str, limit: int = 300) -> str:
    """pypdf quotes the offending bytes in its messages; a reason is for reading, not for dumping."""
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def _worker_failure(done: subprocess.CompletedProcess) -> str:
    if done.returncode < 0:
        signal_number = -done.returncode
        if signal_number in {24, 9}:  # SIGXCPU (CPU limit) or SIGKILL (often the OOM killer)
            return f"PDF text extraction was killed (signal {signal_number}: CPU or memory limit)"
        return f"PDF reader crashed (signal {signal_number})"
    return f"PDF reader failed (exit status {done.returncode}): {_tail(done.stderr)}"


def _tail(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"


# --- DOCX -------------------------------------------------------------------------------------------


# zipfile raises NotImplementedError for a damaged version field, ValueError/EOFError for bad offsets
_ZIP_DAMAGE = (zipfile.BadZipFile, OSError, NotImplementedError, ValueError, EOFError)


def _is_docx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except _ZIP_DAMAGE:
        return False


def _read_docx(data: bytes, shown: str) -> str:
    if data.startswith(_OLE2_MAGIC):
        raise ReadError(shown, "not a .docx (OLE2 file: a legacy .doc or a password-protected document)")
    if not data.startswith(_ZIP_MAGIC):
        raise ReadError(shown, "not a .docx (not a ZIP archive)")
    _check_expanded_size(data, shown)
    import docx  # lazily: only .docx files pay for python-docx and lxml
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    # python-docx's element classes assume well-formed WordprocessingML; on anything else they fail
    # with whatever the first missing attribute or child raises, hence the long list.
    damage = (
        PackageNotFoundError, PythonDocxError, zipfile.BadZipFile, LxmlError, zlib.error, EOFError,
        NotImplementedError, KeyError, ValueError, AttributeError, TypeError, IndexError, RecursionError,
    )
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        blocks = list(_docx_blocks(body))
    except damage as exc:
        raise ReadError(shown, f"corrupt .docx: {type(exc).__name__}: {exc}") from None
    return "\n\n".join(block for block in blocks if block.strip())


def _check_expanded_size(data: bytes, shown: str) -> None:
    """A .docx is a ZIP: refuse a decompression bomb before python-docx inflates it.

    Two caps, both read from the archive's directory before anything is inflated: the total size,
    and each part's compression ratio (a 17 KB file whose XML expands to 5 MB is not a letter).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except _ZIP_DAMAGE as exc:
        raise ReadError(shown, f"corrupt .docx (bad ZIP archive: {exc})") from None
    total = sum(info.file_size for info in infos)
    if total > DOCX_MAX_UNCOMPRESSED_BYTES:
        raise ReadError(shown, f".docx expands to {total} bytes, over the {DOCX_MAX_UNCOMPRESSED_BYTES} limit")
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size > DOCX_RATIO_EXEMPT_BYTES and info.file_size > DOCX_MAX_RATIO * packed:
            raise ReadError(shown, f".docx part {info.filename!r} expands {info.file_size // packed}:1 "
                                   f"({info.compress_size} -> {info.file_size} bytes), over the "
                                   f"{DOCX_MAX_RATIO}:1 limit for compression bombs")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Runs of a paragraph, including those inside hyperlinks, tracked insertions, smart tags, simple fields
# and inline content controls (python-docx's Paragraph.text sees only direct runs and hyperlinks);
# text boxes are left out because Word stores each twice (DrawingML and a VML fallback).
_RUNS_XPATH = ".//w:r[not(ancestor::w:txbxContent) and not(ancestor::mc:Fallback) and not(ancestor::w:moveFrom)]"


def _docx_blocks(container):
    """Yield each paragraph's and table's text in document order, looking inside content controls."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{_W}tbl":
            yield _table_text(child)
        elif child.tag in {f"{_W}sdt", f"{_W}customXml"}:
            content = child.find(f"{_W}sdtContent")
            yield from _docx_blocks(child if content is None else content)


@functools.lru_cache(maxsize=1)
def _runs_xpath():
    from lxml import etree

    return etree.XPath(_RUNS_XPATH, namespaces={"w": _W[1:-1], "mc": _MC})


def _paragraph_text(paragraph) -> str:
    return "".join(run.text for run in _runs_xpath()(paragraph))


def _table_text(table) -> str:
    """One line per row; a merged cell's text once, empty cells keeping the columns aligned."""
    lines = []
    for row in table.iterchildren(f"{_W}tr"):
        cells = [""] * (row.grid_before or 0)
        for cell in row.iterchildren(f"{_W}tc"):
            text = "" if cell.vMerge == "continue" else _cell_text(cell)
            cells.extend([text] + [""] * (cell.grid_span - 1))
        if "".join(cells).strip():
            lines.append("\t".join(cells))
    return "\n".join(lines)


def _cell_text(cell) -> str:
    """A cell on one line: its paragraphs (and any nested table) joined by spaces."""
    parts = (block.replace("\t", " ").replace("\n", " ").strip() for block in _docx_blocks(cell))
    return " ".join(part for part in parts if part)


# --- HTML -------------------------------------------------------------------------------------------

_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG decodes these labels differently from Python's codec of the same name.
_WHATWG_LABELS = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874",
    "iso-8859-11": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949", "big5": "big5hkscs", "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
    "shift_jis": "cp932", "windows-31j": "cp932",
}


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _read_html(data: bytes, shown: str, encoding: str | None) -> tuple[str, str]:
    markup, used = _decode_override(data, shown, encoding) if encoding else _decode_html(data, shown)
    return _html_text(markup, shown), used


def _decode_html(data: bytes, shown: str) -> tuple[str, str]:
    """BOM, then the page's own <meta charset>, then the plain-text rules; every override is noted."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return _decode_text(data, shown)
    found = _META_CHARSET.search(data[:4096]) or _XML_ENCODING.match(data)
    if found is None:
        return _decode_text(data, shown)
    label = found.group(1).decode("ascii").lower()
    codec = _html_codec(label)
    if codec is None:
        text, detected = _decode_text(data, shown)
        return text, f"{detected} (declared charset {label!r} unknown)"
    utf8 = _utf8(data)
    if codec != "utf-8" and utf8 is not None and not data.isascii():
        return _checked(utf8, shown), f"utf-8 (declared {label}, but the bytes are UTF-8)"
    try:
        return _checked(data.decode(codec), shown), codec
    except UnicodeDecodeError:
        text, detected = _decode_text(data, shown)
        return text, f"{detected} (declared {label} does not decode it)"


def _html_codec(label: str) -> str | None:
    try:
        return codecs.lookup(_WHATWG_LABELS.get(label, label)).name
    except LookupError:
        return None


def _html_text(markup: str, shown: str) -> str:
    parser = _HTMLText()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError as exc:  # html.parser's reaction to some malformed declarations
        raise ReadError(shown, f"malformed HTML: {exc}") from None
    return "\n\n".join(parser.blocks)


_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing main menu nav ol p "
    "pre section summary table tbody tfoot thead tr td th ul xmp".split()
)
_SKIP_TAGS = frozenset("script style template noscript title svg iframe object select textarea head".split())
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")
_SPACES = re.compile(r" {2,}")


class _HTMLText(HTMLParser):
    """Collect the text a reader sees, block by block; tables become tab-separated rows.

    `head` is skipped only until the body's first block starts, since pages often omit </head>.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._pieces: list[str] = []  # current block: text, with "\n" for <br>
        self._skip: list[str] = []  # open elements whose content is not shown
        self._pre = 0
        self._tables = 0
        self._rows: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    # structure
    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self._skip.append(tag)
        elif self._skip and self._skip[-1] in {"head", "title"} and tag in _BLOCK_TAGS - {"html"}:
            self._skip.clear()  # an unclosed <head>/<title> ends where the body visibly starts
        if self._skip:
            return
        if tag == "br":
            self._add("\n")
        if tag in _BLOCK_TAGS:
            self._structure(tag, start=True)
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skip:
            while self._skip and self._skip.pop() != tag:
                continue
            return
        if self._skip:
            return
        if tag in _BLOCK_TAGS:
            self._structure(tag, start=False)
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._add(data if self._pre else _COLLAPSE.sub(" ", data))

    def close(self) -> None:
        super().close()
        while self._tables:
            self._structure("table", start=False)
        self._flush()

    # helpers
    def _add(self, piece: str) -> None:
        (self._cell if self._cell is not None else self._pieces).append(piece)

    def _structure(self, tag: str, start: bool) -> None:
        if self._tables == 0 and tag != "table":
            self._flush()
        elif tag == "table":
            self._table(start)
        elif self._tables == 1 and tag in {"tr", "td", "th"}:
            self._row_or_cell(tag, start)
        else:
            self._add(" ")  # a block inside a cell, or a nested table: keep the row on one line

    def _table(self, start: bool) -> None:
        if start:
            if self._tables:
                self._add(" ")
            else:
                self._flush()
            self._tables += 1
            return
        if self._tables == 0:
            return
        self._tables -= 1
        if self._tables == 0:
            self._end_row()
            caption = _COLLAPSE.sub(" ", "".join(self._pieces)).strip()  # text outside any cell
            self._pieces = []
            lines = [row for row in [caption, *self._rows] if row.strip()]
            self._rows = []
            if lines:
                self.blocks.append("\n".join(lines))
        else:
            self._add(" ")

    def _row_or_cell(self, tag: str, start: bool) -> None:
        if tag == "tr":
            self._end_row()
            if start:
                self._row = []
            return
        self._end_cell()
        if start:
            if self._row is None:
                self._row = []
            self._cell = []

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            text = _COLLAPSE.sub(" ", "".join(self._cell)).strip()
            self._row.append(text)
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self._rows.append("\t".join(self._row))
        self._row = None

    def _flush(self) -> None:
        text = "".join(self._pieces)
        self._pieces = []
        if not self._pre:
            text = "\n".join(_SPACES.sub(" ", line).strip(" ") for line in text.split("\n"))
        if text.strip():
            self.blocks.append(text.strip("\n") if self._pre else text.strip())
