"""Folders in the articles folder are collections: ``folder:NAME`` in searches."""

from __future__ import annotations

import pytest

from reader.library import QueryError


@pytest.fixture
def foldered(library, corpus):
    first = sorted(corpus.glob("*.txt"))
    for folder, source in (("reuters", first[0]), ("feeds/wire", first[1]), ("Reuters Extra", first[2])):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "copy.txt").write_bytes(source.read_bytes())
    library.sync(entities=False)
    return library


def ids(library, query):
    return sorted(hit.id for hit in library.search(query, limit=50))


def test_folder_alone_and_with_words(foldered):
    assert ids(foldered, "folder:reuters") == ["reuters/copy"]
    assert ids(foldered, "folder:feeds/wire") == ["feeds/wire/copy"]
    assert ids(foldered, "folder:feeds") == ["feeds/wire/copy"]  # nested folders are inside
    assert ids(foldered, 'folder:"Reuters Extra"') == ["Reuters Extra/copy"]
    everywhere = ids(foldered, "china")
    assert len(everywhere) > 2
    assert ids(foldered, "china folder:reuters") == [i for i in everywhere if i.startswith("reuters/")]
    assert ids(foldered, "folder:reuters folder:feeds") == ["feeds/wire/copy", "reuters/copy"]
    assert ids(foldered, "folder:nowhere") == []


def test_folder_without_a_name_is_a_query_error(foldered):
    with pytest.raises(QueryError, match="folder name"):
        foldered.search('folder:""')
