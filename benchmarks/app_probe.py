#!/usr/bin/env python3
"""App measurements in a fresh process, reported as one JSON line (see ``run.py``'s ``measure_app``).

    app_probe.py paint ARTICLES INDEX [--runs 5] [--timeout 60]
        start ``python -m reader`` in a 120x40 pty, time spawn -> the first of the newest articles'
        titles in its output (escape sequences stripped), then read its RSS (VmRSS/VmHWM once
        settled, ru_maxrss after quitting)
    app_probe.py keys  ARTICLES INDEX QUERY [QUERY ...]
        ``measure_keystroke_to_results`` (below) for each query (headless Textual, 120x40)
    app_probe.py pages ARTICLES INDEX [--pages 50]
        headless Textual (Pilot), the article list focused: time each ``pagedown`` until the app is idle
        (wall time, which includes Pilot's idle polling in 20 ms sleeps, and CPU time, which does not)
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from time import perf_counter

COLUMNS, LINES = 120, 40
# CSI, OSC and two-byte escapes; what is left is the text Textual drew
_ESCAPE = re.compile(rb"\x1b\[[0-9;?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMcNO]")


TYPING_INTERVAL = 0.2  # seconds between keys in measure_keystroke_to_results


async def measure_keystroke_to_results(
    library,
    query: str,
    *,
    size: tuple[int, int] = (120, 40),
    timeout: float = 10.0,
    held: list[float] | None = None,
    cpu: list[float] | None = None,
) -> list[float]:
    """Seconds from each keystroke of ``query`` to the first frame showing its results.

    Runs the app headless, opens the search pane and types ``query`` one
    character at a time, a key every ``TYPING_INTERVAL`` seconds or when the
    previous key's results are on screen, whichever is later. The time runs
    from just before the key is sent to the end of the first screen refresh
    (the compositor rendering the frame) after the results reached the
    pane, so Pilot's idle polling is not counted. A key whose query the app
    answers with the results already on screen counts too (it posts
    ``ResultsShown`` for it).

    Keys the app does not search for until typing pauses (a word of one or
    two letters, ``reader.app.query.waits_for_more``; apps before it had no
    such keys) are timed to the first frame after them, the box echoing the
    key, into ``held`` when given, not into the result.

    ``cpu`` (when given) gets, for each timing, the CPU time the process (every
    thread) used over the same span: on a loaded machine the wall time depends
    on the other processes, this much less.

    The frame time comes from wrapping the screen's private compositor refresh:
    a measuring hook, so it lives here and not in the package.
    """
    from reader.app.app import ReaderApp
    from reader.app.query import as_you_type
    from reader.app.widgets.search_pane import SearchPane

    try:
        from reader.app.query import waits_for_more
    except ImportError:  # an app that searched every key

        def waits_for_more(text: str) -> bool:
            return False

    app = ReaderApp(library, sync=False)
    shown: asyncio.Queue[tuple[str, float]] = asyncio.Queue()
    frames: list[tuple[float, float]] = []  # (wall, CPU) at the end of each frame

    def hook(message) -> None:
        if isinstance(message, SearchPane.ResultsShown):
            shown.put_nowait((message.query, perf_counter()))

    async def next_frame(after: float) -> tuple[float, float]:
        while not frames or frames[-1][0] < after:
            await pilot.pause()
        return next(frame for frame in frames if frame[0] >= after)

    timings: list[float] = []
    async with app.run_test(size=size, message_hook=hook) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        refresh = screen._compositor_refresh

        def timed_refresh() -> None:
            refresh()
            frames.append((perf_counter(), time.process_time()))

        screen._compositor_refresh = timed_refresh
        await pilot.press("slash")
        await pilot.pause()
        sent = ""
        for length in range(1, len(query) + 1):
            typed = query[:length]
            started, cpu_started = perf_counter(), time.process_time()
            await pilot.press(query[length - 1] if query[length - 1] != " " else "space")
            if waits_for_more(typed):
                if held is not None:
                    held.append((await next_frame(started))[0] - started)
            else:
                expected = as_you_type(typed)
                if expected and expected != sent:
                    sent = expected
                    while True:
                        got, at = await asyncio.wait_for(shown.get(), timeout)
                        if got == expected:
                            break
                    frame, frame_cpu = await next_frame(at)
                    timings.append(frame - started)
                    if cpu is not None:
                        cpu.append(frame_cpu - cpu_started)
            # The next key comes at a typist's pace (a key per 200 ms, 60 words a minute),
            # so a count still running for this query competes with the next search.
            await asyncio.sleep(max(0.0, started + TYPING_INTERVAL - perf_counter()))
    return timings


def _needles(articles: str, index: str) -> list[bytes]:
    """Titles the first screen must show, as the terminal shows them (see ``_visible``).

    The app draws its first screenful from the catalog's newest rows
    (``Library.newest_articles``, the ``FIRST_ROWS`` of ``NewestRows``); which
    of them are on screen depends on how it orders equal dates (78 Reuters
    articles share the newest date at 100k), so any of them counts. Only the
    first 18 characters: a narrow list cuts titles with an ellipsis.
    """
    from reader import Library
    from reader.app.newest import FIRST_ROWS

    with Library(articles, index) as library:
        summaries, _total = library.newest_articles(FIRST_ROWS)
    needles = set()
    for summary in summaries:
        title = _visible(summary.title)[:18].rstrip()
        if len(title) >= 8:
            needles.add(title.encode("utf-8"))
    return sorted(needles)


def _visible(title: str) -> str:
    """A title as a row shows it: control characters gone, runs of white space one space."""
    return " ".join("".join(c for c in title if c.isprintable() or c.isspace()).split())


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, every thread) the process has used: on a loaded machine wall
    time depends on the other processes, this does not."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int) -> dict[str, int]:
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def _one_paint(args, needles: list[bytes]) -> dict:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = dict(_bytecode_env(), TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    env.pop("TEXTUAL", None)
    cmd = [sys.executable, "-m", "reader", "--articles", args.articles, "--index", args.index]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True)
    os.close(slave)
    buffer = b""
    painted = None
    painted_cpu = None
    title = ""
    deadline = started + args.timeout

    def drain(until: float) -> None:
        nonlocal buffer, painted, painted_cpu, title
        while time.perf_counter() < until:
            ready, _, _ = select.select([master], [], [], max(0.0, min(0.05, until - time.perf_counter())))
            if not ready:
                if painted is not None and until == deadline:
                    return
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            if painted is None:
                buffer += chunk
                text = _ESCAPE.sub(b"", buffer)
                seen = next((needle for needle in needles if needle in text), None)
                if seen is not None:
                    painted = time.perf_counter() - started
                    painted_cpu = _cpu_seconds(child.pid)
                    title = seen.decode("utf-8")
                    if until == deadline:
                        return

    try:
        drain(deadline)
        memory = {}
        if painted is not None:
            drain(time.perf_counter() + args.settle)  # the start-up pending() walk and search warm-up
            memory = _status_kb(child.pid)
        os.write(master, b"q")
        quit_by = time.perf_counter() + 10
        while time.perf_counter() < quit_by:
            pid, _, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            drain(time.perf_counter() + 0.1)
        else:
            os.killpg(child.pid, signal.SIGTERM)
            _, _, usage = os.wait4(child.pid, 0)
        child.returncode = 0  # reaped here; keep Popen from waiting again
    finally:
        os.close(master)
    return {
        "paint_seconds": painted,
        "paint_cpu_seconds": painted_cpu,
        "title": title,
        "vm_rss_kb": memory.get("VmRSS"),
        "vm_hwm_kb": memory.get("VmHWM"),
        "rss_anon_kb": memory.get("RssAnon"),
        "rss_file_kb": memory.get("RssFile"),
        "ru_maxrss_kb": usage.ru_maxrss,
        "tail": "" if painted is not None else _ESCAPE.sub(b"", buffer)[-300:].decode("utf-8", "replace"),
    }


def _bytecode_env() -> dict[str, str]:
    """The environment of the measured app: its modules compiled once, as an installed copy's are.

    With ``PYTHONDONTWRITEBYTECODE`` set (this machine sets it) every start compiled reader from
    source, a third of a second that no user pays. The bytecode goes to a directory of its own
    (``PYTHONPYCACHEPREFIX``), not into the source tree.
    """
    import tempfile

    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), f"reader-app-probe-{os.getuid()}"))
    return env


def _compile_reader() -> None:
    import reader

    package = os.path.dirname(reader.__file__)
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], env=_bytecode_env(), check=True,
                   stdout=subprocess.DEVNULL)


def paint(args) -> dict:
    needles = _needles(args.articles, args.index)
    if not needles:
        raise SystemExit("no titled articles in the index")
    _compile_reader()
    runs = [_one_paint(args, needles) for _ in range(args.runs)]
    return {"runs": runs}


def keys(args) -> dict:
    from reader import Library
    out = {}
    with Library(args.articles, args.index) as library:
        for query in args.queries:
            started = time.perf_counter()
            held: list[float] = []
            cpu: list[float] = []
            timings = asyncio.run(
                measure_keystroke_to_results(library, query, size=(COLUMNS, LINES), held=held, cpu=cpu)
            )
            out[query] = {"timings": timings, "cpu": cpu, "held": held, "seconds": time.perf_counter() - started}
    return {"queries": out}


def pages(args) -> dict:
    from reader import Library
    from reader.app.app import ReaderApp
    from reader.app.widgets.article_list import ArticleList

    async def run(library) -> dict:
        app = ReaderApp(library, sync=False)
        timings, cpu = [], []
        async with app.run_test(size=(COLUMNS, LINES)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            article_list = app.main.query_one(ArticleList)
            article_list.focus()
            await pilot.pause()
            start_cursor = article_list.cursor
            for _ in range(args.pages):
                started, cpu_started = time.perf_counter(), time.process_time()
                await pilot.press("pagedown")
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            return {
                "timings": timings,
                "cpu": cpu,
                "rows": article_list.shown,
                "moved": article_list.cursor - start_cursor,
                "row_height": article_list.row_height,
            }

    with Library(args.articles, args.index) as library:
        return asyncio.run(run(library))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("op", choices=("paint", "keys", "pages"))
    parser.add_argument("articles")
    parser.add_argument("index")
    parser.add_argument("queries", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60.0, help="per app start")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds after first paint before reading RSS")
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    result = {"paint": paint, "keys": keys, "pages": pages}[args.op](args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
