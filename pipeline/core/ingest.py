"""Bytes to text: find the files, read them, detect the encoding, decode.

Every way a file can be bad ends in an `IngestError` with a stage and a reason
that the run records in `failures`; nothing here crashes a batch.
"""
from __future__ import annotations

import codecs
import collections
import errno
import hashlib
import logging
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

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


def find_files(paths: list[str | Path], follow_symlinks: bool = False, skip: Iterable[str] = ()) -> list[Path]:
    """Article files under `paths` (recursive), sorted; a file named directly is taken whatever its suffix.

    A folder that cannot be listed is returned as itself, so that reading it reports why.
    """
    return list(iter_files(paths, follow_symlinks, skip))


def iter_files(paths: list[str | Path], follow_symlinks: bool = False, skip: Iterable[str] = ()) -> Iterator[Path]:
    """`find_files` one path at a time, holding no list of the whole tree (a run over millions of files).

    The walk keeps its own stack (a tree thousands of folders deep is walked like a shallow one) and
    goes depth-first in name order: a folder's files, then each subfolder in turn. Symbolic links to
    folders are entered only with `follow_symlinks` (each real folder once); folders whose real path
    is in `skip` (the tool's own output folders) are left out.
    Example: `[p.name for p in iter_files(["corpus"])][:1] == ["000_635af670fab18767.txt"]`
    """
    skip = {os.path.realpath(s) for s in skip}
    for p in _roots(paths):
        if not p.is_dir():
            yield p  # missing or broken: reported when read
            continue
        entered: set[tuple[int, int]] = set()
        stack = [p]
        while stack:
            folder = stack.pop()
            try:
                files, subfolders = _listing(folder, follow_symlinks, skip)
                if follow_symlinks:
                    info = os.stat(folder)
                    if (info.st_dev, info.st_ino) in entered:
                        continue  # a link back to a folder already walked
                    entered.add((info.st_dev, info.st_ino))
            except OSError:
                yield folder  # a folder that cannot be listed: reading it says why
                continue
            for name in files:
                yield Path(folder, name)
            stack.extend(Path(folder, name) for name in reversed(subfolders))


def _listing(folder: Path, follow_symlinks: bool, skip: set[str]) -> tuple[list[str], list[str]]:
    """The names of a folder's article files and of the subfolders to walk, each sorted. Names only, not
    `os.DirEntry` objects: a folder of 100,000 files holds 7 MB of names, not 30 MB of entries."""
    files, subfolders = [], []
    with os.scandir(folder) as listing:
        for entry in listing:
            if _is_dir(entry):
                if (follow_symlinks or not entry.is_symlink()) and not (skip and os.path.realpath(entry.path) in skip):
                    subfolders.append(entry.name)
            elif os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                files.append(entry.name)
    return sorted(files), sorted(subfolders)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def count_files(paths: list[str | Path], follow_symlinks: bool = False, skip: Iterable[str] = ()) -> int:
    """How many paths `iter_files` yields (a second walk; the tree is never held in memory)."""
    return sum(1 for _ in iter_files(paths, follow_symlinks, skip))


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


SYSTEM_DIRS = ("/proc", "/sys", "/dev")  # never articles; reading some of them has side effects


@dataclass(frozen=True, slots=True)
class ReadPolicy:
    """Where a run may read: under the real paths of its inputs, unless symbolic links may be followed.

    Files under /proc, /sys and /dev are never read, whatever the flag.
    Example: `ReadPolicy.for_paths(["corpus"]).refusal("/etc/passwd")` says why not.
    """
    roots: frozenset[str] = frozenset()  # empty: anywhere (but the system folders)
    follow_symlinks: bool = False

    @classmethod
    def for_paths(cls, paths: Iterable[str | Path], follow_symlinks: bool = False) -> "ReadPolicy":
        return cls(frozenset(os.path.realpath(p) for p in paths), follow_symlinks)

    def refusal(self, real: str) -> str | None:
        """Why the file whose real path is `real` must not be read, or None."""
        if any(_under(real, d) for d in SYSTEM_DIRS):
            return f"a system file ({printable(real)}) is never read"
        if self.roots and not self.follow_symlinks and not _inside(real, self.roots):
            return (f"symbolic link to {printable(real)}, outside the input folders; "
                    "use --follow-symlinks to read it")
        return None


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _inside(path: str, roots: frozenset[str]) -> bool:
    """`_under(path, r)` for some real path r of `roots`, by looking up `path` and its folders: a run given
    thousands of files (`vnfacts run dir/*.txt`) checks each in a few steps, not against every other."""
    while path not in roots:
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return True


def printable(path: str | Path) -> str:
    """A path as one printable line: undecodable bytes as `\\xff`, control characters escaped.

    Example: `printable("a\\nb\\udcff.txt") == "a\\\\nb\\\\xff.txt"`
    """
    text = display_path(path)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def display_path(path: str | Path) -> str:
    """The path as valid text: bytes that are not UTF-8 (surrogate escapes) become `\\xff` (a file
    name need not be UTF-8 on Linux). Lossless together with `os.fsencode(path)`."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace")


def read_bytes(path: Path, max_bytes: int = MAX_BYTES, policy: ReadPolicy = ReadPolicy()) -> bytes:
    """The file's bytes, or an IngestError saying why not.

    The path is resolved once and the real file opened without following a link and without blocking
    (a FIFO swapped in is not waited on); what was opened is then checked on the descriptor: a regular
    file, under the input folders (`policy`), not too large.
    """
    try:
        real = os.path.realpath(path)
        if real != os.path.abspath(path) and not os.path.exists(real):
            raise IngestError("read", "broken symbolic link")
        refused = policy.refusal(real)
        if refused:
            raise IngestError("read", refused)
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC)
        except FileNotFoundError:
            if os.path.islink(path):
                raise IngestError("read", "broken symbolic link") from None
            raise
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise IngestError("read", "became a symbolic link while being read") from None
            raise
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                os.listdir(real)  # a folder iter_files could not list: PermissionError below
                raise IngestError("read", "is a directory")
            if not stat.S_ISREG(info.st_mode):
                raise IngestError("read", "not a regular file (device, pipe or socket)")
            opened = _opened_path(fd, real)
            refused = opened != real and policy.refusal(opened)
            if refused:
                raise IngestError("read", f"changed while being read: {refused}")
            if info.st_size > max_bytes:
                raise IngestError("read", f"file too large ({info.st_size / 1e6:.1f} MB > {max_bytes / 1e6:g} MB limit)")
            raw = _read_all(fd, max_bytes + 1)
        finally:
            os.close(fd)
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


def _opened_path(fd: int, fallback: str) -> str:
    """The real path of an open descriptor, as the kernel knows it (Linux), else `fallback`."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return fallback


def _read_all(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


# pages vnfacts writes (`vnfacts review`) carry this tag; a run over a folder holding them skips them
GENERATOR_TAG = b'<meta name="generator" content="vnfacts'


def written_by_vnfacts(raw: bytes) -> bool:
    """Whether these bytes are a page vnfacts wrote itself (a review page), not an article."""
    return GENERATOR_TAG in raw[:4096]


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _looks_utf32(raw: bytes) -> str | None:
    """UTF-32 without BOM: in each group of 4 bytes, the two high bytes of a BMP character are NUL."""
    sample = raw[:4000]
    sample = sample[:len(sample) // 4 * 4]
    if len(sample) < 8 or len(raw) % 4:
        return None
    lanes = [sample[i::4] for i in range(4)]
    high_nul = lambda lane: lane.count(0) >= len(lane) * 0.95
    if high_nul(lanes[2]) and high_nul(lanes[3]) and lanes[0].count(0) < len(lanes[0]) * 0.05:
        return "utf-32-le"
    if high_nul(lanes[0]) and high_nul(lanes[1]) and lanes[3].count(0) < len(lanes[3]) * 0.05:
        return "utf-32-be"
    return None


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
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):  # UTF-32 LE starts as UTF-16 LE
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(enc), enc)
            except UnicodeDecodeError as err:
                raise IngestError("decode", f"{enc} with BOM but undecodable: {err.reason}") from None
    for magic, kind in BINARY_MAGIC.items():
        if kind and raw.startswith(magic):
            raise IngestError("decode", f"binary file ({kind})")
    utf16 = _looks_utf32(raw) or _looks_utf16(raw)
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
    mixed = _per_paragraph(raw)
    if mixed:
        return _checked(*mixed)
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


def _per_paragraph(raw: bytes) -> tuple[str, str, str] | None:
    """A UTF-8 text with some paragraphs in a legacy encoding (pasted from an old document), decoded
    paragraph by paragraph: (text, "utf-8", what was repaired), or None when it is not such a text.

    Each paragraph that is not UTF-8 must read as well-formed Vietnamese in one legacy encoding
    (a UTF-8 paragraph with a stray byte does not, and is left to the U+FFFD repair).
    """
    from pipeline.core import legacy_vn

    lines = raw.splitlines(keepends=True)
    out, legacy, utf8_vietnamese = [], collections.Counter(), False
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8_vietnamese = utf8_vietnamese or not line.isascii()
        except UnicodeDecodeError:
            best = legacy_vn.best_reading(line)
            if best is None or best[2] < 0.6:
                return None
            text = best[0]
            legacy[best[1]] += 1
        out.append(text)
    if not legacy or not utf8_vietnamese:
        return None
    how = ", ".join(f"{n} paragraph(s) decoded as {enc}" for enc, n in legacy.most_common())
    return "".join(out), "utf-8", how


CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 controls but tab and line breaks, DEL, C1


def _checked(text: str, encoding: str, repaired: str | None = None) -> Decoded:
    """NFC text, or an IngestError when it is blank or binary in disguise."""
    from pipeline.core import legacy_vn

    if not text.strip():
        raise IngestError("decode", "whitespace-only file")
    sample = text[:8000]
    controls = len(CONTROL_RE.findall(sample))  # one pass in C, not a Python loop per character
    if controls > max(10, len(sample) // 50):
        raise IngestError("decode", f"binary content ({controls} control characters) decoded as {encoding}")
    legacy = legacy_vn.detect_legacy_text(text)
    if legacy:
        text = legacy_vn.convert_text(text, legacy)
        repaired = f"converted from {legacy} (saved as {encoding})"
    return Decoded(unicodedata.normalize("NFC", text), encoding, repaired)
