"""A saved news page, the way sites wrap a story (navigation, cookie banner, share bar,
related links, comments), and RSS feeds of such stories, for the web-page and feed tests."""

from __future__ import annotations

from html import escape

STORY = [
    "The city council voted on Tuesday to expand the harbour, ending a dispute that had divided "
    "residents for most of the decade and cost two mayors their jobs.",
    "Supporters said the project would bring thousands of jobs to the waterfront, while opponents "
    "warned that dredging would destroy the last salt marsh on the estuary.",
    "The vote was seven to four. Construction is expected to begin next spring and to take about "
    "three years, according to the port authority's own schedule.",
    "Residents who live near the marsh said they would appeal the decision in the regional court, "
    "and a fund set up for the case has already raised forty thousand euros.",
]


def news_page(
    *,
    title: str = "Council approves harbour expansion | The Harbour Gazette",
    h1: str = "Council approves harbour expansion",
    body: list[str] | None = None,
    extra_head: str = "",
    extra_article: str = "",
    charset: str = "utf-8",
    under_headline: str = "",
) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in (body if body is not None else STORY))
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>{title}</title>
<meta property="og:site_name" content="The Harbour Gazette">
<meta name="author" content="Maria Jensen">
<meta property="article:published_time" content="2024-05-14T09:30:00Z">
<link rel="canonical" href="https://gazette.example/2024/05/14/harbour-expansion">
<style>body {{ color: red }} .secret-style-marker {{ }}</style>
<script>var trackingMarker = "script text must never appear"; alert(1);</script>
{extra_head}
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>{h1}</h1>{under_headline}
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
{paragraphs}
<h2>What happens next</h2>
<p>The port authority will publish the tender documents in June, and the first contracts are due
to be signed before the end of the year, officials said on Wednesday evening.</p>
{extra_article}
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Fishermen protest at quay</a></li><li><a href="/b">Marsh birds counted</a></li></ul></aside>
<section id="comments" class="comments"><h3>3 comments</h3>
<div class="comment"><p>Commenter42 says: this is a disgrace and the council should resign.</p></div></section>
</main>
<footer><p>Copyright 2024 The Harbour Gazette. All rights reserved.</p></footer>
</body></html>"""


# -- feeds of such pages ----------------------------------------------------------------------

LONG = (
    "The regional council met on Thursday to decide the future of the old harbour district, "
    "where shipyards once employed thousands of workers and now stand empty. "
) * 12


def story(n: int) -> str:
    return news_page(
        title=f"Harbour story {n} | The Harbour Gazette",
        h1=f"Harbour story {n}",
        body=[f"Story {n}: the council voted on part {n} of the harbour plan, and residents reacted at once."] + [LONG],
    ).replace("https://gazette.example/2024/05/14/harbour-expansion", f"https://gazette.example/story/{n}")


def rss(site, items: list[str], title: str = "Harbour Gazette") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>{site.base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def item(site, n: int, *, link: bool = True, summary: str = "A short summary.", content: str = "", date: bool = True) -> str:
    guid = f"<guid>story-{n}</guid>" if link else f'<guid isPermaLink="false">story-{n}</guid>'
    parts = [f"<title>Harbour story {n}</title>", guid, f"<description>{escape(summary)}</description>"]
    if link:
        parts.append(f"<link>{site.base}/story/{n}</link>")
    if date:
        parts.append("<pubDate>Tue, 14 May 2024 09:30:00 GMT</pubDate>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"
