"""Re-create the multi-source gold articles from public GitHub repositories.

Dev tool, not run by the tests. Each ``tests/gold/<source>/fetch.yaml`` lists the
repositories, pinned commits and files of that source. Files are
read from ``raw.githubusercontent.com`` at the pinned commit (needs network),
or from a local git mirror that holds that commit (``--mirror GITDIR``).
Written files are checked against ``articles.sha256`` beside ``fetch.py``.

The article texts are not committed: ``articles/`` is git-ignored.

Kinds of item:
- ``raw``: the file's bytes as the repository stores them.
- ``gunzip``: a ``.html.gz`` page, decompressed (the page as the scraper saved it).
- ``newsplease_json``: a news-please JSON record written as text: header lines
  ``title:``, ``date_publish:``, ``authors:``, ``url:`` with the values as the
  record has them, a blank line, then ``description`` (when the text does not
  already start with it) and ``text``.
- ``csv_record``: one row of a CSV file, chosen by its ``id`` column, written
  the same way with the header lines ``title:``, ``published_at:``,
  ``source.name:``, ``url:``, then ``content.text``.

Example:
    python tests/gold/fetch_sources.py             # every source
    python tests/gold/fetch_sources.py vfnd 24h    # some
    python tests/gold/fetch_sources.py vfnd --mirror thanhhocse96/vfnd-vietnamese-fake-news-datasets=/path/to/clone/.git
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import yaml

RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


def read_blob(repo: str, commit: str, path: str, mirror: str | None) -> bytes:
    """Return the bytes of ``path`` at ``commit``, from a mirror or from GitHub."""
    if mirror:
        if (Path(mirror) / ".git").is_dir():  # a clone with a work tree, not a bare mirror
            mirror = str(Path(mirror) / ".git")
        return subprocess.run(["git", "--git-dir", mirror, "show", f"{commit}:{path}"],
                              check=True, capture_output=True).stdout
    url = RAW_URL.format(repo=repo, commit=commit, path=urllib.request.quote(path))
    with urllib.request.urlopen(url, timeout=60) as resp:
        return resp.read()


def _header_text(header: list[tuple[str, object]], body: str) -> bytes:
    lines = [f"{key}: {'' if value is None else value}".rstrip() for key, value in header]
    return ("\n".join(lines) + "\n\n" + body.strip() + "\n").encode("utf-8")


def newsplease_json(data: bytes) -> bytes:
    """A news-please record as text with its header lines (see module doc)."""
    rec = json.loads(data)
    authors = rec.get("authors") or []
    body = rec.get("text") or ""
    desc = (rec.get("description") or "").strip()
    if desc and not body.strip().startswith(desc[:40]):
        body = desc + "\n\n" + body
    header = [("title", rec.get("title")), ("date_publish", rec.get("date_publish")),
              ("authors", ", ".join(authors)), ("url", rec.get("url"))]
    return _header_text(header, body)


def csv_record(data: bytes, record_id: str) -> bytes:
    """One CSV row (by ``id``) as text with its header lines (see module doc)."""
    csv.field_size_limit(sys.maxsize)
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        if row["id"] == record_id:
            header = [(k, row.get(k)) for k in ("title", "published_at", "source.name", "url")]
            return _header_text(header, row.get("content.text") or "")
    raise KeyError(f"no row with id {record_id}")


def build(spec: dict, mirror: str | None) -> dict[str, bytes]:
    """Return {file name: bytes} for every item of ``spec``."""
    cache: dict[str, bytes] = {}
    out: dict[str, bytes] = {}
    for item in spec["items"]:
        path, name, kind = item["path"], item["name"], item["kind"]
        if path not in cache:
            cache[path] = read_blob(spec["repo"], spec["commit"], path, mirror)
        data = cache[path]
        if kind == "raw":
            out[name] = data
        elif kind == "gunzip":
            out[name] = gzip.decompress(data)
        elif kind == "newsplease_json":
            out[name] = newsplease_json(data)
        elif kind == "csv_record":
            out[name] = csv_record(data, item["record_id"])
        else:
            raise ValueError(f"unknown kind {kind}")
    return out


def fetch_source(here: Path, mirrors: dict[str, str], write_sums: bool = False) -> int:
    """Write the articles of ``here/fetch.yaml`` under ``here/articles`` and check them."""
    specs = yaml.safe_load((here / "fetch.yaml").read_text(encoding="utf-8"))
    dest = here / "articles"
    dest.mkdir(exist_ok=True)
    sums_file = here / "articles.sha256"
    expected = {}
    if sums_file.exists():
        for line in sums_file.read_text().splitlines():
            digest, name = line.split(maxsplit=1)
            expected[name] = digest
    written = {}
    for spec in specs:
        try:
            built = build(spec, mirrors.get(spec["repo"]))
        except (OSError, subprocess.CalledProcessError, KeyError) as exc:
            print(f"cannot re-create {spec['repo']}@{spec['commit'][:10]}: {exc}", file=sys.stderr)
            return 1
        for name, data in built.items():
            (dest / name).write_bytes(data)
            written[name] = hashlib.sha256(data).hexdigest()
    if write_sums:
        sums_file.write_text("".join(f"{d}  {n}\n" for n, d in sorted(written.items())))
    bad = [] if write_sums else [n for n, d in written.items() if expected.get(n) != d]
    for name in bad:
        print(f"checksum differs: {name}", file=sys.stderr)
    print(f"{len(written)} articles written to {dest}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Fetch the named sources (folders of ``tests/gold`` with a ``fetch.yaml``), or all of them."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="*", help="source folders under tests/gold (default: all)")
    ap.add_argument("--mirror", action="append", default=[],
                    help="REPO=GITDIR: read REPO from a local git mirror")
    ap.add_argument("--write-sums", action="store_true", help="(re)write articles.sha256")
    args = ap.parse_args(argv)
    mirrors = dict(m.split("=", 1) for m in args.mirror)
    gold = Path(__file__).resolve().parent
    names = args.sources or sorted(p.parent.name for p in gold.glob("*/fetch.yaml"))
    missing = [n for n in names if not (gold / n / "fetch.yaml").exists()]
    if missing:
        print(f"no such source: {', '.join(missing)}", file=sys.stderr)
        return 2
    return max(fetch_source(gold / n, mirrors, args.write_sums) for n in names)


if __name__ == "__main__":
    sys.exit(main())
