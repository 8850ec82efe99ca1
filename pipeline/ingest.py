"""Bytes to text: find the files, read them, detect the encoding, decode.

Every way a file can be bad ends in an `IngestError` with a stage and a reason
that the run records in `failures`; nothing here crashes a batch.
"""
from __future__ import annotations

import codecs
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".html", ".htm"}
MAX_BYTES = 20 * 1024 * 1024  # a news article is never this long; larger files are reported

# magic numbers of binary formats often found renamed in scraped folders
BINARY_MAGIC = {
    b"\x89PNG": "PNG image", b"\xff\xd8\xff": "JPEG image", b"GIF8": "GIF image",
    b"%PDF": "PDF document", b"PK\x03\x04": "ZIP archive (docx/xlsx?)", b"\x1f\x8b": "gzip archive",
    b"\xd0\xcf\x11\xe0": "MS Office document", b"RIFF": "RIFF media", b"\x7fELF": "ELF binary",
    b"BM": None,  # too short to trust alone
}


class IngestError(Exception):
    """A file that cannot become an article: `stage` and a reason a person can act on."""

    def __init__(self, stage: str, reason: str):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    repaired: str | None = None  # e.g. "mojibake fixed by ftfy"


def find_files(paths: list[str | Path]) -> list[Path]:
    """Article files under `paths` (recursive), sorted; a file named directly is taken whatever its suffix."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in SUFFIXES:
                        found.append(Path(root) / name)
        else:
            found.append(p)  # missing or broken: reported when read
    return found


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or an IngestError saying why not."""
    try:
        if path.is_symlink() and not path.exists():
            raise IngestError("read", "broken symbolic link")
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError("read", f"file too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB limit)")
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except IngestError:
        raise
    except FileNotFoundError:
        raise IngestError("read", "file not found (deleted during the run?)") from None
    except PermissionError:
        raise IngestError("read", "permission denied") from None
    except IsADirectoryError:
        raise IngestError("read", "is a directory") from None
    except OSError as err:
        raise IngestError("read", f"{type(err).__name__}: {err.strerror or err}") from None


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without BOM: NUL in every other byte of mostly-ASCII text."""
    sample = raw[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def decode(raw: bytes) -> Decoded:
    """Decode bytes of any encoding seen in scraped Vietnamese news.

    Example: `decode("Hòa".encode("cp1258")).text == "Hòa"` (after NFC).
    """
    from pipeline import legacy_vn

    if not raw:
        raise IngestError("decode", "empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(enc), enc)
            except UnicodeDecodeError as err:
                raise IngestError("decode", f"{enc} with BOM but undecodable: {err.reason}") from None
    utf16 = _looks_utf16(raw)
    if utf16:
        try:
            return _checked(raw.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    for magic, kind in BINARY_MAGIC.items():
        if kind and raw.startswith(magic):
            raise IngestError("decode", f"binary file ({kind})")
    if b"\x00" in raw[:8000]:
        raise IngestError("decode", "binary file (NUL bytes)")
    try:
        text = raw.decode("utf-8")
        fixed = legacy_vn.fix_mojibake(text)
        if fixed != text:
            return _checked(fixed, "utf-8", "mojibake fixed by ftfy")
        return _checked(text, "utf-8")
    except UnicodeDecodeError:
        pass
    legacy = legacy_vn.detect_legacy_bytes(raw)
    if legacy:
        return _checked(legacy_vn.convert(raw, legacy), legacy, f"converted from {legacy}")
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp1258", "cp1252", "utf_16", "latin_1", "cp1250", "cp1251"]).best()
    if best is None:
        raise IngestError("decode", "unknown encoding (no detector verdict)")
    text = str(best)
    return _checked(text, best.encoding)


def _checked(text: str, encoding: str, repaired: str | None = None) -> Decoded:
    from pipeline import legacy_vn

    if not text.strip():
        raise IngestError("decode", "whitespace-only file")
    controls = sum(1 for ch in text[:8000] if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > max(10, len(text[:8000]) // 50):
        raise IngestError("decode", f"binary content ({controls} control characters) decoded as {encoding}")
    legacy = legacy_vn.detect_legacy_text(text)
    if legacy:
        text = legacy_vn.convert_text(text, legacy)
        repaired = f"converted from {legacy}"
    return Decoded(text, encoding, repaired)
