"""loaders.read: every format, every encoding, and every hostile file ends in text or a ReadError."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders.read as reader
from loaders.errors import ReadError
from loaders.read import PAGE_BREAK, SourceText, read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = next((d for d in (ROOT / "corpus", ROOT.parent / "shared" / "seeds") if (d / "002_cd3cac997e6a5d31.txt").is_file()), None)
pytestmark = pytest.mark.skipif(SEEDS is None, reason="seed documents not found")

DRAFT_2010 = "002_cd3cac997e6a5d31.txt"
REPORT_2013 = "003_3035fc9fc301a618.txt"
PAPER_2011 = "004_6b7a769a9e24bcf2.txt"
REPORT_2012 = "001_09290eec35e0abef.txt"

BIDI_AND_BAD = re.compile("[\x00\r\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# --- helpers ----------------------------------------------------------------------------------------


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_error(path: Path, reason: str) -> ReadError:
    """Read `path`, expecting a ReadError that names the file and contains `reason`."""
    with pytest.raises(ReadError) as caught:
        read(path)
    message = str(caught.value)
    assert path.name in message and reason in message, message
    assert caught.value.stage == "read"
    return caught.value


def squash(text: str) -> str:
    return " ".join(text.split())


def cp1252_safe(text: str) -> str:
    """Replace the few characters of the seeds that cp1252 cannot hold (⁴ ⁵ č)."""
    return text.translate(str.maketrans({"⁴": "4", "⁵": "5", "č": "c"}))


def latin1_safe(text: str) -> str:
    """fpdf2's core fonts hold Latin-1 only."""
    return cp1252_safe(text).translate(str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'", "–": "-", "—": "-"}))


def paragraphs(name: str, count: int, min_length: int = 150) -> list[str]:
    blocks = [b.strip() for b in seed(name).split("\n\n")]
    return [b for b in blocks if len(b) >= min_length][:count]


def fpdf_bytes(pages: list[list[str]]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in pages:
        pdf.add_page()
        for paragraph in page:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
    return bytes(pdf.output())


def raw_pdf(contents: list[bytes], level: int = 9) -> bytes:
    """A hand-built PDF, one page per (flate-compressed) content stream, Helvetica as /F1."""
    n = len(contents)
    font_id = 3 + 2 * n
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n))
    for i, content in enumerate(contents):
        stream = zlib.compress(content, level)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font_id, 4 + 2 * i)
        )
        objects.append(b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="module")
def report_pdf() -> tuple[bytes, list[list[str]]]:
    """Five paragraphs of the 2013 report over two pages, made with fpdf2."""
    chosen = [latin1_safe(p) for p in paragraphs(REPORT_2013, 5)]
    pages = [chosen[:3], chosen[3:]]
    return fpdf_bytes(pages), pages


# --- plain text and encodings -----------------------------------------------------------------------


def test_seed_reads_as_utf8():
    path = SEEDS / DRAFT_2010
    source = read(path)
    assert isinstance(source, SourceText)
    assert source.text == seed(DRAFT_2010)
    assert (source.encoding, source.media_type) == ("utf-8", "text/plain")
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.path == str(path)
    assert read(str(path)).path == str(path)


@pytest.mark.parametrize(
    "codec, recorded",
    [
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-32", "utf-32"),
    ],
)
def test_unicode_encodings_give_identical_text(tmp_path, codec, recorded):
    original = seed(DRAFT_2010)
    source = read(write(tmp_path, f"draft.{codec}.txt", original.encode(codec)))
    assert source.text == original
    assert source.encoding == recorded


@pytest.mark.parametrize("name", [DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013])
def test_cp1252_gives_identical_text(tmp_path, name):
    """Seed 002's only non-ASCII characters are ¹ ² ³: the letter check must still rule out cp1251."""
    original = cp1252_safe(seed(name))
    source = read(write(tmp_path, "seed.txt", original.encode("cp1252")))
    assert source.text == original
    assert source.encoding == "cp1252"


@pytest.mark.parametrize(
    "text, codec",
    [
        ("Конференция участников Конвенции против транснациональной организованной преступности, "
         "ссылаясь на свое решение 4/4, постановляет, что Рабочая группа продолжит свою работу.", "cp1251"),
        ("إن مؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية، إذ يشير إلى مقرره 4/4، "
         "يقرر أن يواصل الفريق العامل المعني بالاتجار بالأشخاص عمله.", "cp1256"),
        ("联合国打击跨国有组织犯罪公约缔约方会议，回顾其第4/4号决定，决定贩运人口问题工作组应继续开展工作。", "gb18030"),
        ("Décide que le Groupe de travail sur la traite des personnes poursuivra ses travaux; États-Unis, "
         "Côte d’Ivoire, España, Perú.", "cp1252"),
    ],
)
def test_legacy_encodings_of_the_official_languages(tmp_path, text, codec):
    source = read(write(tmp_path, "doc.txt", (text * 3).encode(codec)))
    assert source.text == text * 3
    assert source.encoding == codec


def test_big_legacy_file_is_scored_on_its_non_ascii_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "SCORING_SAMPLE_BYTES", 2_000)
    original = seed(REPORT_2012)  # 23 KB, of which a few lines hold “ and ”
    source = read(write(tmp_path, "report.txt", original.encode("cp1252")))
    assert (source.text, source.encoding) == (original, "cp1252")


def test_ambiguous_bytes_are_refused_not_guessed(tmp_path):
    """A lone 0xE9 is é in cp1252 and й in cp1251: nothing in the file says which."""
    read_error(write(tmp_path, "short.txt", b"\xe9"), "ambiguous")


def test_encoding_outside_the_supported_set_is_refused_then_readable_by_name(tmp_path):
    text = "Конференция участников Конвенции против транснациональной организованной преступности. " * 3
    path = write(tmp_path, "koi8.txt", text.encode("koi8-r"))
    read_error(path, "not UTF-8")
    source = read(path, encoding="koi8-r")
    assert (source.text, source.encoding) == (text, "koi8-r")


def test_newlines_are_normalized(tmp_path):
    source = read(write(tmp_path, "crlf.txt", b"one\r\ntwo\rthree\n\r\nfour"))
    assert source.text == "one\ntwo\nthree\n\nfour"


def test_unknown_extension_with_text_is_read_as_text(tmp_path):
    source = read(write(tmp_path, "A_RES_64_293", "Recalling its decision 4/4,\n"))
    assert (source.text, source.media_type) == ("Recalling its decision 4/4,\n", "text/plain")


def test_bidi_controls_and_utf16_nuls_are_removed(tmp_path):
    text = "Trafficking\u202e in persons\u2066 (\u2069Protocol\u202c)\x00"
    source = read(write(tmp_path, "bidi.txt", text.encode("utf-16")))
    assert source.text == "Trafficking in persons (Protocol)"


def test_lone_surrogates_never_leave_the_reader(tmp_path):
    before = seed(DRAFT_2010)[:400]  # one damaged code unit in a document, not in a 10-byte file
    lone_utf16 = codecs.BOM_UTF16_LE + before.encode("utf-16-le") + b"\x00\xd8" + " after".encode("utf-16-le")
    assert read(write(tmp_path, "lone16.txt", lone_utf16)).text == before + "\ufffd after"
    lone_utf8 = b"before \xed\xa0\x80 after"  # WTF-8: an encoded lone high surrogate
    assert read(write(tmp_path, "lone8.txt", lone_utf8)).text == "before \ufffd after"
    cesu_pair = b"emoji \xed\xa0\xbd\xed\xb8\x80 end"  # CESU-8 for U+1F600, joined into one character
    assert read(write(tmp_path, "cesu.txt", cesu_pair)).text == "emoji \U0001f600 end"


# --- hostile input ----------------------------------------------------------------------------------


def test_missing_path(tmp_path):
    read_error(tmp_path / "absent.txt", "no such file")


def test_directory(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    read_error(tmp_path / "folder.txt", "is a directory")


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.html"])
def test_empty_file(tmp_path, name):
    read_error(write(tmp_path, name, b""), "empty file")


def test_binary_file_with_nul_bytes(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
    read_error(write(tmp_path, "image.txt", png), "binary file, not text")


def test_binary_file_of_control_characters(tmp_path):
    read_error(write(tmp_path, "controls.txt", bytes(range(1, 9)) * 20), "binary file, not text")


def test_text_named_pdf(tmp_path):
    read_error(write(tmp_path, "report.pdf", seed(DRAFT_2010)), "not a PDF (no %PDF header)")


def test_text_named_docx(tmp_path):
    read_error(write(tmp_path, "report.docx", seed(DRAFT_2010)), "not a .docx (not a ZIP archive)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    read_error(tmp_path / "pipe.txt", "not a regular file")


def test_too_large_file(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    read_error(write(tmp_path, "big.txt", "x" * 101), "file too large")


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=0, max_size=600))
def test_random_bytes_give_clean_text_or_read_error(tmp_path, data):
    path = write(tmp_path, "random.txt", data)
    try:
        source = read(path)
    except ReadError as exc:
        assert path.name in str(exc)
        return
    assert not BIDI_AND_BAD.search(source.text)
    source.text.encode("utf-8")  # strict: no lone surrogate can hide anywhere


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from([*"<>/!&#;=\"' ab\n\r\x00\u202e\ud800", "<p>", "</td>", "<tr>", "<table>",
                                        "</table>", "<script>", "<![", "&#xD800;", "<pre>", "<br>", "<head>"]), max_size=40))
def test_random_markup_gives_clean_text_or_read_error(tmp_path, pieces):
    path = write(tmp_path, "random.html", "".join(pieces).encode("utf-8", "surrogatepass"))
    try:
        source = read(path)
    except ReadError as exc:
        assert path.name in str(exc)
        return
    assert not BIDI_AND_BAD.search(source.text)


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_round_trips_paragraphs(tmp_path, report_pdf):
    data, pages = report_pdf
    source = read(write(tmp_path, "report.pdf", data))
    assert (source.encoding, source.media_type) == ("pdf-text-layer", "application/pdf")
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.text.count(PAGE_BREAK) == 1
    first, second = source.text.split(PAGE_BREAK)
    assert squash(first) == squash(" ".join(pages[0]))
    assert squash(second) == squash(" ".join(pages[1]))


def test_pdf_is_recognized_by_its_bytes_not_its_name(tmp_path, report_pdf):
    assert read(write(tmp_path, "report.txt", report_pdf[0])).media_type == "application/pdf"


def test_pdf_truncated(tmp_path, report_pdf):
    read_error(write(tmp_path, "cut.pdf", report_pdf[0][: len(report_pdf[0]) // 2]), "truncated PDF")


def test_pdf_header_only(tmp_path):
    read_error(write(tmp_path, "header.pdf", b"%PDF-1.7\n"), "truncated PDF")


def test_pdf_with_a_damaged_content_stream_is_refused_not_read_as_empty(tmp_path):
    """pypdf (non-strict) logs the zlib error and returns "" for the page; we refuse the file."""
    data = raw_pdf([b"BT /F1 11 Tf 72 720 Td (first page) Tj ET", b"BT /F1 11 Tf 72 720 Td (second page) Tj ET"])
    start = data.index(b"stream\n") + len(b"stream\n")
    damaged = data[: start + 4] + b"\x00" * 12 + data[start + 16 :]
    assert read(write(tmp_path, "fine.pdf", data)).text == "first page" + PAGE_BREAK + "second page"
    read_error(write(tmp_path, "damaged.pdf", damaged), "damaged PDF: page 1")


def test_pdf_drawing_in_a_missing_font_is_refused_not_read_as_empty(tmp_path):
    """pypdf drops text set in a font the page's resources lack, and says nothing."""
    data = raw_pdf([b"BT /F2 11 Tf 72 720 Td (lost words) Tj ET"])
    read_error(write(tmp_path, "nofont.pdf", data), "fonts missing from its resources (F2)")


def test_pdf_with_a_lost_page_object_is_refused(tmp_path):
    """Overwriting one page object: pypdf skips the page and reads the rest; the page count tells."""
    data = raw_pdf([b"BT /F1 11 Tf 72 720 Td (page %d) Tj ET" % i for i in range(3)])
    start = data.index(b"5 0 obj")
    damaged = data[:start] + b"\xff" * 60 + data[start + 60 :]
    read_error(write(tmp_path, "lost.pdf", damaged), "damaged PDF")


def test_pdf_with_cyclic_page_tree(tmp_path):
    data = raw_pdf([b"BT /F1 11 Tf 72 720 Td (page) Tj ET"]).replace(b"/Kids [3 0 R]", b"/Kids [2 0 R]")
    read_error(write(tmp_path, "cycle.pdf", data), "cyclic page references")


def test_pdf_with_looping_xref_chain_is_read(tmp_path):
    """A trailer whose /Prev points at its own xref: pypdf notices the cycle and reads the file."""
    data = raw_pdf([b"BT /F1 11 Tf 72 720 Td (looping xref) Tj ET"])
    xref = int(re.search(rb"startxref\n(\d+)", data).group(1))
    looping = data.replace(b"trailer\n<< ", b"trailer\n<< /Prev %d " % xref)
    assert read(write(tmp_path, "loop.pdf", looping)).text == "looping xref"


def test_pdf_without_text_layer(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # a scan would be an image: drawn content, no text either way
    read_error(write(tmp_path, "scan.pdf", bytes(pdf.output())), "no text layer, OCR it first")


def test_pdf_encrypted_with_a_password(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(text="confidential")
    read_error(write(tmp_path, "locked.pdf", bytes(pdf.output())), "encrypted PDF: a password is needed")


def test_pdf_encrypted_with_an_empty_user_password_is_read(tmp_path):
    """UN PDFs are often AES-locked against editing only; pypdf needs `cryptography` to open them."""
    pytest.importorskip("cryptography")
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", encryption_method=EncryptionMethod.AES_256)
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(text="restricted but readable")
    assert read(write(tmp_path, "restricted.pdf", bytes(pdf.output()))).text == "restricted but readable"


def test_pdf_that_takes_too_long_is_killed(tmp_path, monkeypatch):
    """Three pages of 900,000 text operators (27 KB compressed each) keep pypdf busy for many seconds."""
    monkeypatch.setattr(reader, "PDF_TIMEOUT_S", 1.0)
    page = b"BT /F1 11 Tf 72 720 Td " + b"(a) Tj " * 900_000 + b"ET"
    path = write(tmp_path, "slow.pdf", raw_pdf([page] * 3))
    started = time.monotonic()
    read_error(path, "timed out after 1 s")
    assert time.monotonic() - started < 5


def test_pdf_worker_that_hangs_is_killed_and_reaped(tmp_path, monkeypatch):
    pid_file = tmp_path / "worker.pid"
    worker = write(tmp_path, "sleepy_worker.py", textwrap.dedent(f"""
        import os, time
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        time.sleep(60)
    """))
    monkeypatch.setattr(reader, "PDF_WORKER", worker)
    monkeypatch.setattr(reader, "PDF_TIMEOUT_S", 1.0)
    read_error(write(tmp_path, "hang.pdf", raw_pdf([b"BT ET"])), "timed out")
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_pdf_over_the_memory_limit_fails_alone(tmp_path, monkeypatch):
    """A 50 MB content stream (220 KB compressed) against a 120 MiB address-space limit."""
    monkeypatch.setattr(reader, "PDF_MEMORY_LIMIT_BYTES", 120 * 2**20)
    bomb = raw_pdf([b"BT /F1 11 Tf 72 720 Td (hi) Tj ET" + b" " * 50_000_000], level=1)
    read_error(write(tmp_path, "bomb.pdf", bomb), "more memory than the 120 MiB limit")
    assert read(write(tmp_path, "after.pdf", raw_pdf([b"BT /F1 11 Tf 72 720 Td (still here) Tj ET"]))).text == "still here"


# --- DOCX -------------------------------------------------------------------------------------------


def docx_bytes(build) -> bytes:
    import io

    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_round_trips_paragraphs_and_a_table(tmp_path):
    chosen = paragraphs(PAPER_2011, 3)

    def build(document):
        from docx.oxml import parse_xml

        document.add_heading("Proposed areas for future work", level=1)
        for text in chosen[:2]:
            document.add_paragraph(text)
        document.add_paragraph("")  # empty paragraphs leave no trace
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "Meeting"
        table.cell(0, 2).text = "Dates"
        table.cell(1, 0).text = "First"
        table.cell(1, 1).text = "Vienna"
        table.cell(1, 2).merge(table.cell(2, 2)).text = "2009\nand 2010"
        table.cell(2, 0).text = "Second"
        table.cell(2, 1).text = "Vienna\tAustria"
        last = document.add_paragraph(chosen[2])
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        last._p.append(parse_xml(f'<w:ins xmlns:w="{w}" w:id="1" w:author="x"><w:r><w:t xml:space="preserve"> (inserted)</w:t></w:r></w:ins>'))

    source = read(write(tmp_path, "paper.docx", docx_bytes(build)))
    expected_table = "Meeting\t\tDates\nFirst\tVienna\t2009 and 2010\nSecond\tVienna Austria\t"
    expected = "\n\n".join(["Proposed areas for future work", *chosen[:2], expected_table, chosen[2] + " (inserted)"])
    assert source.text == expected
    assert source.encoding == "docx"
    assert source.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_docx_truncated(tmp_path):
    data = docx_bytes(lambda document: document.add_paragraph("text"))
    read_error(write(tmp_path, "cut.docx", data[: len(data) // 2]), "corrupt .docx")


def test_docx_zip_without_a_document(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    read_error(write(tmp_path, "empty-zip.docx", buffer.getvalue()), "corrupt .docx")


def test_docx_decompression_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "DOCX_MAX_UNCOMPRESSED_BYTES", 10_000)
    data = docx_bytes(lambda document: document.add_paragraph("x" * 20_000))
    read_error(write(tmp_path, "bomb.docx", data), "over the 10000 limit")


def test_legacy_doc_is_named(tmp_path):
    read_error(write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100), "legacy Word .doc")


# --- HTML -------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>CTOC/COP/2010/L.4</title>
<style>p { color: red }</style>
<script>var x = "<p>not text</p>"; document.write(x);</script>
</head>
<body>
<h1>Trafficking   in
persons</h1>
<p>Recalling its decision 4/4 &amp; resolution 64/293 &#8212; the &ldquo;Global Plan&rdquo;&nbsp;of Action,<br>
adopted in 2010.</p>
<div>Draft <i>decision</i> <b>submitted</b> by the United States &#x2013; COP 5</div>
<table><caption>Ratifications</caption>
<tr><th>Year</th><th>States</th></tr>
<tr><td><p>2011</p></td><td>Côte d’Ivoire</td></tr>
</table>
<pre>  a  b
c</pre>
<ul><li>one</li><li>two</li></ul>
</body></html>
"""


def test_html_text_of_blocks_without_script_and_style(tmp_path):
    source = read(write(tmp_path, "page.html", PAGE.encode("cp1252")))
    assert source.text == (
        "Trafficking in persons\n\n"
        "Recalling its decision 4/4 & resolution 64/293 — the “Global Plan”\u00a0of Action,\nadopted in 2010.\n\n"
        "Draft decision submitted by the United States – COP 5\n\n"
        "Ratifications\nYear\tStates\n2011\tCôte d’Ivoire\n\n"
        "  a  b\nc\n\n"
        "one\n\ntwo"
    )
    assert (source.encoding, source.media_type) == ("html:cp1252", "text/html")


def test_html_declared_latin1_but_utf8_bytes(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Côte d’Ivoire</p></body></html>'
    source = read(write(tmp_path, "mislabelled.htm", page.encode("utf-8")))
    assert source.text == "Côte d’Ivoire"
    assert source.encoding.startswith("html:utf-8 (declared iso-8859-1")


def test_html_without_declaration_uses_the_text_rules(tmp_path):
    source = read(write(tmp_path, "plain.html", "<p>Fédération de Russie</p>".encode("utf-16")))
    assert (source.text, source.encoding) == ("Fédération de Russie", "html:utf-16")


def test_html_recognized_without_extension(tmp_path):
    assert read(write(tmp_path, "download", "<!DOCTYPE html><p>x</p>")).media_type == "text/html"


def test_html_malformed_declaration(tmp_path):
    read_error(write(tmp_path, "bad.html", "<p>text</p><![foo bar]>"), "malformed HTML")
