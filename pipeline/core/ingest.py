"""Bytes to text: find the files, read them, detect the encoding, decode.

Every way a file can be bad ends in an `IngestError` with a stage and a reason
that the run records in `failures`; nothing here crashes a batch.
"""
from __future__ import annotations

import codecs
import hashlib
import logging
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

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


# what charset-normalizer may choose among for files that are neither UTF-8 nor Vietnamese
# (on short inputs an open choice picks exotic code pages such as cp1006)
DETECTOR_ENCODINGS = ["cp1252", "cp1250", "cp1251", "iso8859_15", "koi8_r", "gb18030", "big5", "shift_jis",
                      "euc_kr", "cp874"]


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
    """Article files under `paths` (recursive), sorted; a file named directly is taken whatever its suffix.

    A folder that cannot be listed is returned as itself, so that reading it reports why.
    """
    return list(iter_files(paths))


def iter_files(paths: list[str | Path]) -> Iterator[Path]:
    """`find_files` one path at a time, holding no list of the whole tree (a run over millions of files)."""
    for p in _roots(paths):
        if not p.is_dir():
            yield p  # missing or broken: reported when read
            continue
        unlisted: list[Path] = []
        for root, dirs, files in os.walk(p, followlinks=False, onerror=lambda err: unlisted.append(Path(err.filename))):
            yield from unlisted
            unlisted.clear()
            dirs.sort()
            for name in sorted(files):
                if os.path.splitext(name)[1].lower() in SUFFIXES:
                    yield Path(root, name)
        yield from unlisted


def count_files(paths: list[str | Path]) -> int:
    """How many paths `iter_files` yields (a second walk; the tree is never held in memory)."""
    return sum(1 for _ in iter_files(paths))


def _roots(paths: list[str | Path]) -> list[Path]:
    """The input paths, each once, without those inside another input folder (`corpus/` and `corpus/a.txt`)."""
    given = [(os.path.abspath(p), Path(p)) for p in paths]
    folders = [a.rstrip(os.sep) + os.sep for a, p in given if p.is_dir()]
    roots, seen = [], set()
    for a, p in given:
        if a in seen or any(a.startswith(f) for f in folders if f != a.rstrip(os.sep) + os.sep):
            continue
        seen.add(a)
        roots.append(p)
    return roots


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or an IngestError saying why not."""
    try:
        if path.is_symlink() and not path.exists():
            raise IngestError("read", "broken symbolic link")
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            os.listdir(path)  # a folder find_files could not list: PermissionError below
            raise IngestError("read", "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise IngestError("read", "not a regular file (device, pipe or socket)")
        if info.st_size > max_bytes:
            raise IngestError("read", f"file too large ({info.st_size / 1e6:.1f} MB > {max_bytes / 1e6:g} MB limit)")
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
        if len(raw) > max_bytes:  # grew while we read it
            raise IngestError("read", f"file too large (> {max_bytes / 1e6:g} MB limit)")
        return raw
    except IngestError:
        raise
    except FileNotFoundError:
        raise IngestError("read", "file not found (deleted during the run?)") from None
    except PermissionError:
        what = "folder cannot be listed" if path.is_dir() else "file cannot be read"
        raise IngestError("read", f"permission denied ({what})") from None
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
    """Decode bytes of any encoding seen in scraped Vietnamese news, to NFC text.

    Order: BOM, binary signatures, UTF-16 without BOM, NUL bytes, UTF-8 (with
    mojibake repair and legacy text saved as UTF-8), then the most Vietnamese
    reading among Windows-1258, TCVN3, VNI and Windows-1252 (or UTF-8 with a few
    bad bytes replaced), then charset-normalizer for text that is not Vietnamese.
    Example: `decode(b"Ho\\xcca").text == "Hòa"` (Windows-1258, combining grave)
    """
    from pipeline.core import legacy_vn

    if not raw:
        raise IngestError("decode", "empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(enc), enc)
            except UnicodeDecodeError as err:
                raise IngestError("decode", f"{enc} with BOM but undecodable: {err.reason}") from None
    for magic, kind in BINARY_MAGIC.items():
        if kind and raw.startswith(magic):
            raise IngestError("decode", f"binary file ({kind})")
    utf16 = _looks_utf16(raw)
    if utf16:
        try:
            return _checked(raw.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:8000]:
        raise IngestError("decode", "binary file (NUL bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        fixed = legacy_vn.fix_mojibake(text)
        return _checked(fixed, "utf-8", "mojibake fixed by ftfy" if fixed != text else None)
    best = legacy_vn.best_reading(raw)
    lossy = raw.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    if bad <= max(8, len(lossy) // 1000) and legacy_vn.vietnamese_score(lossy)[0] > (best[2] if best else 0):
        # a UTF-8 file with a few broken bytes (cut off mid-character, one stray byte)
        return _checked(lossy, "utf-8", f"{bad} undecodable byte sequence(s) replaced by U+FFFD")
    few_high_bytes = sum(b >= 0x80 for b in raw[:100000]) < 16  # too few for a detector to judge
    if best and (best[2] >= 0.6 or few_high_bytes):
        text, enc, _ = best
        return _checked(text, enc, f"converted from {enc}" if enc in legacy_vn.LEGACY else None)
    from charset_normalizer import from_bytes

    guess = from_bytes(raw, cp_isolation=DETECTOR_ENCODINGS).best()
    if guess is None:
        raise IngestError("decode", "unknown encoding (not UTF-8, not a Vietnamese legacy encoding, "
                                    "no detector verdict)")
    return _checked(str(guess), guess.encoding)


def _checked(text: str, encoding: str, repaired: str | None = None) -> Decoded:
    """NFC text, or an IngestError when it is blank or binary in disguise."""
    from pipeline.core import legacy_vn

    if not text.strip():
        raise IngestError("decode", "whitespace-only file")
    sample = text[:8000]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f\v") or 0x7f <= ord(ch) < 0xa0)
    if controls > max(10, len(sample) // 50):
        raise IngestError("decode", f"binary content ({controls} control characters) decoded as {encoding}")
    legacy = legacy_vn.detect_legacy_text(text)
    if legacy:
        text = legacy_vn.convert_text(text, legacy)
        repaired = f"converted from {legacy} (saved as {encoding})"
    return Decoded(unicodedata.normalize("NFC", text), encoding, repaired)
