"""Ingestion of the bundled samples and of the file shapes users have."""

from __future__ import annotations

import codecs
import os

import pytest

from reader.ingest import UnreadableArticle, parse_article, read_article, scan_articles
from reader.text.controls import strip_controls
from reader.text.fold import fold_punctuation as fold_for_search

from .paths import SAMPLES


def sample(prefix: str):
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return read_article(path, SAMPLES)


def test_sample_000_date_and_byline_on_one_line_and_derived_title():
    article = sample("000")
    assert article.id == "000_ea3cef877529f866"
    assert article.authors == ("Lingling Wei",)
    assert article.date == "2019-03-28"
    assert article.dateline == "Beijing"
    assert article.title_derived
    assert article.title.startswith("China is offering foreign technology firms better access")
    assert "000_" not in article.title
    assert article.source == ""  # the text never names its publication
    assert article.paragraphs[0].startswith("BEIJING -- China is offering")
    assert article.paragraphs[-1] == "Bob Davis, Lin Zhu and Shan Li contributed to this article."


def test_sample_001_two_authors_no_headline():
    article = sample("001")
    assert article.authors == ("Yoko Kubota", "Lingling Wei")
    assert article.date == ""
    assert article.title_derived
    assert article.title == "China sweetened an offer to open its cloud-computing sector to foreign companies"
    assert article.dateline == "Beijing"


def test_sample_002_headline_source_and_hover_cards_removed():
    article = sample("002")
    assert article.title == "China offering major concessions on tech issues in trade talks: report"
    assert not article.title_derived
    assert article.source == ""  # it quotes Reuters ("Reuters reported", "told Reuters"); it is not Reuters'
    body = article.body
    assert "MORE" not in body
    assert "On The Money" not in body
    assert "Terner" not in body
    assert "Treasury Secretary Steven Mnuchin and U.S. Trade Representative Robert Lighthizer are set to travel" in body
    assert "President Trump has imposed tariffs on $250 billion" in body
    # Real sentences around the cards survive.
    assert body.count("Lighthizer said") == 2


def test_sample_003_ap_dateline_and_trailing_debris():
    article = sample("003")
    assert article.title == "US commerce secretary rejects Chinese appeal to ease export controls"
    assert article.source == "Associated Press"
    assert article.dateline == "Beijing"
    assert "Source: post" not in article.body
    assert "No posts to display" not in article.body
    assert article.paragraphs[-1].startswith("Chinese officials also agreed Tuesday")


def test_sample_004_twitter_handle_removed_text_kept_as_written():
    article = sample("004")
    assert article.title.startswith("More U.S.-China trade talks set after 2 days")
    assert "@RobynDixon_LAT" not in article.body
    assert "world\u2019s two biggest economies" in article.body  # curly quotes shown as written
    assert article.word_count > 1000


def test_every_sample_has_a_hash_and_word_count():
    articles = [read_article(f) for f in scan_articles(SAMPLES)]
    assert len(articles) == 5
    assert len({a.content_hash for a in articles}) == 5
    assert all(a.word_count > 300 for a in articles)


def test_search_folding_keeps_length():
    text = "\u201cWe\u2019re\u00a0here\u201d \u2014 ok"
    folded = fold_for_search(text)
    assert len(folded) == len(text)
    assert folded == '"We\'re here" - ok'


def test_control_characters_and_escape_sequences_are_removed():
    hostile = (
        "a\x1b[31mred\x1b[0m b\x1b]52;c;ZXZpbA==\x07c \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ "
        "d\u202eevil\u202c e\x9b31m f\x00g\u200bh"
    )
    clean = strip_controls(hostile)
    assert "\x1b" not in clean and "\x9b" not in clean and "\x00" not in clean
    assert "\u202e" not in clean and "\u200b" not in clean
    assert "red" in clean and "link" in clean and "evil" in clean


def _article_bytes(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


ENCODED_TEXT = (
    "Caf\u00e9 d\u00e9j\u00e0 vu\n\nBy Ren\u00e9e Dupont\n\n"
    "PARIS -- The caf\u00e9\u2019s owner said \u201cno\u201d to the plan, officials said on Monday in Paris.\n"
)


@pytest.mark.parametrize(
    "encoding,prefix",
    [
        ("cp1252", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", b""),
    ],
)
def test_other_encodings_are_detected(encoding, prefix):
    data = prefix + ENCODED_TEXT.encode(encoding)
    article = parse_article(data, "x.txt")
    assert article.title == "Caf\u00e9 d\u00e9j\u00e0 vu"
    assert article.authors == ("Ren\u00e9e Dupont",)
    assert "caf\u00e9\u2019s owner" in article.body


def test_latin1_is_detected():
    text = (
        "Le fran\u00e7ais na\u00eff\n\n"
        "PARIS -- Le gar\u00e7on a dit qu'il \u00e9tait tr\u00e8s na\u00eff, selon des responsables, lundi \u00e0 Paris.\n"
    )
    article = parse_article(text.encode("latin-1"), "x.txt")
    assert "gar\u00e7on" in article.body


def test_markdown_front_matter():
    text = """---
title: "Tariffs rise again"
date: 2019-05-10
authors: [Jane Roe, John Doe]
source: Example Times
url: https://example.com/a
tags: [trade, tariffs]
---

WASHINGTON -- Tariffs went up on Friday, officials said.

A second paragraph.
"""
    article = parse_article(text.encode(), "news/tariffs.md")
    assert article.id == "news/tariffs"
    assert article.title == "Tariffs rise again"
    assert article.date == "2019-05-10"
    assert article.authors == ("Jane Roe", "John Doe")
    assert article.source == "Example Times"
    assert article.url == "https://example.com/a"
    assert article.tags == ("trade", "tariffs")
    assert article.dateline == "Washington"
    assert article.paragraphs[0].startswith("WASHINGTON -- Tariffs")


def test_broken_front_matter_keeps_the_article():
    text = "---\ntitle: [unclosed\n  - : :\n---\n\nThe body survives even when the YAML does not parse, officials said.\n"
    article = parse_article(text.encode(), "broken.md")
    assert "body survives" in article.body


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"Source: post\n\nNo posts to display\n", "no article text"),
    ],
)
def test_unreadable_files_say_why(data, reason):
    with pytest.raises(UnreadableArticle) as error:
        parse_article(data, "bad.txt")
    assert reason in str(error.value)


def test_scan_skips_hidden_and_other_suffixes_and_recurses(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "deep.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "image.png").write_bytes(b"x")
    (tmp_path / "note.md").write_text("x")
    found = sorted(f.relpath for f in scan_articles(tmp_path))
    assert found == ["a/deep.txt", "note.md"]


def test_symlinks_outside_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    root = tmp_path / "articles"
    root.mkdir()
    os.symlink(outside, root / "link")
    os.symlink(root, root / "loop")
    problems = []
    assert list(scan_articles(root, problems=problems)) == []
    assert list(scan_articles(root, follow_symlinks=True, problems=problems)) == []
    assert any("outside" in reason for _path, reason in problems)


def test_citing_a_wire_service_is_not_being_published_by_it():
    from reader.ingest.parse import parse_text

    cited = (
        "Officials met on Monday, Reuters reported.\n\nA U.S. official told Reuters the talks went well.\n\nMore talks follow."
    )
    assert parse_text(cited).source == ""
    dateline = "BEIJING (Reuters) - Officials met on Monday, people familiar said.\n\nMore talks follow next week."
    assert parse_text(dateline).source == "Reuters"


# -- dates that are not ISO -------------------------------------------------------------------

_BODY = "\n\nWASHINGTON -- Tariffs went up on Friday, officials said.\n\nA second paragraph, officials said.\n"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 28, 2019", "2019-03-28"),
        ("Mar 28, 2019", "2019-03-28"),
        ("Mar. 28, 2019", "2019-03-28"),
        ("28 March 2019", "2019-03-28"),
        ("Thursday, March 28, 2019", "2019-03-28"),
        ("28/03/2019", "2019-03-28"),  # day first: 28 cannot be a month
        ("03/28/2019", "2019-03-28"),  # month first
        ("28.03.2019", "2019-03-28"),
        ("2019/03/28", "2019-03-28"),
        ("2019-03-28T10:30:00Z", "2019-03-28"),
        ("04/03/2019", ""),  # 4 March or April 3: not guessed
        ("March 32, 2019", ""),
        ("2019-02-30", ""),
        ("31/02/2019", ""),
        ("13/13/2019", ""),
    ],
)
def test_front_matter_dates_that_are_not_iso(written, iso):
    article = parse_article(f'---\ntitle: Tariffs\ndate: "{written}"\n---\n{_BODY}'.encode(), "x.md")
    assert article.date == iso
    assert article.paragraphs[0].startswith("WASHINGTON -- Tariffs")


@pytest.mark.parametrize(
    ("line", "iso", "authors"),
    [
        ("date 2019-03-28 By Lingling Wei", "2019-03-28", ("Lingling Wei",)),
        ("date March 28, 2019 By Lingling Wei", "2019-03-28", ("Lingling Wei",)),
        ("Published: 28/03/2019", "2019-03-28", ()),
        ("By Jane Roe | March 28, 2019", "2019-03-28", ("Jane Roe",)),
        ("By Jane Roe, March 28, 2019", "2019-03-28", ("Jane Roe",)),
        ("March 28, 2019", "2019-03-28", ()),
        ("Thursday, 28 March 2019", "2019-03-28", ()),
    ],
)
def test_byline_dates_that_are_not_iso(line, iso, authors):
    article = parse_article(f"Tariffs rise again\n\n{line}{_BODY}".encode(), "x.txt")
    assert (article.date, article.authors) == (iso, authors)
    assert article.title == "Tariffs rise again"
    assert article.paragraphs[0].startswith("WASHINGTON -- Tariffs")  # the byline is not body text


def test_an_ambiguous_byline_date_is_not_guessed_and_not_lost():
    article = parse_article(f"Tariffs rise again\n\nPublished 04/03/2019{_BODY}".encode(), "x.txt")
    assert article.date == ""
    assert article.paragraphs[0] == "Published 04/03/2019"
