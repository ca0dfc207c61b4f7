"""Top hits from posting blocks (index/block_rank.py): Whoosh's hits, scores and order, reading less.

The index is big enough for common words to have several posting blocks per
segment (128 postings a block), so whole blocks are left unread: one segment
of 900 articles (merged), then a sync's small ones, deleted and changed articles.
"""

from __future__ import annotations

import random

import pytest

COMMON = ["stock", "market", "bank", "rates", "york", "reuters", "while", "investors"]
RARE = [f"r{n}" for n in range(40)]


def _article(rng: random.Random) -> str:
    title = " ".join(rng.choice(RARE) for _ in range(rng.randint(2, 6)))
    if rng.random() < 0.05:  # as in news, the few articles about the words have them in the title
        title += " " + " ".join(rng.sample(COMMON, 3))
    words = []
    for _ in range(rng.randint(20, 220)):
        roll = rng.random()
        if roll < 0.08:
            words += ["new", "york", "reuters"] if rng.random() < 0.7 else ["york", "times"]
        elif roll < 0.5:
            words.append(rng.choice(COMMON[: rng.randint(1, len(COMMON))]))
        else:
            words.append(rng.choice(RARE))
    return f"{title}\n\n{' '.join(words)}.\n"


@pytest.fixture(scope="module")
def blocky(tmp_path_factory):
    from reader import Library
    from reader.index.merging import merge_segments

    folder = tmp_path_factory.mktemp("blocky")
    corpus = folder / "articles"
    corpus.mkdir()
    rng = random.Random(17)
    for n in range(900):
        (corpus / f"a{n:04d}.txt").write_text(_article(rng))
    lib = Library(corpus, folder / "index")
    lib.sync(entities=False)
    merge_segments(lib.store, target=1)
    for n in range(900, 1300):
        (corpus / f"a{n:04d}.txt").write_text(_article(rng))
    for n in range(0, 900, 13):
        (corpus / f"a{n:04d}.txt").unlink()
    for n in range(5, 900, 29):
        if (corpus / f"a{n:04d}.txt").exists():
            (corpus / f"a{n:04d}.txt").write_text(_article(rng))
    lib.sync(entities=False)
    yield lib
    lib.close()


def _parsed(lib, text: str):
    from reader.index.budget import Budget
    from reader.index.searching import _expanded, _parse

    return _expanded(lib.store, text, _parse(lib.store, text), None, Budget())


QUERIES = ["stock market", "bank rates while", "stock", "while", "title:stock", '"york reuters"', '"while investors"',
           '"new york reuters"', "stock OR r3", "inv*", '"york reuters" bank', "market r1", "r1 r2", "stock^3 market"]


@pytest.mark.parametrize("query", QUERIES)
def test_block_ranked_hits_are_whooshs(blocky, query, monkeypatch):
    """Same articles, same scores to the last bit, same order (ties: the lower document number first) as
    Whoosh's ranking of every match."""
    from reader.index import postings_rank

    monkeypatch.setattr(postings_rank, "BLOCKS_FROM", 0)
    parsed = _parsed(blocky, query)
    searcher = blocky.store.searcher()
    assert searcher.reader().has_deletions()
    everything = sum(1 for _ in searcher.docs_for_query(parsed))
    every = searcher.search(parsed, limit=None)  # Whoosh's top-k skipping can miss a phrase's best articles
    for limit in (1, 10, 50):
        theirs = every[:limit]
        for count in (False, True):
            ours = postings_rank.top_hits(searcher, parsed, limit, count)
            assert ours is not None, "made of words, phrases and prefixes: ranked from the posting lists"
            hits, total, exact = ours
            assert [article for article, _score in hits] == [hit["id"] for hit in theirs]
            assert [score for _article, score in hits] == [hit.score for hit in theirs]
            assert exact or not count
            assert total == everything if exact else len(hits) <= total <= everything, (total, everything, exact)


def test_blocks_that_cannot_reach_the_top_are_not_read(blocky, monkeypatch):
    from reader.index import block_rank, postings_blocks, postings_rank

    monkeypatch.setattr(postings_rank, "BLOCKS_FROM", 0)
    monkeypatch.setattr(block_rank, "FIRST_BATCH", 1)  # the article of the best bound: the score to reach
    read = []  # blocks read of terms of more than two blocks (the others are read whole)
    postings = postings_blocks.TermBlocks.postings

    def counted(self, *args):
        if len(self) > 2:
            read.append(args[0])
        return postings(self, *args)

    monkeypatch.setattr(postings_blocks.TermBlocks, "postings", counted)
    parsed = _parsed(blocky, "stock market")
    searcher = blocky.store.searcher()
    assert max(len(block_rank.term_blocks(leaf, "body", b"stock")) for leaf, _o in searcher.reader().leaf_readers()) > 4
    _hits, _total, exact = postings_rank.top_hits(searcher, parsed, 1, True)
    assert exact
    everything = len(read)
    read.clear()
    _hits, _total, exact = postings_rank.top_hits(searcher, parsed, 1, False)
    assert not exact and len(read) < everything / 2


def test_blocks_are_read_as_whoosh_reads_them(blocky):
    """Every term's postings, read from the block bytes, are Whoosh's matcher's (ids and weights)."""
    from reader.index.postings_blocks import TermBlocks
    from reader.index.whoosh_patches import leaf_postings

    checked = 0
    for leaf, _offset in blocky.store.searcher().reader().leaf_readers():
        for field in ("title", "body"):
            for tbytes in leaf.lexicon(field):
                ids, weights = TermBlocks(leaf, field, tbytes).all_postings()
                theirs = leaf_postings(leaf, field, tbytes)
                assert ids.tolist() == list(theirs) and weights.tolist() == list(theirs.values())
                checked += 1
    assert checked > 50


def test_a_word_is_counted_without_reading_its_common_blocks(blocky, monkeypatch):
    from reader.index import postings_rank

    monkeypatch.setattr(postings_rank, "BLOCKS_FROM", 0)
    for query in ("while", "stock OR title:r3"):
        parsed = _parsed(blocky, query)
        searcher = blocky.store.searcher()
        _hits, total, exact = postings_rank.top_hits(searcher, parsed, 5, False)
        assert exact and total == sum(1 for _ in searcher.docs_for_query(parsed))
