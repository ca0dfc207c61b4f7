"""The articles-folder watcher: new files are noticed, debounced, and only article files count."""

from __future__ import annotations

import threading
import time

from reader.watch import ArticlesWatcher, is_article_change


def test_article_filter():
    assert is_article_change("/a/articles/site/2024-01-01-story.md")
    assert is_article_change("/a/articles/saved.html.gz")
    assert is_article_change("/a/articles/newfolder")
    assert not is_article_change("/a/articles/site/.story.md.1234.tmp")
    assert not is_article_change("/a/articles/.git/objects")
    assert not is_article_change("/a/articles/picture.jpg")


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_burst_of_files_is_one_callback(tmp_path):
    calls: list[set[str]] = []
    seen = threading.Event()

    def on_change(paths):
        calls.append(paths)
        seen.set()

    watcher = ArticlesWatcher(tmp_path, on_change, debounce_ms=300).start()
    try:
        probe = 0  # the watch is ready once it reports a file: write probes until one is seen
        while not seen.is_set() and probe < 200:
            (tmp_path / f"probe{probe}.txt").write_text("probe")
            probe += 1
            seen.wait(0.1)
        assert seen.is_set()
        (tmp_path / "ignored.jpg").write_bytes(b"x")
        for n in range(5):
            (tmp_path / f"story{n}.txt").write_text(f"Story {n}\n\nText of the story number {n}.\n")
        story_calls = lambda: [c for c in calls if any("story" in p for p in c)]  # noqa: E731
        assert wait_for(lambda: sum(1 for c in story_calls() for p in c if "story" in p) >= 5)
        changed = {p for p in set().union(*calls) if "probe" not in p}
        assert {p.rsplit("/", 1)[-1] for p in changed} >= {f"story{n}.txt" for n in range(5)}
        assert not any(p.endswith(".jpg") for p in changed)
        assert len(story_calls()) <= 2  # debounced: one sync for the burst (two if it straddled a window)
    finally:
        watcher.stop()
    assert not watcher.running
