"""Saved web pages in the articles folder become clean articles."""

from __future__ import annotations

import gzip

import lxml.html
import pytest

from reader.ingest import UnreadableArticle, article_id_for, parse_article, scan_articles
from reader.ingest.html import decode_html, extract_page, gunzip_capped, not_an_article
from reader.ingest.page_title import standfirst

from .html_pages import STORY, news_page


def parse(html: str, name: str = "story.html"):
    return parse_article(html.encode("utf-8"), name)


def test_page_becomes_article_with_metadata_and_only_the_story():
    article = parse(news_page())
    body = article.body
    assert article.title == "Council approves harbour expansion"  # site name cut
    assert not article.title_derived
    assert article.authors == ("Maria Jensen",)
    assert article.date == "2024-05-14"
    assert article.source == "The Harbour Gazette"
    assert article.url == "https://gazette.example/2024/05/14/harbour-expansion"
    for paragraph in STORY:
        assert paragraph in article.paragraphs
    assert "What happens next" in article.paragraphs  # headings stay, as paragraphs
    for debris in ("cookies", "Politics", "Share on", "Fishermen protest", "Commenter42", "trackingMarker",
                   "secret-style-marker", "alert(", "All rights reserved"):
        assert debris not in body, debris


def test_title_from_h1_when_title_tag_carries_the_site():
    article = parse(news_page(title="Harbour vote - Council approves harbour expansion - Gazette", h1="Harbour vote"))
    assert article.title == "Harbour vote"


def test_title_without_site_suffix_when_no_heading_repeats_it():
    page = news_page(title="Council approves harbour expansion | The Harbour Gazette", h1="")
    assert parse(page).title == "Council approves harbour expansion"


def test_title_between_the_site_name_and_a_section_name():
    title = "GazetteOnline - Council approves harbour expansion - Local News | Current News"
    page = news_page(title=title).replace("</article>", "</article><h1>Marketplace</h1>")  # a second <h1>
    assert parse(page).title == "Council approves harbour expansion"
    # A one- or two-word part a heading repeats is a section or blog name, not the headline.
    blog = news_page(title="GazetteOnline - Harbour Diary - Council votes", h1="", under_headline="<h2>Harbour Diary</h2>")
    assert parse(blog).title != "Harbour Diary"


def test_a_heading_that_links_elsewhere_is_not_the_title_and_a_teaser_is_the_standfirst():
    dek = "Seven votes to four end a decade of dispute over the estuary and its salt marsh."
    page = (
        news_page(h1="")
        .replace(  # the headline in an <h2>, its standfirst classed "teaser"
            "<h1></h1>",
            f'<h2 class="news-item-title">Council approves harbour expansion</h2><p class="news-item-teaser">{dek}</p>',
        )
        .replace(  # another story's headline, in a heading classed as an article title
            '<aside class="related">',
            '<aside class="related"><h2 class="article-title"><a href="/apps">Digging for buried treasure: '
            "the harbour apps reviewed</a></h2>",
        )
        .replace("<header>", '<header><h1 id="logo"><a href="/"><img src="logo.png" alt="The Harbour Gazette"></a></h1>')
    )
    article = parse(page)
    assert article.title == "Council approves harbour expansion"
    assert article.paragraphs[:2] == (dek, STORY[0])


def test_suffixes_and_ids(tmp_path):
    html = news_page().encode()
    (tmp_path / "a.html").write_bytes(html)
    (tmp_path / "b.htm").write_bytes(html)
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(html))
    (tmp_path / "d.css").write_text("body {}")
    found = sorted(f.relpath for f in scan_articles(tmp_path))
    assert found == ["a.html", "b.htm", "c.html.gz"]
    assert article_id_for("c.html.gz") == "c"
    assert article_id_for("sub/b.htm") == "sub/b"
    article = parse_article(gzip.compress(html), "c.html.gz")
    assert article.id == "c"
    assert article.title == "Council approves harbour expansion"


def test_gzip_bomb_and_broken_gzip_are_refused():
    with pytest.raises(UnreadableArticle, match="too large once decompressed"):
        gunzip_capped(gzip.compress(b"<p>" + b"a" * 200_000), limit=100_000)
    with pytest.raises(UnreadableArticle, match="not a valid gzip"):
        parse_article(b"\x1f\x8b\x08\x00garbage", "x.html.gz")


def test_charsets_meta_header_and_wrong_declarations():
    text = "Le maire a déclaré que la décision était « définitive » et qu’elle coûterait cher."
    cp1252 = news_page(body=[text] + STORY, charset="windows-1252").encode("cp1252")
    assert text in parse_article(cp1252, "fr.html").paragraphs
    # UTF-8 bytes that claim to be ISO-8859-1 (common on old servers) are still read as UTF-8.
    wrong = news_page(body=[text] + STORY, charset="iso-8859-1").encode("utf-8")
    assert text in parse_article(wrong, "fr2.html").paragraphs
    # No declaration at all, single-byte bytes: guessed, not mojibake.
    undeclared = news_page(body=[text] + STORY, charset="").replace('<meta charset="">', "").encode("cp1252")
    assert "déclaré" in parse_article(undeclared, "fr3.html").body
    assert decode_html("é".encode("latin-1") * 50, declared="latin-1") == "é" * 50


def test_hostile_page_escape_sequences_scripts_and_links():
    hostile = [
        "Officials said the \x1b]52;c;ZXZpbA==\x07 vote was final and that the \x1b[31mharbour would open "
        "on time, with the first ships expected within three years of the decision being signed.",
        'A <a href="javascript:alert(1)">statement</a> from the council <script>document.write("INJECTED")</script>'
        "said the works would start in spring and run for three years along the whole waterfront.",
        "Escaped &#27;[2J sequences written as entities are stripped too, like the raw ones above in this story.",
    ] + STORY
    article = parse(news_page(body=hostile, extra_article='<iframe src="javascript:alert(2)"></iframe>'))
    body = article.body + article.title
    assert "\x1b" not in body and "\x07" not in body
    assert "javascript:" not in body and "INJECTED" not in body
    assert "Officials said the vote was final and that the harbour would open" in body  # the text around is kept
    assert "Escaped [2J sequences" in body
    assert "statement from the council" in body.replace("  ", " ")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (["Please sign in to continue reading. Subscribe for full access to our journalism."], "sign-in or subscription wall"),
        (["The meeting was postponed. A new date will be announced."], r"only \d+ words"),
    ],
)
def test_not_an_article_pages_are_skipped_with_the_reason(body, reason):
    page = news_page(body=body).replace("<h2>What happens next</h2>", "").replace(
        "<p>The port authority will publish the tender documents in June, and the first contracts are due\n"
        "to be signed before the end of the year, officials said on Wednesday evening.</p>",
        "",
    )
    with pytest.raises(UnreadableArticle, match=reason):
        parse(page)


def test_not_html_at_all():
    with pytest.raises(UnreadableArticle):
        parse_article(b"\x00\x01\x02binary", "x.html")
    with pytest.raises(UnreadableArticle, match="empty"):
        parse_article(b"   ", "x.html")


def test_related_list_and_repeated_headline_are_cut():
    others = "".join(f"<p>Other story number {i} about something else entirely.</p>" for i in range(5))
    related = "<h3>You might also like</h3>" + others
    page = news_page(body=["Council approves harbour expansion"] + STORY, extra_article=related)
    article = parse(page)
    assert article.paragraphs[0] == STORY[0]
    assert "Other story number" not in article.body


def test_cjk_pages_count_characters_as_words():
    text = "市议会周二投票决定扩建港口，结束了这场分裂居民近十年的争议。支持者说该项目将带来数千个就业岗位。"
    page = extract_page(news_page(body=[text, text + "反对者警告说疏浚将破坏河口最后的盐沼。"]))
    assert not_an_article(page) is None


def test_sync_indexes_html_next_to_text(library, corpus):
    (corpus / "web").mkdir()
    (corpus / "web" / "harbour.html").write_text(news_page(), encoding="utf-8")
    report = library.sync(entities=False)
    assert report.added == ["web/harbour.html"]
    hits = library.search("dredging marsh")
    assert [hit.id for hit in hits] == ["web/harbour"]
    assert library.article("web/harbour").title == "Council approves harbour expansion"


def test_pages_declaring_latin1_keep_their_windows_quotes_and_dashes():
    # Browsers read ISO-8859-1 as windows-1252: byte 0x92 is ’, and &#150; is –.
    text = "The mayor’s office said the vote – seven to four – was final and the works would start in spring."
    page = news_page(body=[text, "A second &#147;quoted&#148; line&#146;s fine too, said the harbour master today."] + STORY,
                     charset="iso-8859-1")
    data = page.encode("cp1252")
    assert b"\x92" in data and b"\x96" in data
    article = parse_article(data, "old.html")
    assert "The mayor’s office said the vote – seven to four – was final" in article.body
    assert "A second “quoted” line’s fine too" in article.body


def test_related_box_inside_the_story_goes_but_the_story_goes_on():
    box = ['<h3>Related stories</h3>', '<p><a href="/x">Fishermen protest at the quay over dredging plans</a></p>']
    page = news_page().replace("<h2>What happens next</h2>", "\n".join(box) + "\n<h2>What happens next</h2>")
    article = parse(page)
    for paragraph in STORY:
        assert paragraph in article.paragraphs
    assert "What happens next" in article.paragraphs
    assert article.paragraphs[-1].startswith("The port authority will publish the tender documents")
    assert "Related stories" not in article.body
    assert "Fishermen protest" not in article.body


def test_standfirst_under_the_headline_opens_the_article():
    dek = "Seven votes to four end a decade of dispute over the estuary and its salt marsh."
    # The headline block sits above the story's container, where extractors do not look.
    head = f'<div class="article-head"><h1>Council approves harbour expansion</h1><h2 class="deck">{dek}</h2></div>'
    article = parse(news_page(h1="").replace("<main><article>\n<h1></h1>", f"<main>{head}<article>"))
    assert article.paragraphs[0] == dek
    assert article.paragraphs[1] == STORY[0]
    # A heading that links elsewhere is another story's headline, not the standfirst.
    linked = lxml.html.fromstring(news_page(under_headline=f'<h2><a href="/elsewhere">{dek}</a></h2>'))
    assert standfirst(linked, "Council approves harbour expansion", " ".join(STORY)) == ""
    # Nor is a line the extracted article already has.
    repeated = lxml.html.fromstring(news_page(under_headline=f"<h2>{dek}</h2>"))
    assert standfirst(repeated, "Council approves harbour expansion", dek + " " + " ".join(STORY)) == ""
