"""Interrupts of every kind during `reader index` with spaCy's worker processes
running (issue 13): one line, the right exit status, the terminal given back,
no process left behind, no descriptor of the index inherited by a worker.

Real subprocesses on a pseudo-terminal (Ctrl-C is the terminal's ^C, sent to
the whole foreground process group as a real one is); processes are watched
through /proc. Every wait is for a state, with a deadline.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.badfiles import make_good_articles

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

#: Enough articles that sync extracts entities in two worker processes.
ARTICLES = 340  # the entity phase extracts 100, then 200 (two workers from 200 on), then the rest
DEADLINE = 120.0


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("many")
    make_good_articles(root, ARTICLES)
    return root


def _children(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_for(condition, what: str, deadline: float = DEADLINE, on_wait=None):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        if on_wait:
            on_wait()
        else:
            time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Terminal:
    """`reader ... index` with a pseudo-terminal as its controlling terminal."""

    def __init__(self, articles: Path, index: Path, *, stdout_pipe: bool = False, command: str = "index") -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        env.pop("NO_COLOR", None)
        argv = [sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(index), command]
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=subprocess.PIPE if stdout_pipe else slave,
            stderr=slave,
            start_new_session=True,  # its own session: the pty is its controlling terminal
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
            env=env,
            cwd=REPO,
        )
        os.close(slave)
        self.output = b""

    def read(self) -> None:
        ready, _, _ = select.select([self.master], [], [], 0.05)
        if ready:
            try:
                self.output += os.read(self.master, 65536)
            except OSError:
                pass

    def workers(self) -> list[int]:
        def two() -> list[int]:
            children = _children(self.process.pid)
            return children if len(children) >= 2 else []

        return _wait_for(two, "two workers", on_wait=self.read)

    def finish(self) -> int:
        code = _wait_for(lambda: self.process.poll() is not None, "reader to exit", 60, on_wait=self.read)
        for _ in range(20):
            self.read()
        os.close(self.master)
        del code
        return self.process.returncode

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


def _assert_workers_gone(workers: list[int]) -> None:
    _wait_for(lambda: not any(_alive(pid) for pid in workers), "the workers to end", 15)


def _index_files_held(pid: int, index: Path) -> list[str]:
    try:
        targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return []  # gone
    return [target for target in targets if target.startswith(str(index))]


def _assert_no_inherited_index_files(workers: list[int], index: Path) -> None:
    """A forked worker holds its parent's descriptors for the moment before it
    closes them; it must close them (the sync lock among them) at once."""
    _wait_for(lambda: not any(_index_files_held(pid, index) for pid in workers), "the workers to let go of the index", 10)


def _messages(text: str) -> list[str]:
    """The lines a user reads, without the progress bars' redraws (the text's, then the entities')."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text).replace("\r", "\n")
    bars = ("indexing", "entities ")
    return [line.strip() for line in plain.split("\n") if line.strip() and not line.strip().startswith(bars)]


def test_sigkill_takes_the_workers_with_it(many_articles, tmp_path):
    index = tmp_path / "index"
    terminal = Terminal(many_articles, index)
    workers = terminal.workers()
    _assert_no_inherited_index_files(workers, index)
    os.kill(terminal.process.pid, signal.SIGKILL)
    terminal.finish()
    _assert_workers_gone(workers)
    # nothing holds the index: the next run does not wait for a lock
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--articles", str(many_articles), "--index", str(index), "index", "--no-entities", "-q"],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("how", "status"), [("ctrl-c", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_an_interrupt_is_one_line_and_leaves_nothing_behind(many_articles, tmp_path, how, status):
    index = tmp_path / "index"
    terminal = Terminal(many_articles, index)
    workers = terminal.workers()
    _wait_for(lambda: b"\x1b[?25l" in terminal.output, "the progress bar", on_wait=terminal.read)
    if how == "ctrl-c":
        os.write(terminal.master, b"\x03")  # the terminal sends SIGINT to the whole foreground group
    else:
        os.kill(terminal.process.pid, getattr(signal, how))
    assert terminal.finish() == status
    _assert_workers_gone(workers)
    text = terminal.text()
    assert "Traceback" not in text
    # the workers extract entities, the second phase: the text's summary line came before
    messages = [line for line in _messages(text) if not re.match(r"\d+ articles indexed, .*searchable in", line)]
    assert len(messages) == 1 and messages[0].startswith("reader: "), messages
    assert text.rfind("\x1b[?25h") > text.rfind("\x1b[?25l"), "the cursor was left hidden"
    # the index is consistent: the next run finishes it
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--articles", str(many_articles), "--index", str(index), "search", "trade", "--json"],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=DEADLINE * 2,
    )
    assert done.returncode == 0, done.stderr


def test_ctrl_c_with_stdout_a_closed_pipe_does_not_hang(many_articles, tmp_path):
    """`reader index | tee log`, then Ctrl-C: tee dies too, and reader must still end."""
    terminal = Terminal(many_articles, tmp_path / "index", stdout_pipe=True)
    workers = terminal.workers()
    terminal.process.stdout.close()  # tee is gone
    os.write(terminal.master, b"\x03")
    assert terminal.finish() == 130
    _assert_workers_gone(workers)
    assert "Traceback" not in terminal.text()


def test_killing_the_app_mid_sync_takes_the_workers_with_it(many_articles, tmp_path):
    """The app indexes in a thread; its workers die with the app all the same."""
    index = tmp_path / "index"
    terminal = Terminal(many_articles, index, command="app")
    workers = terminal.workers()
    _assert_no_inherited_index_files(workers, index)
    os.kill(terminal.process.pid, signal.SIGKILL)
    terminal.finish()
    _assert_workers_gone(workers)


def test_cancelling_a_sync_stops_entity_extraction_and_its_workers(many_articles, tmp_path):
    """The app cancels a sync when it quits: that must not wait for a whole batch
    of extraction (10,000 articles took minutes), and the workers must go."""
    from reader import Library

    seen: list[int] = []
    before = set(_children(os.getpid()))  # the suite may have processes of its own (a test cluster)

    def cancelled() -> bool:  # as soon as the two workers are running
        children = [pid for pid in _children(os.getpid()) if pid not in before]
        seen.extend(pid for pid in children if pid not in seen)
        return len(children) >= 2

    with Library(many_articles, tmp_path / "index") as library:
        report = library.sync(entities=True, cancelled=cancelled)
    assert len(seen) >= 2, "the workers never started"
    assert len(report.added) == ARTICLES  # the text, the first phase, is in before any worker starts
    assert report.entities_pending > 0  # cancelled in extraction: the rest waits for the next sync
    _assert_workers_gone(seen)
