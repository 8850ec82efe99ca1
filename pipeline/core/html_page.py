"""A saved HTML page to main text and metadata: trafilatura for the text, then the page's own evidence.

trafilatura (with htmldate) finds the story and the `<head>` metadata. Three things it leaves to us:
- **the publication date.** The page's `<head>` (meta tags, JSON-LD) is asked first; then a date in the
  page's URL or file name (`/20150323/`, `-20221223123311491.htm`); only then htmldate's guess from the
  body, which can be a sidebar's date (a re-served Dân trí page gave a related story's 2021 date);
- **the title.** A `<title>` carries the section and site (`X - Chính trị - Xã hội - Tuổi Trẻ Online`):
  the page's `<h1>` wins when the title starts with it, else trailing site names are dropped; with no
  title from trafilatura (an `<h1>` holding only an image), the head's `og:title` or `<title>`;
- **captions.** Image captions are body, as in a text scrape (trafilatura's `![caption](url)` lines, the
  `<figcaption>` a reader sees first);
- **the lead.** A lead trafilatura drops (a `<p class="description">`) comes back from the meta
  description when the page's body shows the same text;
- **the author.** The visible closing byline after the story's last paragraph (`XUÂN LONG`, in a widget
  trafilatura drops) comes first; trafilatura joins every meta author with `; ` (`VCCorp vn; Cafebiz Vn;
  Bảo Bảo`): the parts naming a site or publisher are dropped.

The patterns are data (`gazetteer/headers.yaml`: `path_dates`, `title_separators`, `not_author`).
"""
from __future__ import annotations

import html
from datetime import date
from pathlib import PurePath

import regex

from gazetteer import Gazetteer, load_gazetteer
from pipeline.core.cleaning import load_rules, parse_byline
from pipeline.core.headers import is_publisher
from pipeline.core.ingest import IngestError

H1_RE = regex.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", regex.IGNORECASE | regex.DOTALL)
LD_JSON_RE = regex.compile(r"<script\b[^>]*application/ld\+json[^>]*>.*?</script\s*>", regex.IGNORECASE | regex.DOTALL)
HEAD_END_RE = regex.compile(r"</head\s*>|<body\b", regex.IGNORECASE)
META_RE = regex.compile(r"<meta\b[^>]*>", regex.IGNORECASE | regex.DOTALL)
# a meta tag about the publication time (`article:published_time`, `pubdate`, `dc.date`), not an image
DATE_META_RE = regex.compile(r"""(?:name|property|itemprop|http-equiv)\s*=\s*["'][^"']*(?:date|time|publish|created|issued)""",
                             regex.IGNORECASE)
URL_RE = regex.compile(r"""<(?:link\b[^>]*\brel\s*=\s*["']canonical["'][^>]*\bhref|meta\b[^>]*\bproperty\s*=\s*["']og:url["']"""
                       r"""[^>]*\bcontent)\s*=\s*["']([^"']+)["']""", regex.IGNORECASE | regex.DOTALL)


def _patterns(gaz: Gazetteer) -> dict:
    def build(g: Gazetteer) -> dict:
        data = g.load("headers")
        return {"path_dates": [regex.compile(p["pattern"]) for p in data.get("path_dates", [])],
                "separators": data.get("title_separators", [" - ", " | "])}
    return gaz.derived("html_page", build)


def path_date(path: str | None, gaz: Gazetteer) -> str | None:
    """The ISO date a URL or file name carries, or None.

    Example: `path_date("dantri_20221223123311491.html", gaz) == "2022-12-23"`;
    `path_date("http://tuoitre.vn/tin/20150323/x/724115.html", gaz) == "2015-03-23"`.
    """
    if not path:
        return None
    for pattern in _patterns(gaz)["path_dates"]:
        for m in pattern.finditer(path):
            try:
                day = date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            if day <= date.today():
                return day.isoformat()
    return None


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(regex.sub(r"<[^>]+>", " ", fragment)).split())


def page_title(title: str | None, page: str, site: str | None, gaz: Gazetteer) -> str | None:
    """The story's title from a page `<title>`: the `<h1>` it starts with, else without trailing site names.

    Example: `page_title("Tin A - Chính trị - Tuổi Trẻ Online", "<h1>Tin A</h1>", None, gaz) == "Tin A"`;
    `page_title("Công nhân lo Tết - VnExpress", "", "vnexpress.net", gaz) == "Công nhân lo Tết"`.
    """
    if not title:
        return title
    title = " ".join(title.split())
    seps = _patterns(gaz)["separators"]
    site_words = {w for w in regex.split(r"[\W_]+", (site or "").lower()) if len(w) > 3}

    def site_tail(t: str) -> int:  # where a trailing ` - Site` starts, else -1
        cut = max((t.rfind(s) for s in seps), default=-1)
        tail = t[cut:].strip(" -|–:") if cut > 0 else ""
        named = tail and (is_publisher(tail, gaz) or tail.lower().replace(" ", "") in site_words)
        return cut if named else -1

    if site_tail(title) < 0:  # no site named at the end: the title is the story's, ` - ` and all
        return title
    headings = {h for h in (_plain(x) for x in H1_RE.findall(page)) if h}
    for h in headings:
        if title != h and title.startswith(h) and any(title[len(h):].startswith(s) for s in seps):
            return h
    while (cut := site_tail(title)) > 0:
        title = title[:cut].rstrip()
    return title


def page_author(author: str | None, gaz: Gazetteer) -> str | None:
    """trafilatura's `a; b; c` author without the parts that are a site or publisher.

    Example: `page_author("VCCorp vn; Cafebiz Vn; Bảo Bảo", gaz) == "Bảo Bảo"`.
    """
    if not author:
        return None
    people = [p.strip() for p in author.split(";") if p.strip() and not is_publisher(p.strip(), gaz)]
    return "; ".join(people) or None


def head_date(page: str) -> str | None:
    """The publication date the page's date meta tags and JSON-LD give (htmldate on those only: an
    image URL in the head, `.../2021/12/21/anh.jpeg`, is a photo's date, not the story's)."""
    import htmldate

    end = HEAD_END_RE.search(page)
    metas = [m for m in META_RE.findall(page[:end.start()] if end else "") if DATE_META_RE.search(m)
             and "image" not in m.lower()]
    head = "".join(metas) + "".join(LD_JSON_RE.findall(page))
    if not head.strip():
        return None
    try:
        found = htmldate.find_date(f"<html><head>{head}</head><body></body></html>", extensive_search=False,
                                   original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate on a damaged head: no date rather than a failed article
        return None
    return found or None


TITLE_META_RE = regex.compile(r"""\b(?:property|name)\s*=\s*["'](?:og:title|title|twitter:title)["']""", regex.IGNORECASE)
CONTENT_RE = regex.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", regex.IGNORECASE | regex.DOTALL)
TITLE_TAG_RE = regex.compile(r"<title\b[^>]*>(.*?)</title\s*>", regex.IGNORECASE | regex.DOTALL)


def head_title(page: str) -> str | None:
    """The title the page's `<head>` gives (`og:title`, `<meta name="title">`, `twitter:title`, then
    `<title>`), for a page whose `<h1>` holds no text (a Dân trí e-magazine cover: only an image), where
    trafilatura finds no title and the first body line, an upper-case heading, would be taken instead.

    Example: `head_title('<head><meta property="og:title" content="Thế trận giằng co"></head>') == "Thế trận giằng co"`
    """
    end = HEAD_END_RE.search(page)
    head = page[:end.start()] if end else page[:200_000]
    for tag in META_RE.findall(head):
        if TITLE_META_RE.search(tag) and (m := CONTENT_RE.search(tag)) and (value := _plain(m[1] or m[2] or "")):
            return value
    m = TITLE_TAG_RE.search(head)
    return (_plain(m[1]) or None) if m else None


def page_url(page: str) -> str | None:
    """The page's own address: its canonical link or `og:url`."""
    m = URL_RE.search(page[:200_000])
    return html.unescape(m[1]).strip() if m else None


IMAGE_RE = regex.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]*)[^)]*\)\s*$", regex.MULTILINE)
FIGURE_RE = regex.compile(r"<figure\b.*?</figure\s*>", regex.IGNORECASE | regex.DOTALL)
FIGCAPTION_RE = regex.compile(r"<figcaption\b[^>]*>(.*?)</figcaption\s*>", regex.IGNORECASE | regex.DOTALL)
IMG_TAG_RE = regex.compile(r"<img\b[^>]*>", regex.IGNORECASE)
IMG_URL_RE = regex.compile(r"""\b(?:src|data-src|data-original)\s*=\s*["']([^"']+)["']""", regex.IGNORECASE)
IMAGE_NUMBER_RE = regex.compile(r"\s*[-–]\s*\d{1,2}(?=\s|$)")  # `Tên bài - 1`: Dân trí's alt of the first image


def figure_captions(page: str) -> dict[str, str]:
    """The `<figcaption>` of each image in a `<figure>`, by each address the `<img>` gives (`src`,
    `data-src`, `data-original`): trafilatura writes the image's alt text, which on some sites is only
    the headline again, and drops the caption a reader sees.

    Example: `figure_captions('<figure><img src="a.jpg"><figcaption>Tập trận hôm 14/8</figcaption></figure>')`
    gives `{"a.jpg": "Tập trận hôm 14/8"}`.
    """
    out: dict[str, str] = {}
    for figure in FIGURE_RE.findall(page):
        caption = FIGCAPTION_RE.search(figure)
        text = _plain(caption[1]) if caption else ""
        if text:
            for tag in IMG_TAG_RE.findall(figure):
                for url in IMG_URL_RE.findall(tag):
                    out.setdefault(html.unescape(url).strip(), text)
    return out


def with_captions(body: str, title: str | None, captions: dict[str, str] | None = None) -> str:
    """trafilatura's image lines (`![caption](url)`) as their caption lines, the way a text scrape keeps
    them (`Chị Huyền sửa soạn tiệc tất niên hôm 22/1. Ảnh: Lê Tuyết`): the image's `<figcaption>` when the
    page has one (`captions`, by image address) and the body does not show it already, else its alt text;
    an image without a caption, or whose caption is a word or two or the page title again (with an image
    number, `Tên bài - 1`, however often repeated), is dropped.

    Example: `with_captions("A.\n![Lễ khởi công sáng 24/12. Ảnh: X](a.jpg)", None) == "A.\nLễ khởi công sáng 24/12. Ảnh: X"`
    """
    title_key = " ".join((title or "").lower().split())
    flat = " ".join(body.split())

    def caption(m: regex.Match) -> str:
        shown = (captions or {}).get(m["url"].strip())
        if shown and shown not in flat:
            return shown
        alt = " ".join(m["alt"].split())
        bare = IMAGE_NUMBER_RE.sub("", alt.lower())
        only_title = bool(title_key) and not bare.replace(title_key, "").strip()
        return alt if len(alt.split()) >= 4 and not only_title else ""
    return regex.sub(r"\n{3,}", "\n\n", IMAGE_RE.sub(caption, body)).strip()


def with_lead(body: str, description: str | None, page: str, gaz: Gazetteer) -> str:
    """The body with the story's lead first when trafilatura dropped it: the page's meta description,
    kept only when the page's `<body>` shows it too (VnExpress' `<p class="description">`), so a
    description written for search engines alone never becomes article text.

    Example: `with_lead("Ông Sơn nói.", "Cục Hàng không mở lại đường bay từ 15/2.", page, gaz)`
    gives `"Cục Hàng không mở lại đường bay từ 15/2.\nÔng Sơn nói."` when the page's body has that sentence.
    """
    lead = page_title(description, "", None, gaz) if description else None  # `... - VnExpress`
    lead = " ".join((lead or "").split())
    if len(lead.split()) < 8 or lead[:60] in " ".join(body.split()):
        return body
    end = HEAD_END_RE.search(page)
    visible = _plain(regex.sub(r"<(script|style)\b.*?</\1\s*>", " ", page[end.end() if end else 0:],
                               flags=regex.IGNORECASE | regex.DOTALL))
    return f"{lead}\n{body}" if lead in visible else body


HIDDEN_TAGS = {"script", "style", "noscript", "iframe", "template", "button", "select", "option", "svg"}
MAX_CLOSING_CHARS = 60  # a closing byline is short (`Huỳnh Hải - Xuân Lương`)


def _visible_texts(root) -> list[tuple[str, object]]:
    """The page's visible text pieces in reading order, each with the element it belongs to."""
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # a comment or a processing instruction (its tail still counts)
        hidden = el.tag in HIDDEN_TAGS or any(a.tag in HIDDEN_TAGS for a in el.iterancestors())
        if el.text and not hidden and el.text.strip():
            out.append((" ".join(el.text.split()), el))
        parent = el.getparent()
        if el.tail and el.tail.strip() and parent is not None and parent.tag not in HIDDEN_TAGS:
            out.append((" ".join(el.tail.split()), parent))
    return out


def _inside(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def closing_byline(page: str, body: str, gaz: Gazetteer, source: str = "") -> str | None:
    """The byline that closes the story on the page, as written, or None: a short line that
    `cleaning.parse_byline` accepts, standing right after a paragraph of the body and alone after it up to
    the end of their block (Tuổi Trẻ's `<strong>XUÂN LONG</strong>` in a widget `<div>` after the last `<p>`,
    dropped by trafilatura with the widget). A site name, a photo credit or a list of tags is no byline.

    Example: `closing_byline('<div><p>Đoàn thanh tra sẽ làm việc trong 30 ngày tới.</p><div><iframe></iframe>'
    '<strong>XUÂN LONG</strong></div></div>', "Đoàn thanh tra sẽ làm việc trong 30 ngày tới.", gaz) == "XUÂN LONG"`
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return None
    flat = " ".join(body.split())
    rules = load_rules(gaz, source)
    pieces = _visible_texts(root)
    found = None
    for k in range(1, len(pieces)):
        text, owner = pieces[k]
        if len(text) > MAX_CLOSING_CHARS or not parse_byline(text, rules) or is_publisher(text, gaz) \
                or any(ps.search(text) for ps in (rules.cut, rules.drop, rules.section, rules.banner)):
            continue  # a site, or page furniture (`TIN LIÊN QUAN`, `Từ khóa`, `Chia sẻ`)
        block = pieces[k - 1][1]
        while block.tag not in ("p", "div") and block.getparent() is not None:
            block = block.getparent()
        container = block.getparent()
        paragraph = " ".join(block.text_content().split())
        if container is None or len(paragraph.split()) < 8 or paragraph[-40:] not in flat \
                or not _inside(owner, container) or owner is block or _inside(owner, block):
            continue
        if k + 1 < len(pieces) and _inside(pieces[k + 1][1], container):
            continue  # more text after it in the block: a list of tags or links, not a closing line
        found = text
    return found


def html_to_text(page: str, source: str = "", gaz: Gazetteer | None = None) -> tuple[str, dict]:
    """Main text and metadata of an HTML page: (body, {title, url, published, author}).

    Example: `html_to_text(open("page.html").read(), "page.html")[1]["published"]`
    """
    import trafilatura

    gaz = gaz or load_gazetteer()
    # htmldate's extensive search took `2020 - 2025` in a paragraph for a publication date: never
    result = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True,
                                         include_images=True, date_extraction_params={"extensive_search": False, "original_date": True})
    if result is None:
        raise IngestError("html", "no main text found in the HTML page")
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    body = data.get("text") or ""
    if not body.strip():
        raise IngestError("html", "no main text found in the HTML page")
    body = with_captions(body, data.get("title"), figure_captions(page))
    body = with_lead(body, data.get("description"), page, gaz)
    meta = {"title": page_title(data.get("title") or head_title(page), page, data.get("sitename") or data.get("hostname"), gaz),
            "url": data.get("url") or page_url(page)}
    published = (head_date(page) or path_date(meta["url"], gaz) or path_date(PurePath(source).name, gaz)
                 or (str(data["date"])[:10] if data.get("date") else None))
    if published:
        meta["published"] = published
    author = closing_byline(page, body, gaz, source) or page_author(data.get("author"), gaz)  # the visible one first
    if author:
        meta["author"] = author
    return body, meta
