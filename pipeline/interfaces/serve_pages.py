"""What `vnfacts serve` adds to Datasette's pages: article links, review pages, rows first, unaccented search.

- every article file name (`source`, a position's `articles`) links to `/-/review/<database>/<source>`,
  the article with its facts highlighted (`review.render_review`, read from the served database);
- an article without a headline shows its first sentence, in italics;
- table pages show their rows right under the filters; column descriptions and facets follow them;
- `?_search=` is read as the unaccented index is written (`đ` as `d`; the index ignores other marks).
"""
from __future__ import annotations

import html
import urllib.parse

from markupsafe import Markup

from pipeline.interfaces.articles import headline
from pipeline.store.search_index import fold_query_d

CSS_URL = "/-/vnfacts.css"
CSS = """
body.table section.content { display: flex; flex-direction: column; }
body.table section.content > * { order: 3; }
body.table section.content > .page-header { order: 0; }
body.table section.content > .metadata-description { order: 1; }
body.table section.content > h3, body.table section.content > form.filters { order: 1; }
body.table section.content > .table-wrapper { order: 2; }
body.table section.content > dl.column-descriptions { order: 4; font-size: 0.85em; }
"""


def fold_search(query_string: bytes) -> bytes:
    """A query string with every `_search*` value's `đ` written `d` (the unaccented index's spelling).

    Example: `fold_search(b"_search=%C4%90%E1%BA%A3ng") == b"_search=D%E1%BA%A3ng"`
    """
    if b"_search" not in query_string:
        return query_string
    pairs = urllib.parse.parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    folded = [(k, fold_query_d(v) if k.startswith("_search") and k != "_searchmode" else v) for k, v in pairs]
    return urllib.parse.urlencode(folded, encoding="utf-8").encode("latin-1")


def review_url(database: str, source: str) -> str:
    return f"/-/review/{urllib.parse.quote(database)}/{urllib.parse.quote(source)}"


def _links(database: str, sources: list[str]) -> Markup:
    return Markup(", ".join(f'<a href="{html.escape(review_url(database, s))}">{html.escape(s)}</a>'
                            for s in sources))


def render_cell(row, value, column, table, database, datasette):
    """Datasette's `render_cell`: links for article names, the first sentence for a missing headline."""
    if column == "source" and isinstance(value, str) and table in (None, "articles"):
        return _links(database, [value])
    if column == "articles" and isinstance(value, str) and value:
        return _links(database, [s.strip() for s in value.split(",") if s.strip()])
    if column == "title" and table == "articles" and not value:
        keys = row.keys() if hasattr(row, "keys") else []
        if "text" in keys and row["text"]:
            return Markup(f"<i>{html.escape(headline(None, row['text']))}</i>")
    return None


def routes():
    return [(r"^/-/review/(?P<database>[^/]+)/(?P<source>[^/]+)$", review_page),
            (r"^/-/vnfacts\.css$", css_page)]


async def css_page(request):
    from datasette.utils.asgi import Response

    return Response(CSS, content_type="text/css; charset=utf-8")


async def review_page(datasette, request):
    """The review page of one stored article, read from the served (immutable) database."""
    import sqlite_utils
    from datasette.utils.asgi import Response

    from pipeline.interfaces.review import ReviewError, find_article, render_review, stored_facts

    name = request.url_vars["database"]
    source = urllib.parse.unquote(request.url_vars["source"])
    try:
        db = datasette.get_database(name)
    except KeyError:
        return Response.html(f"<p>No database {html.escape(name)}</p>", status=404)

    def page(conn):
        sdb = sqlite_utils.Database(conn)
        try:
            article = find_article(sdb, source)
        except ReviewError as err:
            return None, err.format_message()
        return render_review(article, stored_facts(sdb, article["id"])), None

    body, error = await db.execute_fn(page)
    if error:
        return Response.html(f"<p>{html.escape(error)}</p>", status=404)
    return Response.html(body)
