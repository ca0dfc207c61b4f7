"""Text that used to lose words or fields on the way in (issue 13): separators
that glued words, one bad front-matter value that dropped all of it, and
UTF-8 lines turned to mojibake by a cp1252 neighbour."""

from __future__ import annotations

import pytest

from reader.cli import main
from reader.ingest import parse_article
from reader.ingest.decode import decode_bytes
from reader.library import Library

LEDE = "GENEVA -- Trade negotiators met on Monday, officials said, and talks went on for hours.\n"


@pytest.mark.parametrize("separator", ["\x0c", "\x0b", "\x85", "\u2028"], ids=["form-feed", "vertical-tab", "nel", "u2028"])
def test_line_and_page_separators_keep_words_apart(separator):
    text = f"Talks resume\n\n{LEDE}They met{separator}negotiators in{separator}Geneva.\n"
    article = parse_article(text.encode("utf-8"), "story.txt")
    assert "met negotiators in Geneva." in article.body
    assert "metnegotiators" not in article.body


def test_a_soft_hyphen_does_not_split_a_word(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "story.txt").write_text(f"Talks resume\n\n{LEDE}The nego\u00adtiators left.\n", encoding="utf-8")
    with Library(articles, tmp_path / "index") as library:
        library.sync(entities=False)
        assert "The negotiators left." in library.article("story").body
        assert library.search('"negotiators left"').total == 1


def test_a_page_break_between_paragraphs_keeps_them_apart():
    article = parse_article(f"Talks resume\n\n{LEDE}\x0c\nNext page starts here.\n".encode(), "story.txt")
    assert article.paragraphs[-1] == "Next page starts here."


def test_an_impossible_date_loses_only_the_date():
    text = f"---\ntitle: Kept title\ndate: 2019-02-30\nauthors: [Ann Lee]\nsource: Reuters\ntags: [trade]\n---\n{LEDE}"
    notes: list[str] = []
    article = parse_article(text.encode(), "story.md", notes)
    assert (article.title, article.authors, article.source, article.tags) == ("Kept title", ("Ann Lee",), "Reuters", ("trade",))
    assert article.date == ""
    assert notes == ["front matter date '2019-02-30' is not a real date (ignored)"]


def test_a_date_in_another_shape_is_named_too():
    notes: list[str] = []
    article = parse_article(f"---\ntitle: Kept\ndate: 30/02/2019\n---\n{LEDE}".encode(), "story.md", notes)
    assert article.title == "Kept" and article.date == ""
    assert notes == ["front matter date '30/02/2019' is not a date reader can read, use YYYY-MM-DD (ignored)"]


def test_a_valid_date_is_still_read():
    article = parse_article(f"---\ntitle: T\ndate: 2019-02-28\n---\n{LEDE}".encode(), "story.md")
    assert article.date == "2019-02-28"


def test_one_field_that_is_not_yaml_loses_only_itself():
    text = f'---\ntitle: Kept title\nauthors: "unclosed\nsource: Reuters\nurl: https://example.com/a\n---\n{LEDE}'
    notes: list[str] = []
    article = parse_article(text.encode(), "story.md", notes)
    assert (article.title, article.source, article.url) == ("Kept title", "Reuters", "https://example.com/a")
    assert notes == ["front matter field 'authors' is not valid YAML (ignored)"]


def test_mixed_utf8_and_cp1252_lines_are_both_read():
    data = (
        "The minister\u2019s view \u2013 \u201cfirm\u201d.\n".encode()
        + "Caf\u00e9 na\u00efve \u201cquoted\u201d text from Word.\n".encode("cp1252")
        + "Mixed \u00e9l\u00e8ve ".encode("cp1252")
        + "and \u201cthis\u201d on one line\n".encode()
    )
    text, _encoding = decode_bytes(data)
    assert text == (
        "The minister\u2019s view \u2013 \u201cfirm\u201d.\n"
        "Caf\u00e9 na\u00efve \u201cquoted\u201d text from Word.\n"
        "Mixed \u00e9l\u00e8ve and \u201cthis\u201d on one line\n"
    )


def test_plain_cp1252_and_latin1_are_unchanged():
    text = "Caf\u00e9 na\u00efve \u201cquoted\u201d text \u2013 from Word, with enough words to tell.\n"
    assert decode_bytes(text.encode("cp1252"))[0] == text
    latin = "Caf\u00e9 soci\u00e9t\u00e9 \u00e0 Gen\u00e8ve, na\u00efve et s\u00fbr.\n"
    assert decode_bytes(latin.encode("latin-1"))[0] == latin


def test_sync_and_reader_index_say_which_field_was_ignored(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "story.md").write_text(f"---\ntitle: Kept title\ndate: 2019-02-30\n---\n{LEDE}", encoding="utf-8")
    with Library(articles, tmp_path / "index") as library:
        report = library.sync(entities=False)
        assert library.article("story").title == "Kept title"
    assert report.warnings == ["story.md: front matter date '2019-02-30' is not a real date (ignored)"]
    (articles / "story.md").write_text(f"---\ntitle: Kept title\ndate: 2019-02-31\n---\n{LEDE}", encoding="utf-8")
    assert main(["--articles", str(articles), "--index", str(tmp_path / "index"), "index", "--no-entities"]) == 0
    assert "warning: story.md: front matter date '2019-02-31' is not a real date (ignored)" in capsys.readouterr().err
