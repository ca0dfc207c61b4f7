"""Merging the search index's segments after a sync or when idle (index/merging.py)."""

from __future__ import annotations

import subprocess
import sys

from reader import Library
from reader.cli import main
from reader.index import merging, sync


def _many_segments(library: Library) -> int:
    sync.sync_library(library.store, library.articles_dir, entities=False, batch_size=1, rebuild=True)
    library.store.drop_handles()
    return library.segments()


def _results(library: Library) -> dict[str, list[str]]:
    return {q: [hit.id for hit in library.search(q, limit=20)] for q in ("china", "trade talks", '="cloud computing"', "said")}


def test_merge_leaves_three_segments_and_the_same_answers(library: Library) -> None:
    assert _many_segments(library) == 5
    before = _results(library)

    assert library.merge_segments() == (5, 3)

    assert library.segments() == 3
    assert library.store.whoosh_index().doc_count() == library.store.catalog.count() == 5
    assert _results(library) == before
    assert library.merge_segments() == (3, 3)  # nothing more to do


def test_the_merge_process_the_app_starts(library: Library) -> None:
    _many_segments(library)
    library.store.drop_handles()
    done = subprocess.run(library.merge_command(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert library.segments() == merging.MERGED_SEGMENTS
    assert len(library.search("china")) > 0


def test_reader_index_merges_after_the_sync(library: Library, capsys) -> None:
    _many_segments(library)
    library.close()
    where = ["--articles", str(library.articles_dir), "--index", str(library.index_dir)]
    assert main([*where, "index", "--no-entities"]) == 0
    assert "merged 5 index segments into 3" in capsys.readouterr().err
    with Library(library.articles_dir, library.index_dir) as again:
        assert again.segments() == 3


def test_typing_stops_a_running_merge() -> None:
    from reader.app.controllers.startup import Startup

    class Screen:
        is_attached = True

        def set_timer(self, *_args: object) -> None:
            pass

    startup = Startup.__new__(Startup)
    startup.screen = Screen()  # type: ignore[assignment]
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    startup._merge = sleeper
    startup.user_typing()
    assert sleeper.wait(timeout=30) != 0
    assert startup._merge is None
