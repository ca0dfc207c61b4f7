"""Folder counts agree with folder: searches."""

from __future__ import annotations

from reader.folders import folder_counts, folder_query


def test_counts_nested_and_top_level():
    ids = ["a", "reuters/x", "reuters/y", "feeds/wire/z", "feeds/wire/deep/w", "My Notes/n"]
    assert folder_counts(ids) == [("feeds", 2), ("feeds/wire", 2), ("My Notes", 1), ("reuters", 2)]
    assert folder_counts(ids, depth=1) == [("feeds", 2), ("My Notes", 1), ("reuters", 2)]


def test_counts_match_search(library, corpus):
    first = sorted(corpus.glob("*.txt"))
    for folder, source in (("reuters", first[0]), ("reuters", first[1]), ("My Notes", first[2])):
        (corpus / folder).mkdir(exist_ok=True)
        (corpus / folder / source.name).write_bytes(source.read_bytes())
    library.sync(entities=False)
    for folder, count in folder_counts(summary.id for summary in library.articles()):
        assert library.search(folder_query(folder), limit=100).total == count
