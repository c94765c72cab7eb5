"""A tiny one-page PDF writer (Helvetica text lines), enough for evidence placeholders in the demo."""

from __future__ import annotations

from unidecode import unidecode


def _escape(text: str) -> str:
    text = unidecode(text)  # the standard Helvetica encoding covers ASCII safely
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A valid PDF 1.4 file (A4, one page) showing ``lines``; byte offsets in the xref table are exact."""
    return paged_pdf([lines], title=title)


def paged_pdf(pages: list[list[str]], *, title: str = "", font: str = "Helvetica", size: int = 12) -> bytes:
    """A valid PDF 1.4 file of A4 pages, each showing its text lines (``font``: a standard Type 1 font; Courier
    keeps columns of text aligned, as a printed list needs)."""
    leading = size + 2
    streams = []
    for lines in pages:
        stream_lines = ["BT", f"/F1 {size} Tf", f"{leading} TL", "56 780 Td"]
        for line in lines:
            stream_lines.append(f"({_escape(line)}) Tj T*")
        stream_lines.append("ET")
        streams.append("\n".join(stream_lines).encode("latin-1"))
    info = f"<< /Title ({_escape(title)}) /Producer (SIA) >>" if title else "<< /Producer (SIA) >>"
    count = len(streams)
    font_number = 3 + count
    kids = " ".join(f"{3 + n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()]
    for n in range(count):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font_number, font_number + 1 + n))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % font.encode())
    for stream in streams:
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(info.encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref
    )
    return bytes(out)
