"""Sync faults from issue 13: shared ids, changes a stat cannot see, an articles folder that turns up empty."""

from __future__ import annotations

import os
import shutil

import pytest

from reader.cli import main
from reader.errors import ArticlesFolderEmpty

STORY = "Airships return\n\nBERLIN -- Zeppelins are back in fashion, officials said on Monday.\n"
RIVAL = "Balloons return\n\nPARIS -- Hot-air balloons are back, officials said on Tuesday.\n"


def _indexed_paths(library) -> list[str]:
    return sorted(summary.path for summary in library.articles())


def test_a_file_skipped_for_its_id_comes_back_when_its_rival_leaves(library, corpus):
    (corpus / "story.md").write_text(STORY)
    (corpus / "story.txt").write_text(RIVAL)
    report = library.sync(entities=False)
    kept, skipped = ("story.md", "story.txt") if "story.md" in report.added else ("story.txt", "story.md")
    assert [s.path for s in report.skipped] == [skipped]
    assert [a.id for a in library.articles()].count("story") == 1

    library.sync(entities=False)  # unchanged: still skipped, still said
    (corpus / kept).unlink()
    report = library.sync(entities=False)
    assert report.removed == [kept] and report.added == [skipped]
    assert not report.skipped
    assert "story" in [a.id for a in library.articles()]
    assert library.article("story").path == skipped
    assert library.search("Zeppelins" if skipped == "story.md" else "balloons").total == 1
    assert library.pending() == 0 and not library.sync(entities=False).skipped


def test_a_skipped_rival_renamed_away_also_frees_the_id(library, corpus):
    (corpus / "story.md").write_text(STORY)
    (corpus / "story.txt").write_text(RIVAL)
    report = library.sync(entities=False)
    kept = report.added[0]
    skipped = "story.txt" if kept == "story.md" else "story.md"
    os.rename(corpus / kept, corpus / f"renamed{os.path.splitext(kept)[1]}")
    report = library.sync(entities=False)
    assert skipped in report.added and not report.skipped
    assert sorted(a.id for a in library.articles() if "story" in a.id or "renamed" in a.id) == ["renamed", "story"]


def test_verify_finds_a_change_that_kept_size_and_mtime(library, corpus):
    path = next(corpus.glob("003_*.txt"))
    before = path.stat()
    text = path.read_text()
    assert "Raimondo" in text
    path.write_text(text.replace("Raimondo", "Zaimondo"))
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    assert not library.sync(entities=False).touched  # the stat alone cannot see it
    assert library.search("Zaimondo").total == 0

    report = library.sync(entities=False, verify=True)
    assert report.changed == [path.name]
    assert report.unchanged == 4
    assert library.search("Zaimondo").total == 1 and library.search("Raimondo").total == 0


def test_cli_index_verify(library, corpus, capsys):
    path = next(corpus.glob("001_*.txt"))
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[-2:-1] = b"!" if data[-2:-1] != b"!" else b"?"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    args = ["--articles", str(corpus), "--index", str(library.index_dir), "index", "--no-entities"]
    library.close()
    assert main(args) == 0
    assert "changed" not in capsys.readouterr().err
    assert main([*args, "--verify"]) == 0
    assert "1 changed" in capsys.readouterr().err


def test_an_articles_folder_that_turns_up_empty_does_not_empty_the_index(library, corpus, capsys):
    library.bookmarks.add_for_article(library.article(library.articles()[0].id), "the")
    for path in list(corpus.iterdir()):  # an unmounted disk: the mount point is an empty folder
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    for rebuild in (False, True):
        with pytest.raises(ArticlesFolderEmpty) as refused:
            library.sync(entities=False, rebuild=rebuild)
        assert "--allow-empty" in str(refused.value) and "\n" not in str(refused.value)
    assert len(library) == 5
    assert not [b for b in library.bookmarks.list() if b.orphaned]

    args = ["--articles", str(corpus), "--index", str(library.index_dir), "index", "--no-entities"]
    library.close()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no articles" in err and "--allow-empty" in err
    assert main([*args, "--allow-empty"]) == 0
    assert "5 removed" in capsys.readouterr().err


def test_an_empty_articles_folder_and_an_empty_index_are_fine(tmp_path):
    from reader import Library

    (tmp_path / "articles").mkdir()
    with Library(tmp_path / "articles", tmp_path / "index") as library:
        assert not library.sync(entities=False).touched
        assert len(library) == 0
