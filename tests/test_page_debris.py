"""Classes of page furniture that trafilatura keeps inside the article, cut by shape, never by site."""

from __future__ import annotations

from reader.ingest import parse_article

from .html_pages import STORY, news_page

LAST = "The port authority will publish the tender documents in June"


def parse(html: str):
    return parse_article(html.encode("utf-8"), "story.html")


def test_timestamp_lines_go_but_sentences_with_dates_stay():
    stamps = [
        "Page last updated at 09:33 GMT, Wednesday, 11 March 2009",
        "12/28/2005 3:33:49 PM, by Anders Bylund",
        "5 hours ago 2009-03-09T20:30:24-07:00",
        "Monday, May 21, 2007",
    ]
    dated = "By the end of 2009 the harbour had been dredged twice, on May 5 and again on June 30, officials said."
    article = parse(news_page(body=stamps[:2] + STORY[:2] + stamps[2:] + [dated] + STORY[2:]))
    for stamp in stamps:
        assert stamp not in article.body, stamp
    assert dated in article.paragraphs
    for paragraph in STORY:
        assert paragraph in article.paragraphs


def test_embedded_social_posts_and_their_account_lines_go():
    tweet = (
        '<blockquote class="twitter-tweet"><p lang="en">Huge crowd at the harbour vote tonight, the public gallery '
        "is full and people are queueing outside #harbourvote pic.twitter.com/abc123</p>"
        '— Harbour Watch (@harbourwatch) <a href="https://twitter.com/x/status/1">May 14, 2024</a></blockquote>'
    )
    unmarked = "— Port Authority (@portauthority) May 14, 2024"
    page = news_page(body=[*STORY[:2], unmarked, *STORY[2:]]).replace(f"<p>{STORY[2]}</p>", f"{tweet}\n<p>{STORY[2]}</p>")
    article = parse(page)
    assert "Huge crowd at the harbour vote" not in article.body
    assert "@harbourwatch" not in article.body and "@portauthority" not in article.body
    for paragraph in STORY:
        assert paragraph in article.paragraphs


def test_labelled_links_to_other_stories_go_but_labelled_prose_stays():
    promo = '<p>MORE: <a href="/2024/05/10/fishermen">Fishermen protest at the quay over dredging plans</a></p>'
    dateline = "<p>WASHINGTON: The transport ministry said it would review the plan before the summer recess.</p>"
    page = news_page().replace(f"<p>{STORY[2]}</p>", f"{promo}\n{dateline}\n<p>{STORY[2]}</p>")
    article = parse(page)
    assert "Fishermen protest" not in article.body
    assert "WASHINGTON: The transport ministry said it would review the plan before the summer recess." in article.paragraphs


def test_newsletter_boxes_and_affiliate_notices_go():
    notices = [
        "Don't want to miss a single story? Sign up to get the Harbour Briefing newsletter in your inbox.",
        "When you buy something through our retail links, we may earn an affiliate commission.",
    ]
    article = parse(news_page(body=[STORY[0], notices[0], *STORY[1:3], notices[1], STORY[3]]))
    for notice in notices:
        assert notice not in article.body
    for paragraph in STORY:
        assert paragraph in article.paragraphs


def test_lines_of_navigation_links_go_but_table_rows_stay():
    nav = "NEWS | ENTERTAINMENT | OTHER SECTIONS | CLASSIFIEDS | JOBS"
    table = (
        "<table><tr><th>Berth</th><th>Depth</th><th>Length</th></tr>"
        "<tr><td>North quay</td><td>12 m</td><td>300 m</td></tr></table>"
    )
    page = news_page(body=[nav, *STORY]).replace(f"<p>{STORY[3]}</p>", f"<p>{STORY[3]}</p>\n{table}")
    article = parse(page)
    assert "CLASSIFIEDS" not in article.body
    assert "Berth | Depth | Length" in article.paragraphs
    assert "North quay | 12 m | 300 m" in article.paragraphs


def test_the_pages_footer_at_the_end_of_the_article_goes():
    footer = [
        "© 2024 The Associated Press. All rights reserved. This material may not be published, broadcast, "
        "rewritten or redistributed without the prior written authority of the agency.",
        "Learn more about our Privacy Policy.",
    ]
    infringement = (
        "The dredging firm filed a copyright infringement suit against the council over its survey maps, "
        "the second case between them this year."
    )
    article = parse(news_page(body=[*STORY, infringement], extra_article="".join(f"<p>{line}</p>" for line in footer)))
    assert "All rights reserved" not in article.body and "Privacy Policy" not in article.body
    assert article.paragraphs[-1].startswith(LAST)
    assert infringement in article.paragraphs
