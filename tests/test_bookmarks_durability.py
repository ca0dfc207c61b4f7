"""The bookmark store under two writers at once and under SIGKILL.

Writers are real processes (``sys.executable``) so file locks and WAL
recovery are exercised for real.  A worker acknowledges each change on a
line of its ack file only after the store method returned; everything
acknowledged must survive, and at most the change in flight may be lost.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.bookmarks import SCHEMA_VERSION, BookmarkStore

from .bookmark_schemas import V1_SCHEMA

WORKER = r"""
import sys, time
from pathlib import Path
from reader.bookmarks import BookmarkStore

path, name, count, go, acks = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
store = BookmarkStore(path)
out = open(acks, "a", buffering=1)

def ack(line):
    out.write(line + "\n")  # after the method returned: durable by contract

Path(acks + ".ready").touch()
while not go.exists():  # start together
    time.sleep(0.001)
i = 0
while count < 0 or i < count:
    quote = f"{name} passage {i}"
    b = store.add(f"{name}-{i % 5}", quote, i * 100, i * 100 + len(quote), tags=[name])
    ack(f"add {i} {b.id}")
    store.update(b.id, note=f"note {i}")
    ack(f"upd {i} {b.id}")
    if i % 3 == 0:
        store.delete(b.id)
        ack(f"del {i} {b.id}")
    if i % 4 == 0:
        store.mark_read(f"{name}-{i}")
        ack(f"read {i} {name}-{i}")
    if i % 10 == 5:
        batch = [{"id": f"{name}-imp-{i}-{k}", "article": "imp", "quote": f"{name} {i} {k}",
                  "start": k, "end": k + len(f"{name} {i} {k}")} for k in range(20)]
        store.import_json(batch)
        ack(f"imp {i} -")
    i += 1
out.write("done\n")
"""


@pytest.fixture
def worker(tmp_path) -> Path:
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    return script


def spawn(worker: Path, db: Path, name: str, count: int, go: Path, acks: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(worker), str(db), name, str(count), str(go), str(acks)],
        stderr=subprocess.PIPE,
    )


def read_acks(path: Path) -> list[tuple[str, int, str]]:
    if not path.exists():
        return []
    text = path.read_text()
    lines = text.split("\n")[:-1]  # a torn last line has no newline: not acknowledged
    return [tuple(line.split(" ")) for line in lines if line != "done"]


def verify(db: Path, acks: list[tuple[str, str, str]], name: str) -> None:
    """Everything acknowledged is there and consistent; at most one change in flight is missing."""
    with BookmarkStore(db) as store:
        assert store.integrity_check() == "ok"
        live_and_deleted = {b.id: b for b in store.list(include_deleted=True)}
        read = store.read_ids()
    added = {int(i): id_ for op, i, id_ in acks if op == "add"}
    updated = {int(i) for op, i, _ in acks if op == "upd"}
    deleted = {int(i) for op, i, _ in acks if op == "del"}
    for i, id_ in added.items():
        b = live_and_deleted.get(id_)
        assert b is not None, f"acknowledged bookmark {i} lost"
        assert b.quote == f"{name} passage {i}" and b.tags == (name,)
        if i in updated:
            assert b.note == f"note {i}", f"acknowledged note {i} lost"
        if i in deleted:
            assert b.deleted, f"acknowledged delete {i} lost"
    for op, _i, value in acks:
        if op == "read":
            assert value in read
    # Imports are all or nothing; acknowledged ones complete.
    for i in {int(i) for op, i, _ in acks if op == "imp"}:
        assert all(f"{name}-imp-{i}-{k}" in live_and_deleted for k in range(20))
    batches: dict[str, int] = {}
    for id_ in live_and_deleted:
        if "-imp-" in id_:
            batch = id_.rsplit("-", 1)[0]
            batches[batch] = batches.get(batch, 0) + 1
    assert all(n == 20 for n in batches.values()), batches
    # Nothing beyond the one change in flight: at most one unacknowledged add.
    mine = [b for b in live_and_deleted.values() if b.quote.startswith(f"{name} passage ")]
    assert len(added) <= len(mine) <= len(added) + 1


def test_two_processes_writing_at_once_lose_nothing(tmp_path, worker):
    db, go = tmp_path / "bookmarks.sqlite", tmp_path / "go"
    BookmarkStore(db).close()
    procs = {
        name: spawn(worker, db, name, 60, go, tmp_path / f"{name}.acks") for name in ("alpha", "beta")
    }
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"{name}.acks.ready").exists() for name in procs):  # both started
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.01)
    go.touch()
    for proc in procs.values():
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    for name in procs:
        acks = read_acks(tmp_path / f"{name}.acks")
        assert len([a for a in acks if a[0] == "add"]) == 60
        verify(db, acks, name)
    with BookmarkStore(db) as store:
        assert len(store.list(include_deleted=True)) == 2 * 60 + 2 * 6 * 20  # bookmarks + imports
        assert len(store.list(tag="alpha", include_deleted=True)) == 60


def kill_trials(tmp_path: Path, worker: Path, trials: int, seed: int) -> int:
    """Kill a looping writer at random points; returns how many acks were checked."""
    rng = random.Random(seed)
    db, go = tmp_path / "bookmarks.sqlite", tmp_path / "go"
    go.touch()
    checked = 0
    for trial in range(trials):
        name = f"w{trial}"
        acks_path = tmp_path / f"{name}.acks"
        proc = spawn(worker, db, name, -1, go, acks_path)
        want = rng.randint(1, 60)
        deadline = time.monotonic() + 30
        while len(read_acks(acks_path)) < want:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "worker too slow"
            time.sleep(0.002)
        time.sleep(rng.random() * 0.004)  # land somewhere inside the next change
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        acks = read_acks(acks_path)
        verify(db, acks, name)
        checked += len(acks)
    return checked


def test_sigkill_during_writes_loses_at_most_the_change_in_flight(tmp_path, worker):
    assert kill_trials(tmp_path, worker, trials=4, seed=4) >= 4


@pytest.mark.soak
def test_sigkill_soak(tmp_path, worker):
    trials = int(os.environ.get("READER_SOAK_TRIALS", "30"))
    assert kill_trials(tmp_path, worker, trials=trials, seed=12345 + trials) >= trials


OPENER = r"""
import sys
from reader.bookmarks import BookmarkStore
BookmarkStore(sys.argv[1]).close()
print("opened")
"""


def make_big_v1(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    for statement in V1_SCHEMA:
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO bookmarks (id, article, quote, start, \"end\", note, created, updated) "
        "VALUES (?, 'a', ?, 0, ?, ?, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')",
        [(f"id{i}", f"q{i:05d}", len(f"q{i:05d}"), "n" * 200) for i in range(rows)],
    )
    conn.commit()
    conn.close()


def test_migration_killed_or_racing_leaves_a_good_store(tmp_path):
    """Two processes open an old store at once, and one is killed at a random moment."""
    opener = tmp_path / "opener.py"
    opener.write_text(OPENER)
    rng = random.Random(11)
    for trial in range(3):
        db = tmp_path / f"t{trial}" / "bookmarks.sqlite"
        db.parent.mkdir()
        make_big_v1(db, 3000)
        racer = subprocess.Popen([sys.executable, str(opener), str(db)], stdout=subprocess.PIPE)
        victim = subprocess.Popen([sys.executable, str(opener), str(db)], stdout=subprocess.PIPE)
        time.sleep(rng.uniform(0.05, 0.4))
        victim.kill()
        victim.communicate()
        out, _ = racer.communicate(timeout=60)
        assert racer.returncode == 0 and out.strip() == b"opened"
        with BookmarkStore(db) as store:
            assert store.version == SCHEMA_VERSION
            assert len(store) == 3000 and store.integrity_check() == "ok"
        backups = list(db.parent.glob("*.bak"))
        assert 1 <= len(backups) <= 2  # one per migration attempt that got as far as the backup
        for backup in backups:
            conn = sqlite3.connect(backup)
            assert conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 3000
            conn.close()
