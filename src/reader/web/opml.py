"""OPML 2.0, the list format every feed reader (newsboat included) imports and exports.

Read with lxml with entity expansion and network access off (an OPML file
from elsewhere is untrusted XML); written with the standard library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from ..text.controls import clean_inline

MAX_OPML_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Outline:
    title: str
    url: str  # the feed (xmlUrl)
    page: str = ""  # the site (htmlUrl)


def parse_opml(data: bytes) -> list[Outline]:
    """Every outline with an http(s) ``xmlUrl``, nested folders flattened; ValueError if not OPML."""
    from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type stubs

    if len(data) > MAX_OPML_BYTES:
        raise ValueError(f"too large for an OPML file (limit {MAX_OPML_BYTES // (1024 * 1024)} MB)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not valid XML ({clean_inline(str(error))[:160]})") from None
    if root is None or not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ValueError("not an OPML file (its root element is not <opml>)")
    found: list[Outline] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = clean_inline(outline.get("xmlUrl") or outline.get("xmlurl") or "")
        if not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        title = clean_inline(outline.get("title") or outline.get("text") or "")
        page = clean_inline(outline.get("htmlUrl") or outline.get("htmlurl") or "")
        found.append(Outline(title[:200], url, page if page.lower().startswith(("http://", "https://")) else ""))
    return found


def to_opml(outlines: list[Outline], *, title: str = "reader feeds") -> str:
    """An OPML 2.0 document listing the feeds."""
    created = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_text(title)}</title>",
        f"    <dateCreated>{created}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for outline in outlines:
        name = quoteattr(outline.title)
        attributes = f'type="rss" text={name} title={name} xmlUrl={quoteattr(outline.url)}'
        if outline.page:
            attributes += f" htmlUrl={quoteattr(outline.page)}"
        lines.append(f"    <outline {attributes}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
