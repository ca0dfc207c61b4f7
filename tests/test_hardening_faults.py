"""Faults: `reader index` killed mid-write, locks, damaged indexes, full or read-only disks.

Each test ends the same way: the index opens, searches work, a following
`reader index` completes, the result equals a clean build of the same
articles, and a ``bookmarks.sqlite`` in the index folder is byte-for-byte
untouched.

Killed syncs run in child processes of a small "zygote" (this file run as
``python -m tests.test_hardening_faults --zygote``): it imports reader once
and forks one `reader index` per trial, so a trial costs milliseconds
rather than an interpreter start. Half the kills come from the test after a
random delay, half from inside the child at a random write (a Whoosh file
write, rename or delete, a catalog commit, the reset's rename), so they
land mid-write. ``READER_KILL_TRIALS`` sets the count of the soak variant.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader import Library
from reader.cli import main
from reader.library import IndexBusy, IndexCorrupt, IndexProblem
from tests.badfiles import article_text

REPO = Path(__file__).resolve().parent.parent
SOAK_TRIALS = int(os.environ.get("READER_KILL_TRIALS", "200"))


# -- helpers: corpora, bookmarks, state snapshots ----------------------------------------------


class Corpus:
    """Generated articles, each with a unique word; mutations keep the words unique."""

    def __init__(self, root: Path, count: int, seed: int = 0) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.serial = 0
        self.words: dict[str, str] = {}  # relpath -> its current unique word
        self.keep: set[str] = set()  # bookmarked: never changed or deleted (that would re-anchor them)
        root.mkdir(parents=True, exist_ok=True)
        for _ in range(count):
            self.add()

    def _word(self) -> str:
        self.serial += 1
        letters = "bcdfghjklmnpqrstvwxz"
        number, out = self.serial * 7919 + 13, []
        for _ in range(5):
            number, digit = divmod(number, len(letters))
            out.append(letters[digit])
        return "qzv" + "".join(out)

    def _write(self, relpath: str) -> None:
        word = self._word()
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(f"Story {relpath}", word, seed=self.serial), encoding="utf-8")
        self.words[relpath] = word

    def add(self) -> str:
        relpath = f"batch{self.serial % 7}/a{self.serial:05d}.txt"
        self._write(relpath)
        return relpath

    def change(self) -> None:
        self._write(self.rng.choice(sorted(set(self.words) - self.keep)))

    def delete(self) -> None:
        relpath = self.rng.choice(sorted(set(self.words) - self.keep))
        (self.root / relpath).unlink()
        del self.words[relpath]

    def mutate(self, adds: int = 4, changes: int = 4, deletes: int = 3) -> None:
        for _ in range(adds):
            self.add()
        for _ in range(changes):
            self.change()
        for _ in range(deletes):
            self.delete()


def content_hashes(root: Path) -> dict[str, str]:
    """relpath -> the content hash the index would record."""
    out = {}
    for path in sorted(root.rglob("*.txt")):
        out[path.relative_to(root).as_posix()] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return out


def catalog_rows(index: Path) -> dict[str, tuple]:
    """path -> the whole catalog row, read without writing (the index may be mid-sync)."""
    with sqlite3.connect(f"file:{index / 'catalog.sqlite'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT * FROM articles ORDER BY path").fetchall()
        columns = [c[1] for c in db.execute("PRAGMA table_info(articles)")]
    path_at = columns.index("path")
    return {row[path_at]: row for row in rows}


def state(index: Path) -> dict:
    """Everything that makes two indexes equal: catalog tables, meta, Whoosh documents."""

    with sqlite3.connect(f"file:{index / 'catalog.sqlite'}?mode=ro", uri=True) as db:
        tables = {
            name: sorted(db.execute(f"SELECT * FROM {name}").fetchall())
            for name in ("articles", "skipped", "entity_counts", "meta")
        }
    return {"tables": tables, "documents": sorted(search_ids(index))}


def search_ids(index: Path) -> list[str]:
    """The article ids in the Whoosh index, read without the library (none while there is none:
    a rebuild killed between its reset and its first commit)."""
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(index / "search"))
    if not (index / "search").is_dir() or not storage.index_exists("articles"):
        return []
    with storage.open_index("articles").reader() as reader:
        return [fields["id"] for fields in reader.all_stored_fields()]


def assert_equals_clean_build(articles: Path, index: Path, tmp_path: Path) -> None:
    clean = tmp_path / f"clean-{time.monotonic_ns()}"
    with Library(articles, clean) as library:
        library.sync(entities=False)
    got, want = state(index), state(clean)
    assert got["documents"] == want["documents"], "the search index differs from a clean build"
    assert got["tables"] == want["tables"], "the catalog differs from a clean build"
    assert len(set(got["documents"])) == len(got["documents"]), "a document is in the search index twice"
    leftovers = [p.name for p in index.iterdir() if p.name.startswith("search.old-")]
    leftovers += [p.name for p in (index / "search").iterdir() if ".toc." in p.name]
    assert not leftovers, leftovers


def make_bookmarks(index: Path, corpus: Corpus) -> bytes:
    """A real bookmark store with one bookmark, closed; returns its bytes.

    The bookmarked article is then left alone by the corpus's mutations: a
    sync re-anchors the bookmarks of changed articles and marks those of
    deleted ones orphaned, which rightly writes to the store.
    """
    from reader.bookmarks import BookmarkStore, store_path

    with Library(corpus.root, index) as library:
        first = library.articles()[0]
        article = library.article(first.id)
    corpus.keep.add(first.path)
    with BookmarkStore(store_path(index)) as bookmarks:
        bookmarks.add_for_article(article, article.paragraphs[0][:30], note="keep me")
    return store_path(index).read_bytes()


def bookmarks_bytes(index: Path) -> bytes:
    from reader.bookmarks import store_path

    return store_path(index).read_bytes()


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {lines!r}"
    assert "Traceback" not in text
    return lines[0]


# -- the zygote ------------------------------------------------------------------------------

KILL_POINTS = ("segment-write", "toc-rename", "file-delete", "catalog-commit", "reset-rename")


def _install_kill_points(kill_at: dict | None, counts: dict[str, int]) -> None:
    """Count write events; SIGKILL this process at the k-th event of one kind."""
    import whoosh.filedb.filestore as filestore
    import whoosh.filedb.structfile as structfile

    import reader.index.catalog as catalog

    def event(kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        if kill_at and kill_at["point"] == kind and counts[kind] == kill_at["k"]:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(owner, name, kind):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            event(kind)
            return original(*args, **kwargs)

        setattr(owner, name, wrapper)

    wrap(structfile.StructFile, "write", "segment-write")
    wrap(filestore.FileStorage, "rename_file", "toc-rename")
    wrap(filestore.FileStorage, "delete_file", "file-delete")
    wrap(catalog._Transaction, "__exit__", "catalog-commit")

    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if "search.old-" in os.fspath(dst):
            event("reset-rename")
        return real_replace(src, dst, *args, **kwargs)

    os.replace = replace  # patched for this child only (the index folder renames through os.replace)


def _zygote() -> None:
    """Read one JSON command a line; fork a `reader index` child for each; report pid and end."""
    import whoosh.filedb.filestore  # noqa: F401 - imported once, before forking
    import whoosh.writing  # noqa: F401

    import reader.cli
    import reader.index.sync

    out = sys.stdout
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1):
                    os.dup2(null, fd)
                log = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(log, 2)
                sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
                reader.index.sync.BATCH_SIZE = command["batch"]
                reader.index.sync.BULK_MIN = command.get("bulk_min") or reader.index.sync.BULK_MIN
                counts: dict[str, int] = {}
                _install_kill_points(command.get("kill_at"), counts)
                code = reader.cli.main(command["argv"])
                if command.get("counts"):
                    Path(command["counts"]).write_text(json.dumps(counts))
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(code)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        out.write(json.dumps({"signaled": os.WIFSIGNALED(status), "code": os.waitstatus_to_exitcode(status)}) + "\n")
        out.flush()


class Zygote:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.test_hardening_faults", "--zygote"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.runs = 0
        self.bulk_min = 0  # > 0: batches this big go through the bulk segment writer (0: as sync.py says)

    def run(self, argv, *, batch: int, kill_after: float | None = None, kill_at: dict | None = None, counts: bool = False):
        """Run `reader ARGV` in a child; returns (signaled, exit code, stderr, counts)."""
        self.runs += 1
        log = self.tmp_path / f"child-{self.runs}.log"
        counts_file = self.tmp_path / f"counts-{self.runs}.json" if counts else None
        command = {"argv": argv, "batch": batch, "kill_at": kill_at, "log": str(log), "counts": counts_file and str(counts_file)}
        command["bulk_min"] = self.bulk_min
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        pid = json.loads(self.process.stdout.readline())["pid"]
        if kill_after is not None:
            time.sleep(kill_after)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        done = json.loads(self.process.stdout.readline())
        got = json.loads(counts_file.read_text()) if counts_file and counts_file.exists() else {}
        return done["signaled"], done["code"], log.read_text(errors="replace"), got

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


# -- killed with SIGKILL -------------------------------------------------------------------------


def _check_after_kill(articles: Path, index: Path, before: dict[str, tuple], bookmarks: bytes) -> None:
    """The index opens in the old or the new state of each article, and searches work."""
    current = content_hashes(articles)
    with Library(articles, index) as library:
        assert library.index_problem() == "", library.index_problem()
        rows = catalog_rows(index)
        hash_at = 4  # id, path, size, mtime_ns, content_hash, ...
        for path, row in rows.items():
            old = before.get(path)
            allowed = {old[hash_at] if old else None, current.get(path)}
            assert row[hash_at] in allowed, f"{path}: neither its old nor its new version"
            assert library.article(row[0]).paragraphs, f"{path}: unreadable catalog row"
        searchable = set(search_ids(index))
        for path, new_hash in current.items():
            row = rows.get(path)
            if row is not None and row[hash_at] == new_hash:
                # In the catalog at its new version: Whoosh committed it first, so it is there,
                # and if this sync was the one writing it, search finds it by its new word.
                assert row[0] in searchable, f"{path}: in the catalog, not in the search index"
                old = before.get(path)
                if old is None or old[hash_at] != new_hash:
                    word = _word_in(articles / path)
                    assert [hit.path for hit in library.search(word)] == [path]
        results = library.search("officials OR negotiators", limit=1000)
        assert {hit.path for hit in results} <= set(rows)
        library.search("trade talks")
        library.search("tari*")
    assert bookmarks_bytes(index) == bookmarks


def _word_in(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return next(word.strip(".,") for word in text.split() if word.startswith("qzv"))


def _kill_trials(
    tmp_path: Path, trials: int, *, articles_count: int = 200, batch: int = 8, seed: int = 1, bulk_min: int = 0
) -> dict:
    rng = random.Random(seed)
    corpus = Corpus(tmp_path / "articles", articles_count, seed=seed)
    articles, index = corpus.root, tmp_path / "index"
    zygote = Zygote(tmp_path)
    zygote.bulk_min = bulk_min
    stats = {"killed": 0, "completed": 0, "points": {}}
    try:
        base = ["--articles", str(articles), "--index", str(index), "index", "--no-entities", "-q"]
        _signaled, code, err, _counts = zygote.run(base, batch=batch)
        assert code == 0, err
        started = time.monotonic()  # how long a --rebuild takes, and its write events (reset included)
        _signaled, code, err, rebuild_counts = zygote.run(base + ["--rebuild"], batch=batch, counts=True)
        rebuild_seconds = time.monotonic() - started
        assert code == 0, err
        bookmarks = make_bookmarks(index, corpus)
        corpus.mutate()
        started = time.monotonic()
        _signaled, code, err, update_counts = zygote.run(base, batch=batch, counts=True)
        update_seconds = time.monotonic() - started
        assert code == 0, err
        for trial in range(trials):
            rebuild = trial % 3 == 0
            if not rebuild:
                corpus.mutate(adds=rng.randint(0, 12), changes=rng.randint(0, 12), deletes=rng.randint(0, 8))
            counts, seconds = (rebuild_counts, rebuild_seconds) if rebuild else (update_counts, update_seconds)
            before = catalog_rows(index)
            argv = base + (["--rebuild"] if rebuild else [])
            if trial % 2:
                points = [p for p in KILL_POINTS if counts.get(p)]
                point = points[(trial // 2) % len(points)]  # every kind of write event gets its turn
                kill_at = {"point": point, "k": rng.randint(1, counts[point])}
                signaled, code, err, _ = zygote.run(argv, batch=batch, kill_at=kill_at)
                label = point
            else:
                signaled, code, err, _ = zygote.run(argv, batch=batch, kill_after=rng.uniform(0, seconds * 1.1))
                label = "timer"
            assert signaled or code == 0, err
            assert "Traceback" not in err, err
            stats["killed" if signaled else "completed"] += 1
            if signaled:
                stats["points"][label] = stats["points"].get(label, 0) + 1
            _check_after_kill(articles, index, before, bookmarks)
        _signaled, code, err, _ = zygote.run(base, batch=batch)
        assert code == 0, err
    finally:
        zygote.close()
    assert_equals_clean_build(articles, index, tmp_path)
    assert bookmarks_bytes(index) == bookmarks
    return stats


def test_index_killed_at_random_points(tmp_path):
    started = time.monotonic()
    stats = _kill_trials(tmp_path, trials=24)
    print(f"kill trials: {stats}, {time.monotonic() - started:.1f} s")
    assert stats["killed"] >= 16, stats  # most kills must land before the sync finished


def test_index_killed_while_writing_in_bulk(tmp_path):
    """The same guarantee with every batch written by the bulk segment writer (bulk_writer.py)."""
    stats = _kill_trials(tmp_path, trials=12, batch=20, seed=3, bulk_min=1)
    assert stats["killed"] >= 6, stats


@pytest.mark.soak
def test_index_killed_at_random_points_soak(tmp_path):
    stats = _kill_trials(tmp_path, trials=SOAK_TRIALS, articles_count=400, batch=5, seed=7)
    print(f"soak kill trials: {stats}")
    assert stats["killed"] >= SOAK_TRIALS * 2 // 3, stats


def test_real_process_killed(tmp_path):
    """The same with a whole `python -m reader index` process, killed from outside."""
    corpus = Corpus(tmp_path / "articles", 120)
    index = tmp_path / "index"
    argv = ["--articles", str(corpus.root), "--index", str(index), "index", "--no-entities", "-q"]
    # Small batches, and each article read slowed down, so that the kills
    # below land inside the sync however fast indexing gets.
    script = (
        "import sys, time, reader.index.sync as s; s.BATCH_SIZE = 4; read = s.read_article;"
        " s.read_article = lambda f, **options: (time.sleep(0.01), read(f, **options))[1];"
        " from reader.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    assert subprocess.run([sys.executable, "-c", script, *argv], capture_output=True).returncode == 0
    bookmarks = make_bookmarks(index, corpus)
    killed = 0
    for delay in (0.45, 0.6, 0.8):
        corpus.mutate(adds=20, changes=20, deletes=5)
        before = catalog_rows(index)
        process = subprocess.Popen([sys.executable, "-c", script, *argv, "--rebuild"], stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        _out, err = process.communicate()
        killed += process.returncode == -signal.SIGKILL
        assert b"Traceback" not in err
        _check_after_kill(corpus.root, index, before, bookmarks)
    assert subprocess.run([sys.executable, "-c", script, *argv], capture_output=True).returncode == 0
    assert_equals_clean_build(corpus.root, index, tmp_path)
    assert killed >= 1


# -- locks -----------------------------------------------------------------------------------


HOLDER = """
import sys, time
from reader import Library
library = Library(sys.argv[1], sys.argv[2])
store = library.store
with store.writing(5):
    writer = store.whoosh_index().writer() if sys.argv[3] == "both" else None
    print("locked", flush=True)
    time.sleep(float(sys.argv[4]))
    if writer is not None:
        writer.cancel()
print("released", flush=True)
"""

WHOOSH_ONLY = """
import sys, time
from reader import Library
writer = Library(sys.argv[1], sys.argv[2]).store.whoosh_index().writer()
print("locked", flush=True)
time.sleep(float(sys.argv[3]))
"""


@pytest.fixture
def indexed(tmp_path):
    corpus = Corpus(tmp_path / "articles", 30)
    index = tmp_path / "index"
    with Library(corpus.root, index) as library:
        library.sync(entities=False)
    return corpus, index, make_bookmarks(index, corpus)


def _hold(script: str, *args) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


def _index(corpus, index, capsys, *extra) -> tuple[int, str]:
    code = main(["--articles", str(corpus.root), "--index", str(index), "index", "--no-entities", *extra])
    return code, capsys.readouterr().err


def test_lock_of_a_killed_process_is_not_stale(indexed, capsys, monkeypatch):
    corpus, index, bookmarks = indexed
    holder = _hold(HOLDER, corpus.root, index, "both", 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    # The lock files are still there; what they held was an flock, gone with the process.
    assert (index / "sync.lock").exists() and (index / "search" / "articles_WRITELOCK").exists()
    corpus.mutate()
    monkeypatch.setattr("reader.index.sync.WRITER_TIMEOUT", 0)  # a lock still held would fail at once
    code, err = _index(corpus, index, capsys)
    assert code == 0, err
    assert_equals_clean_build(corpus.root, index, index.parent)
    assert bookmarks_bytes(index) == bookmarks


def test_live_sync_in_another_process_makes_us_wait_then_say_so(indexed, capsys, monkeypatch):
    corpus, index, bookmarks = indexed
    before = state(index)
    monkeypatch.setattr("reader.index.sync.WRITER_TIMEOUT", 0.5)
    holder = _hold(HOLDER, corpus.root, index, "sync", 30)
    try:
        corpus.mutate()
        started = time.monotonic()
        code, err = _index(corpus, index, capsys)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert "another process is updating the index" in one_line(err)
    assert waited >= 0.5  # it waited for the other sync as long as it was told to
    assert state(index) == before  # nothing written, nothing damaged
    with Library(corpus.root, index) as library:
        assert library.search("officials").total
        with pytest.raises(IndexBusy):
            monkeypatch.setattr("reader.index.sync.WRITER_TIMEOUT", 0.2)
            holder = _hold(HOLDER, corpus.root, index, "sync", 30)
            try:
                library.sync(entities=False)
            finally:
                holder.kill()
                holder.wait()
    assert bookmarks_bytes(index) == bookmarks


def test_live_sync_that_finishes_in_time_is_waited_for(indexed, capsys, monkeypatch):
    corpus, index, bookmarks = indexed
    monkeypatch.setattr("reader.index.sync.WRITER_TIMEOUT", 20)
    holder = _hold(HOLDER, corpus.root, index, "both", 0.7)
    corpus.mutate()
    started = time.monotonic()
    code, err = _index(corpus, index, capsys)
    assert code == 0, err
    assert time.monotonic() - started >= 0.3
    assert holder.wait(timeout=10) == 0
    assert_equals_clean_build(corpus.root, index, index.parent)
    assert bookmarks_bytes(index) == bookmarks


def test_foreign_whoosh_writer_is_reported_not_broken(indexed, capsys, monkeypatch):
    """A Whoosh writer that did not take our sync lock (an older reader): wait, then say so."""
    corpus, index, bookmarks = indexed
    before = state(index)
    monkeypatch.setattr("reader.index.sync.WRITER_TIMEOUT", 0.5)
    holder = _hold(WHOOSH_ONLY, corpus.root, index, 30)
    try:
        corpus.mutate()
        code, err = _index(corpus, index, capsys)
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    assert "locked by another writer" in one_line(err)
    assert state(index) == before
    code, err = _index(corpus, index, capsys)
    assert code == 0, err
    assert_equals_clean_build(corpus.root, index, index.parent)
    assert bookmarks_bytes(index) == bookmarks


# -- damaged or old indexes ----------------------------------------------------------------------


def _segment(index: Path) -> Path:
    return max((index / "search").glob("*.seg"), key=lambda p: p.stat().st_size)


def _toc(index: Path) -> Path:
    return next((index / "search").glob("_articles_*.toc"))


def _overwrite_middle(path: Path, start_fraction: float, length: int) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * start_fraction)
    data[start : start + length] = random.Random(3).randbytes(min(length, len(data) - start))
    path.write_bytes(bytes(data))


def _set_meta(index: Path, value: str) -> None:
    with sqlite3.connect(index / "catalog.sqlite") as db:
        db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (value,))


def _set_user_version(index: Path, version: int) -> None:
    with sqlite3.connect(index / "catalog.sqlite") as db:
        db.execute(f"PRAGMA user_version={version}")


def _remove_catalog(index: Path) -> None:
    for name in ("catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm"):
        (index / name).unlink(missing_ok=True)


# name -> (damage, found when the index opens, words in the one-line explanation)
DAMAGE = {
    "segment-deleted": (lambda ix: _segment(ix).unlink(), True, "search index is damaged"),
    "segment-truncated": (lambda ix: os.truncate(_segment(ix), 2000), True, "search index is damaged"),
    "segment-garbage": (
        lambda ix: _segment(ix).write_bytes(random.Random(1).randbytes(_segment(ix).stat().st_size)),
        True,
        "search index is damaged",
    ),
    "segment-empty": (lambda ix: _segment(ix).write_bytes(b""), True, "search index is damaged"),
    "segment-bytes-overwritten": (lambda ix: _overwrite_middle(_segment(ix), 0.4, 4000), True, "search index is damaged"),
    "toc-garbage": (lambda ix: _toc(ix).write_bytes(random.Random(2).randbytes(600)), True, "search index is damaged"),
    "toc-truncated": (lambda ix: os.truncate(_toc(ix), 100), True, "search index is damaged"),
    "toc-deleted": (lambda ix: _toc(ix).unlink(), True, "search index is missing"),
    "search-folder-deleted": (lambda ix: shutil.rmtree(ix / "search"), True, "search index is missing"),
    "catalog-garbage": (
        lambda ix: (ix / "catalog.sqlite").write_bytes(random.Random(4).randbytes(65536)), True, "catalog.sqlite is damaged"
    ),
    "catalog-truncated": (lambda ix: os.truncate(ix / "catalog.sqlite", 6000), True, "catalog.sqlite is damaged"),
    "catalog-pages-overwritten": (
        lambda ix: _overwrite_middle(ix / "catalog.sqlite", 0.5, 8192), False, "catalog.sqlite is damaged"
    ),
    "catalog-deleted": (_remove_catalog, True, "catalog.sqlite is missing"),
    "older-schema-version": (lambda ix: _set_meta(ix, "0"), True, "older version"),
    "newer-catalog-format": (lambda ix: _set_user_version(ix, 9), True, "another version"),
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A checkpointed index of 40 articles with a bookmark, copied by each damage test."""
    root = tmp_path_factory.mktemp("pristine")
    corpus = Corpus(root / "articles", 40, seed=5)
    index = root / "index"
    with Library(corpus.root, index) as library:
        library.sync(entities=False)
    make_bookmarks(index, corpus)
    return corpus, index


def _rules_for_entities(monkeypatch) -> None:
    import reader.entities

    real = reader.entities.load_extractor
    monkeypatch.setattr(reader.entities, "load_extractor", lambda *args, **kwargs: real("rules"))


def _damaged_copy(pristine, tmp_path, name):
    corpus, index = pristine
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    bookmarks = bookmarks_bytes(copy)
    DAMAGE[name][0](copy)
    return corpus, copy, bookmarks


@pytest.mark.parametrize("name", DAMAGE)
def test_damage_is_explained_and_rebuilt_by_sync(pristine, tmp_path, name, capsys):
    _damage, at_open, words = DAMAGE[name]
    corpus, index, bookmarks = _damaged_copy(pristine, tmp_path, name)
    word = corpus.words[sorted(corpus.words)[3]]
    with Library(corpus.root, index) as library:
        problem = library.index_problem()
        if at_open:
            assert words in problem and "\n" not in problem, problem
        outcomes = set()
        for query in (word, "officials", "trade OR talks", "tari*", "negotiator~"):
            try:
                library.search(query)
                outcomes.add("results")
            except IndexCorrupt as error:
                assert "\n" not in str(error) and words in str(error)
                outcomes.add("IndexCorrupt")
        if at_open and name not in ("search-folder-deleted", "toc-deleted"):
            assert outcomes == {"IndexCorrupt"}
        if name in ("catalog-garbage", "catalog-truncated"):
            with pytest.raises(IndexProblem):
                library.articles()
    code = main(["--articles", str(corpus.root), "--index", str(index), "index", "--no-entities"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Traceback" not in err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "index rebuilt from the articles folder" in warnings[0], err
    with Library(corpus.root, index) as library:
        assert library.index_problem() == ""
        assert [hit.path for hit in library.search(word)] == [sorted(corpus.words)[3]]
    assert_equals_clean_build(corpus.root, index, tmp_path)
    assert bookmarks_bytes(index) == bookmarks


@pytest.mark.parametrize("name", [name for name, (_d, at_open, _w) in DAMAGE.items() if at_open])
def test_cli_search_on_damaged_index_rebuilds_with_one_line(pristine, tmp_path, name, capsys, monkeypatch):
    corpus, index, bookmarks = _damaged_copy(pristine, tmp_path, name)
    _rules_for_entities(monkeypatch)  # `reader search` indexes with entities: the fast extractor
    word = corpus.words[sorted(corpus.words)[5]]
    code = main(["--articles", str(corpus.root), "--index", str(index), "search", word, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    assert one_line(err).startswith("reader: ")
    assert [hit["path"] for hit in json.loads(out)["hits"]] == [sorted(corpus.words)[5]]
    assert bookmarks_bytes(index) == bookmarks


def test_long_lived_library_rechecks_before_syncing(pristine, tmp_path):
    """The app keeps one Library open: damage done by others since its last check is still found."""
    corpus, index = pristine
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    bookmarks = bookmarks_bytes(copy)
    with Library(corpus.root, copy) as library:
        assert library.index_problem() == ""
        assert library.search("officials").total
        _set_meta(copy, "0")  # another (older) reader rewrote the index meanwhile
        report = library.sync(entities=False)
        assert any("older version" in warning for warning in report.warnings), report.warnings
        assert library.index_problem() == ""
    assert_equals_clean_build(corpus.root, copy, tmp_path)
    assert bookmarks_bytes(copy) == bookmarks


def test_open_library_sees_changes_and_deletions_of_another_sync(pristine, tmp_path):
    """The app's long-lived searcher after another process's sync: no stale matches."""
    corpus, index = pristine
    articles = tmp_path / "articles"
    shutil.copytree(corpus.root, articles)
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    paths = sorted(corpus.words)
    changed, deleted = paths[1], paths[2]
    old_word, gone_word = corpus.words[changed], corpus.words[deleted]
    with Library(articles, copy) as library:
        assert library.search(old_word).total == 1 and library.search(gone_word).total == 1
        (articles / changed).write_text(article_text("Rewritten", "qzvnewword"), encoding="utf-8")
        (articles / deleted).unlink()
        with Library(articles, copy) as other:
            other.sync(entities=False)
        deadline = time.monotonic() + 30  # the shared searcher looks for a newer generation once a second
        while library.search(old_word).total:
            assert time.monotonic() < deadline, "the open library never saw the other sync"
            time.sleep(0.05)
        assert library.search(gone_word).total == 0
        assert [hit.path for hit in library.search("qzvnewword")] == [changed]


def test_damage_found_while_searching_is_remembered(pristine, tmp_path, capsys):
    """A segment damaged where only a search reads it: the error is clear and the next sync rebuilds."""
    corpus, index, bookmarks = _damaged_copy(pristine, tmp_path, "segment-bytes-overwritten")
    with Library(corpus.root, index) as library:
        failures = 0
        for word in corpus.words.values():
            try:
                library.search(word)
            except IndexCorrupt:
                failures += 1
                break
    # The corpus and the damage are seeded: the same searches read the same bytes every run.
    assert failures, "no search read the overwritten bytes: move the damage (_overwrite_middle)"
    with Library(corpus.root, index) as library:
        assert "damaged" in library.index_problem()
        report = library.sync(entities=False)
        assert any("rebuilt" in warning for warning in report.warnings)
    assert_equals_clean_build(corpus.root, index, tmp_path)
    assert bookmarks_bytes(index) == bookmarks


# -- full disk, read-only folder -----------------------------------------------------------------


def _write_fails(monkeypatch, error_number: int, after_bytes: int = 0) -> None:
    """Every write to a file under the index folder fails with ``error_number`` (Whoosh and SQLite alike)."""
    import whoosh.filedb.structfile as structfile

    written = {"n": 0}
    original = structfile.StructFile.write

    def write(self, data):
        written["n"] += len(data)
        if written["n"] > after_bytes:
            raise OSError(error_number, os.strerror(error_number))
        return original(self, data)

    monkeypatch.setattr(structfile.StructFile, "write", write)


def _assert_previous_index_intact(corpus, index, before, bookmarks) -> None:
    assert state(index) == before
    with Library(corpus.root, index) as library:
        assert library.index_problem() == ""
        assert library.search("officials").total >= len(before["documents"]) - 2
    assert bookmarks_bytes(index) == bookmarks


def test_disk_full_while_writing_the_search_index(indexed, capsys, monkeypatch):
    corpus, index, bookmarks = indexed
    before = state(index)
    corpus.mutate(adds=10, changes=5, deletes=0)
    _write_fails(monkeypatch, errno.ENOSPC, after_bytes=3000)
    code, err = _index(corpus, index, capsys)
    assert code == 2
    line = one_line(err)
    assert "No space left on device" in line and str(index) in line, line
    monkeypatch.undo()
    _assert_previous_index_intact(corpus, index, before, bookmarks)
    code, err = _index(corpus, index, capsys)  # space freed: the next run completes
    assert code == 0, err
    assert_equals_clean_build(corpus.root, index, index.parent)


def test_disk_full_while_writing_the_catalog(indexed, capsys, monkeypatch):
    corpus, index, bookmarks = indexed
    corpus.mutate(adds=10, changes=5, deletes=0)
    import reader.index.catalog as catalog

    def full(self, *args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(catalog.Catalog, "put", full)
    code, err = _index(corpus, index, capsys)
    assert code == 2
    assert "disk is full" in one_line(err)
    monkeypatch.undo()
    with Library(corpus.root, index) as library:
        assert library.index_problem() == ""
        assert library.search("officials").total
    code, err = _index(corpus, index, capsys)
    assert code == 0, err
    assert_equals_clean_build(corpus.root, index, index.parent)
    assert bookmarks_bytes(index) == bookmarks


def test_file_size_limit_in_a_real_process(indexed, tmp_path):
    """RLIMIT_FSIZE: the kernel refuses to grow files (EFBIG), as a full disk refuses (ENOSPC)."""
    corpus, index, bookmarks = indexed
    before = state(index)
    for _ in range(40):
        corpus.add()
    limit = 4096  # bytes: more than the lock and fingerprint files, less than a new segment
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
        "from reader.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    argv = ["--articles", str(corpus.root), "--index", str(index), "index", "--no-entities"]
    result = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    line = one_line(result.stderr)
    assert line.startswith("reader: ") and ("too large" in line.lower() or "full" in line), line
    _assert_previous_index_intact(corpus, index, before, bookmarks)
    assert subprocess.run([sys.executable, "-m", "reader", *argv], capture_output=True).returncode == 0
    assert_equals_clean_build(corpus.root, index, tmp_path)


def _namespace_available() -> bool:
    if not shutil.which("unshare") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(not _namespace_available(), reason="needs root and unshare -m for a private mount")


@needs_namespace
def test_really_full_disk(indexed, tmp_path):
    """The index on a tiny tmpfs in a private mount namespace: real ENOSPC."""
    corpus, index, bookmarks = indexed
    before = state(index)
    for _ in range(60):
        corpus.add()
    used = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    size_kb = used // 1024 + 96
    shell = (
        f'mkdir -p "$1.mnt" && mount -t tmpfs -o size={size_kb}k tmpfs "$1.mnt" && cp -a "$1/." "$1.mnt/" && '
        f'"{sys.executable}" -m reader --articles "$2" --index "$1.mnt" index --no-entities; code=$?; '
        'cp -a "$1.mnt/." "$1.after/"; exit $code'
    )
    (tmp_path / "index.after").mkdir()
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", shell, "sh", str(index), str(corpus.root)], capture_output=True, text=True
    )
    (tmp_path / "index.mnt").rmdir()
    assert result.returncode == 2, result.stderr
    assert "No space left on device" in one_line(result.stderr)
    after = tmp_path / "index.after"
    _assert_previous_index_intact(corpus, after, before, bookmarks)


@needs_namespace
def test_really_read_only_index_folder(indexed, tmp_path):
    """A read-only bind mount in a private mount namespace: indexing says so, searching still works."""
    corpus, index, bookmarks = indexed
    before = state(index)
    indexed_path = sorted(corpus.words)[0]
    indexed_word = corpus.words[indexed_path]  # in the index now; the failed update must not lose it
    corpus.mutate()
    reader = f'"{sys.executable}" -m reader --articles "$2" --index "$1"'
    shell = (
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && '
        f"{reader} index --no-entities; echo \"index=$?\" >&2; {reader} search {indexed_word} --json; echo \"search=$?\" >&2"
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", shell, "sh", str(index), str(corpus.root)], capture_output=True, text=True
    )
    lines = result.stderr.splitlines()
    assert "index=2" in lines and "search=0" in lines, result.stderr
    message = [line for line in lines if line.startswith("reader: ")]
    assert len(message) == 1 and "Read-only file system" in message[0], result.stderr
    assert [hit["path"] for hit in json.loads(result.stdout)["hits"]] == [indexed_path]
    assert "Traceback" not in result.stderr
    _assert_previous_index_intact(corpus, index, before, bookmarks)


def test_read_only_index_folder(indexed, capsys, monkeypatch, tmp_path):
    """Read-only without root: chmod; as root, where chmod does not bind, EROFS is simulated."""
    corpus, index, bookmarks = indexed
    before = state(index)
    corpus.mutate()
    simulated = os.geteuid() == 0
    if simulated:
        import sqlite3 as sqlite

        real_open, real_connect = os.open, sqlite.connect
        inside = str(index)

        def refuse_writes(path, flags, *args, **kwargs):
            if os.fspath(path).startswith(inside) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        def read_only_connect(database, *args, **kwargs):
            if str(database).startswith(inside):
                raise sqlite.OperationalError("attempt to write a readonly database")
            return real_connect(database, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse_writes)
        monkeypatch.setattr(sqlite, "connect", read_only_connect)
        import builtins

        real_builtin_open = builtins.open

        def refuse_builtin(file, mode="r", *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and os.fspath(file).startswith(inside) and set(mode) & set("wax+"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(file))
            return real_builtin_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refuse_builtin)
    else:
        for path in [index, *index.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        code, err = _index(corpus, index, capsys)
    finally:
        monkeypatch.undo()
        if not simulated:
            for path in [index, *index.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)
    assert code == 2
    line = one_line(err)
    assert "cannot write the index" in line, line
    _assert_previous_index_intact(corpus, index, before, bookmarks)


if __name__ == "__main__" and "--zygote" in sys.argv:
    _zygote()
