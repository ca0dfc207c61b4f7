"""One tag rule everywhere: what the app shows (`#tech-transfer`) is what `--tag` finds."""

from __future__ import annotations

from reader.bookmarks.record import clean_tags, tag_key, tag_label
from reader.cli import main


def test_one_key_for_case_spaces_and_hyphens():
    assert tag_key("Tech transfer") == tag_key("tech-transfer") == tag_key("#tech  transfer") == "tech-transfer"
    assert tag_label("tech transfer") == "#tech-transfer"
    assert clean_tags(["tech transfer", "Tech-Transfer", "china"]) == ("tech transfer", "china")


def test_tag_typed_with_a_space_is_found_by_its_shown_form(corpus, tmp_path, capsys):
    paths = ["--articles", str(corpus), "--index", str(tmp_path / "idx")]
    assert main([*paths, "index", "--no-entities"]) == 0
    quote = "Lighthizer"
    code = main([*paths, "bookmarks", "add", "004_ed467b3701b791d6", "--quote", quote, "--tag", "tech transfer"])
    assert code == 0
    capsys.readouterr()
    assert main([*paths, "bookmarks", "list", "--tag", "tech-transfer", "--json"]) == 0
    assert '"tech transfer"' in capsys.readouterr().out
    assert main([*paths, "bookmarks", "list", "--tag", "#Tech Transfer"]) == 0
    assert main([*paths, "bookmarks", "list", "--tag", "tech"]) == 1  # a key, not a prefix


def test_markdown_export_cites_authors_and_link(corpus, tmp_path, capsys):
    paths = ["--articles", str(corpus), "--index", str(tmp_path / "idx")]
    assert main([*paths, "index", "--no-entities"]) == 0
    assert main([*paths, "bookmarks", "add", "003_6ecca0d802200a51", "--quote", "Raimondo", "--tag", "a b"]) == 0
    capsys.readouterr()
    assert main([*paths, "bookmarks", "export"]) == 0
    out = capsys.readouterr().out
    assert "#a-b" in out
    assert "`003_6ecca0d802200a51.txt`" in out  # no URL in the file: its path
