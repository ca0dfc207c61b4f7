"""Patches into Whoosh's internals change speed, never what is written or found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader import Library

from .paths import SAMPLES

QUERIES = ("china", "trade talks", '"cloud computing"', "=officials", "said", "beij*")


def _answers(tmp_path: Path, name: str) -> tuple[dict[str, list[tuple[str, float]]], bytes]:
    """The samples indexed into ``name``: each query's ids and scores, and the segment bytes."""
    articles = tmp_path / "articles"
    if not articles.exists():
        shutil.copytree(SAMPLES, articles)
    with Library(articles, tmp_path / name) as library:
        library.sync(entities=False)
        answers = {q: [(hit.id, round(hit.score, 9)) for hit in library.search(q, limit=20)] for q in QUERIES}
    segments = b"".join(p.read_bytes() for p in sorted((tmp_path / name / "search").glob("*.seg")))
    return answers, segments


def test_flush_lengths_from_memory_writes_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.writing import SegmentWriter

    from reader.index import whoosh_patches

    patched_answers, patched_bytes = _answers(tmp_path, "patched")
    assert getattr(SegmentWriter._flush_segment, "_reader_patched", False)

    monkeypatch.setattr(SegmentWriter, "_flush_segment", _whoosh_flush)
    monkeypatch.setattr(whoosh_patches, "fast_flush_lengths", lambda: None)
    plain_answers, plain_bytes = _answers(tmp_path, "plain")

    assert patched_answers == plain_answers
    assert any(patched_answers.values())
    assert abs(len(patched_bytes) - len(plain_bytes)) < 64  # file names and timestamps differ, postings do not


def _whoosh_flush(self):  # type: ignore[no-untyped-def]
    """Whoosh 2.7's own SegmentWriter._flush_segment."""
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, pdr, self.pool.iter_postings())
    self.fieldwriter.close()
    if pdr:
        pdr.close()
