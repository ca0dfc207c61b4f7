#!/usr/bin/env python3
"""Benchmark harness: the Library against SQLite FTS5, ripgrep and grep.

Generates the corpus when missing, then measures through the public API only
(``reader.Library`` in child processes, and the ``reader`` console script):
index builds with and without entities, syncs, warm searches with and without
snippets, cold ``reader search`` processes next to ``rg``/``grep -ril`` and a
cold FTS5 lookup, and the memory of a process that has run 100 queries. It
prints one table and keeps that corpus size's section of
``benchmarks/RESULTS.md`` up to date.

    python benchmarks/run.py --size 20000 [--repeat 20] [--skip-entities] [--entities-sample 2000]

Everything it writes besides RESULTS.md lives in the git-ignored
``benchmarks/corpora/`` (the generated articles, never modified) and
``benchmarks/work/`` (hard-linked copies that the sync step mutates, indexes).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import baselines
from generate import article_files, build_world, generate, render_article
from measure import Stats, time_calls, time_command
from queries import Query, load_queries

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"
MUTATIONS = 100


# -- rows and the table ----------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table; ``ours`` is the Library (or the only) measurement."""

    what: str
    ours: Stats | None = None
    fts5: Stats | None = None
    rg: Stats | None = None
    grep: Stats | None = None
    note: str = ""


def _duration(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.0f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds * 1000:.2f} ms"


def _ratio(ours: Stats | None, other: Stats | None) -> str:
    if not ours or not other or other.median <= 0:
        return ""
    return f"{ours.median / other.median:.1f}×"


def render_table(rows: list[Row]) -> str:
    header = ["measurement", "median", "p95", "FTS5", "×FTS5", "rg", "×rg", "grep -rilw", "notes"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        ours = row.ours
        cells = [
            row.what,
            _duration(ours.median) if ours else "",
            _duration(ours.p95) if ours and len(ours.samples) > 1 else "",
            _duration(row.fts5.median) if row.fts5 else "",
            _ratio(ours, row.fts5),
            _duration(row.rg.median) if row.rg else "",
            _ratio(ours, row.rg),
            _duration(row.grep.median) if row.grep else "",
            row.note,
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


# -- helpers ------------------------------------------------------------------------------


def once(seconds: float) -> Stats:
    return Stats((seconds,))


def link_copy(files: list[Path], root: Path, dest: Path) -> Path:
    """A hard-linked copy of ``files``: instant, and mutations by rename leave the corpus intact."""
    shutil.rmtree(dest, ignore_errors=True)
    made = set()
    for path in files:
        target = dest / path.relative_to(root)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.link(path, target)
    return dest


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def segments(index: Path) -> int:
    """Whoosh segment files: each one is searched separately, so fewer is faster."""
    return sum(1 for _ in index.rglob("*.seg"))


def probe(op: str, articles: Path, index: Path, *extra: str) -> dict:
    """Run ``probe.py`` in a fresh interpreter; raise with its stderr when it fails."""
    cmd = [sys.executable, str(HERE / "probe.py"), op, str(articles), str(index), *extra]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"probe {op} failed: {tail[0]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def reader_exe() -> str:
    """The venv's ``reader`` console script (what a user runs), else the one on PATH."""
    script = Path(sys.executable).with_name("reader")
    return str(script) if script.exists() else (shutil.which("reader") or "reader")


def reader_command(articles: Path, index: Path, query: str) -> list[str]:
    return [reader_exe(), "--articles", str(articles), "--index", str(index), "search", query, "--json"]


def corpus_name(size: int, seed: int) -> str:
    name = f"{size // 1000}k" if size % 1000 == 0 else str(size)
    return name if seed == 1 else f"{name}-seed{seed}"


def _peak(result: dict) -> str:
    """Peak RSS of a probe, and of its largest worker process when it had any."""
    text = f"{result['peak_rss_mb']:.0f} MB"
    if result.get("peak_child_rss_mb", 0) > 1:
        text += f" (largest worker {result['peak_child_rss_mb']:.0f} MB)"
    return text


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f} art/s" if seconds > 0 else ""


# -- measurements ------------------------------------------------------------------------


class Bench:
    """One run over one corpus; each ``measure_*`` returns table rows."""

    def __init__(self, args) -> None:
        self.args = args
        self.name = corpus_name(args.size, args.seed)
        self.corpus = HERE / "corpora" / self.name
        self.work = HERE / "work" / self.name
        # Other work on the machine skews timings; the report says how busy it was.
        self.load_at_start = load_average()

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def prepare(self) -> None:
        started = time.perf_counter()
        if generate(self.args.size, self.corpus, self.args.seed):
            self.log(f"generated {self.args.size} articles in {time.perf_counter() - started:.1f}s")
        self.files = article_files(self.corpus)
        self.work.mkdir(parents=True, exist_ok=True)
        self.sample_size = min(self.args.entities_sample, len(self.files))
        self.queries = load_queries(self.corpus, self.work / "queries.json", self.sample_size)
        self.log("queries: " + ", ".join(q.reader() for q in self.queries))
        self.articles = link_copy(self.files, self.corpus, self.work / "articles")
        self.index = self.work / "index"
        shutil.rmtree(self.index, ignore_errors=True)
        self.sample = self.work / f"sample-{self.sample_size}"
        self.sample_files = self.files[: self.sample_size]
        link_copy(self.sample_files, self.corpus, self.sample / "articles")

    # builds -------------------------------------------------------------------

    def measure_builds(self) -> list[Row]:
        n = len(self.files)
        self.log("building FTS5")
        self.fts5_db = self.work / "fts5.sqlite"
        fts = baselines.fts5_build(self.files, self.fts5_db)
        fts5_row = Row(f"FTS5 build, {n} articles", once(fts["seconds"]),
                       note=f"{rate(n, fts['seconds'])}, {fts['bytes'] / 2**20:.0f} MB on disk")
        self.sample_db = self.sample / "fts5.sqlite"
        baselines.fts5_build(self.sample_files, self.sample_db)

        self.log("building the Library index without entities")
        rows = []
        try:
            built = probe("build", self.articles, self.index)
            rows.append(Row(
                f"index build, no entities, {n} articles", once(built["seconds"]), fts5=fts5_row.ours,
                note=f"{rate(built['articles'], built['seconds'])}, peak RSS {_peak(built)}, "
                f"{folder_mb(self.index):.0f} MB on disk in {segments(self.index)} Whoosh segments, "
                f"{built['skipped']} skipped",
            ))
            self.library_ok = True
        except RuntimeError as error:
            rows.append(Row(f"index build, no entities, {n} articles", note=f"failed: {error}"))
            self.library_ok = False
        rows.append(fts5_row)

        m = self.sample_size
        self.sample_ok = False
        if self.args.skip_entities:
            rows.append(Row(f"index build, with entities, first {m} articles", note="skipped (--skip-entities)"))
        elif self.library_ok:
            self.log(f"building the Library index with entities on the first {m} articles")
            try:
                built = probe("build", self.sample / "articles", self.sample / "index", "--entities")
                rows.append(Row(
                    f"index build, with entities, first {m} articles", once(built["seconds"]),
                    note=f"{rate(built['articles'], built['seconds'])}, peak RSS {_peak(built)}, "
                    f"extractor {built['extractor'] or '?'}; at this rate {n} articles take "
                    f"{_duration(n * built['seconds'] / max(1, built['articles']))}",
                ))
                self.sample_ok = True
            except RuntimeError as error:
                rows.append(Row(f"index build, with entities, first {m} articles", note=f"failed: {error}"))
        return rows

    # searches -----------------------------------------------------------------

    def _target(self, query: Query) -> tuple[Path, Path, Path, str]:
        """(articles, index, FTS5 db, label suffix): entity queries run on the entity sample."""
        if query.entity:
            return self.sample / "articles", self.sample / "index", self.sample_db, f" [first {self.sample_size}]"
        return self.articles, self.index, self.fts5_db, ""

    def measure_searches(self) -> list[Row]:
        repeat = self.args.repeat
        usable = [q for q in self.queries if not q.entity or self.sample_ok]
        warm, rss_rows = {}, []
        for entity in (False, True):
            group = [q for q in usable if q.entity == entity]
            if not group or not self.library_ok:
                continue
            articles, index, _, suffix = self._target(group[0])
            spec = self.work / ("queries-entity.json" if entity else "queries-text.json")
            spec.write_text(json.dumps([q.reader() for q in group]))
            self.log(f"warm Library searches{suffix}")
            try:
                result = probe("search", articles, index, str(spec), "--repeat", str(repeat))
            except RuntimeError as error:
                rss_rows.append(Row(f"warm searches{suffix}", note=f"failed: {error}"))
                continue
            warm.update(result["queries"])
            if not entity:
                rss = result["rss_after_100_mb"]
                parts = f" ({rss['anon']:.0f} anonymous + {rss['file']:.0f} file-backed)" if "anon" in rss else ""
                rss_rows.append(Row(
                    "RSS with the index open after 100 queries",
                    note=f"{rss['total']:.0f} MB{parts}, peak {result['peak_rss_mb']:.0f} MB; "
                    f"first search in a fresh process {_duration(result['first_search'])}",
                ))

        rows: list[Row] = []
        for query in self.queries:
            articles, index, db, suffix = self._target(query)
            label = f"`{query.reader()}`{suffix}"
            if query.entity and not self.sample_ok:
                rows.append(Row(f"search {label}", note="skipped (no entity index)"))
                continue
            fts_snip = fts_bare = fts_count = None
            ours = warm.get(query.reader())
            counts = [f"ours {ours['total']}"] if ours else []
            match = query.fts5()
            if match:
                conn = baselines.fts5_connect(db)
                fts_snip = time_calls(lambda conn=conn, match=match: baselines.fts5_search(conn, match), repeat)
                fts_bare = time_calls(
                    lambda conn=conn, match=match: baselines.fts5_search(conn, match, snippets=False), repeat
                )
                fts_count = time_calls(lambda conn=conn, match=match: baselines.fts5_count(conn, match), max(3, repeat // 4))
                counts.append(f"FTS5 {baselines.fts5_count(conn, match)}")
                conn.close()
            else:
                counts.append("FTS5 has no equivalent")
            hits = "hits: " + ", ".join(counts)
            if ours and ours["fallback"]:
                hits += " (any-word fallback)"
            rows.append(Row(f"warm search {label}, snippets",
                            Stats(tuple(ours["snippets"])) if ours else None, fts5=fts_snip,
                            note=f"{query.name}, {query.note}; {hits}"))
            rows.append(Row(f"warm search {label}, no snippets",
                            Stats(tuple(ours["no_snippets"])) if ours else None, fts5=fts_bare))
            if ours and ours.get("count"):
                rows.append(Row(f"warm count {label}", Stats(tuple(ours["count"])), fts5=fts_count,
                                note="`Library.count` vs `SELECT count(*) ... MATCH`; "
                                     "the app asks for it after showing the hits"))
        return rss_rows + rows

    def measure_cold(self) -> list[Row]:
        """New processes per query: ``reader search`` vs FTS5 from Python vs rg vs grep."""
        repeat = self.args.cold_repeat
        have_rg = bool(shutil.which("rg"))
        floor, _ = time_command([reader_exe(), "--version"], repeat)
        rows = [Row("cold `reader --version` (start-up floor)", floor)]
        for query in self.queries:
            articles, index, db, suffix = self._target(query)
            if query.entity and not self.sample_ok:
                continue
            corpus = articles  # same bytes as the corpus (hard links), and the sample for entities
            self.log(f"cold: {query.reader()}{suffix}")
            fts = rg = grep = None
            rg_out = grep_out = ""
            if query.fts5():
                fts, _ = time_command(baselines.fts5_cold_command(db, query.fts5()), repeat)
            if query.grep():
                if have_rg:
                    rg, rg_out = time_command(baselines.grep_command("rg", query.grep(), corpus), repeat)
                grep, grep_out = time_command(baselines.grep_command("grep", query.grep(), corpus), max(1, repeat // 2))
            ours, note = None, ""
            if self.library_ok:
                ours, out = time_command(reader_command(articles, index, query.reader()), repeat)
                try:
                    note = f"ours {json.loads(out)['total']} hits, "
                except (ValueError, KeyError):
                    note = "ours: no JSON, "
            if query.grep():
                note += f"rg {len(rg_out.splitlines())} files, grep {len(grep_out.splitlines())} files"
            else:
                note += "no FTS5/rg/grep equivalent"
            rows.append(Row(f"cold `reader search {query.reader()}`{suffix}", ours, fts5=fts, rg=rg, grep=grep, note=note))
        return rows

    # syncs --------------------------------------------------------------------

    def measure_syncs(self) -> list[Row]:
        """Mutate the hard-linked copy (replace, never write in place) and sync after each change."""
        if not self.library_ok:
            return [Row("sync", note="skipped (no index)")]
        rows = []
        self.log("syncs")
        unchanged = [probe("sync", self.articles, self.index) for _ in range(3)]
        rows.append(Row("open the index (`len(library)`) in a fresh process",
                        Stats(tuple(r["open_seconds"] for r in unchanged))))
        rows.append(Row("`pending()`, nothing changed", Stats(tuple(r["pending_seconds"] for r in unchanged)),
                        note="stat walk the app can run at start-up"))
        rows.append(Row("sync, nothing changed", Stats(tuple(r["seconds"] for r in unchanged)),
                        note=f"{unchanged[-1]['unchanged']} unchanged"))

        linked = article_files(self.articles)
        step = max(1, len(linked) // MUTATIONS)
        world = build_world(self.args.seed)
        added_dir = self.articles / "added"
        added_dir.mkdir(exist_ok=True)
        for number in range(self.args.size, self.args.size + MUTATIONS):
            suffix, text = render_article(world, self.args.seed, number)
            (added_dir / f"{number:06d}_added{suffix}").write_text(text, encoding="utf-8")
        rows.append(self._sync_row(f"sync after adding {MUTATIONS} files", "added"))

        for path in linked[::step][:MUTATIONS]:
            temporary = path.with_suffix(path.suffix + ".tmp")
            temporary.write_text(path.read_text(encoding="utf-8") + "\nEditor's note: this article was updated.\n")
            os.replace(temporary, path)  # breaks the hard link; the corpus keeps the original
        rows.append(self._sync_row(f"sync after changing {MUTATIONS} files", "changed"))

        for path in linked[step // 2 :: step][:MUTATIONS]:
            path.unlink()
        rows.append(self._sync_row(f"sync after deleting {MUTATIONS} files", "removed"))
        return rows

    def _sync_row(self, what: str, key: str) -> Row:
        result = probe("sync", self.articles, self.index)
        return Row(what, once(result["seconds"]),
                   note=f"{result[key]} {key}; pending() saw {result['pending']} in {_duration(result['pending_seconds'])}")


def app_probe(op: str, articles: Path, index: Path, *extra: str, timeout: float = 300) -> dict:
    """Run ``app_probe.py`` in a fresh interpreter, bounded by ``timeout`` seconds."""
    cmd = [sys.executable, str(HERE / "app_probe.py"), op, str(articles), str(index), *extra]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"app_probe {op} took over {timeout:.0f} s") from None
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"app_probe {op} failed: {tail[0]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_app(articles: Path, index: Path, repeat: int, queries: list[Query] | None = None) -> list[Row]:
    """App rows: start to first paint (and RSS), keystroke to results, paging through the list.

    Each measurement runs in its own ``app_probe.py`` process with a time limit; a
    failure becomes that row's note and the others still run.
    """
    labels = ("app: start to first paint", "app: keystroke to results")
    spec = importlib.util.find_spec("reader.app")
    if spec is None or spec.origin is None:  # an empty folder is a namespace package
        return [Row(label, note="n/a (app not built yet)") for label in labels]
    rows: list[Row] = []
    runs = 5

    # a real process in a 120x40 pty: spawn -> the first article title in its output
    try:
        result = app_probe("paint", articles, index, "--runs", str(runs), "--timeout", "60", timeout=runs * 80)
        done = [r for r in result["runs"] if r["paint_seconds"] is not None]
        if not done:
            raise RuntimeError("no title seen within 60 s; output ended with " + repr(result["runs"][-1]["tail"][-80:]))
        failed = f", {len(result['runs']) - len(done)} runs saw no title in 60 s" if len(done) < len(result["runs"]) else ""
        rows.append(Row(
            "app: start to first paint (`python -m reader` in a 120x40 pty)",
            Stats(tuple(r["paint_seconds"] for r in done)),
            note=f"{len(done)} runs; spawn until one of the newest articles' titles is in the terminal output{failed}",
        ))
        last = done[-1]
        parts = ""
        if last.get("rss_anon_kb") is not None:
            parts = f" ({last['rss_anon_kb'] / 1024:.0f} anonymous + {last['rss_file_kb'] / 1024:.0f} file-backed)"
        peaks = [r["ru_maxrss_kb"] for r in done if r.get("ru_maxrss_kb")]
        rows.append(Row(
            "app: RSS with the index open",
            note=(
                f"VmRSS {last['vm_rss_kb'] / 1024:.0f} MB{parts} 2 s after first paint (start-up `pending()` "
                f"and searcher warm-up done); peak (ru_maxrss, until quit) {max(peaks) / 1024:.0f} MB"
                if last.get("vm_rss_kb")
                else "no RSS read"
            ),
        ))
    except (RuntimeError, ValueError, KeyError) as error:
        rows.append(Row("app: start to first paint", note=f"failed: {error}"))

    # headless Textual: as-you-type searches, one timing per keystroke that changes the query
    typed = []
    for name in ("common", "and2", "typo"):
        typed += [q.reader() for q in queries or () if q.name == name and not q.entity]
    typed = typed or ["president"]
    try:
        result = app_probe("keys", articles, index, *typed, timeout=300)
        pooled: list[float] = []
        for query in typed:
            timings = result["queries"][query]["timings"]
            pooled += timings
            rows.append(Row(f"app: keystroke to results, typing `{query}`", Stats(tuple(timings)),
                            note=f"{len(timings)} keystrokes that change the query"))
        rows.append(Row(
            "app: keystroke to results, all of the above", Stats(tuple(pooled)),
            note="headless run_test 120x40 via `measure_keystroke_to_results`: from the key to the end of the first "
            "frame rendered after the results reached the pane; a key every 200 ms, the count worker of the last "
            "query still running; the word being typed stands for its likeliest completion",
        ))
    except (RuntimeError, ValueError, KeyError) as error:
        rows.append(Row("app: keystroke to results", note=f"failed: {error}"))

    # headless Textual: page down through the article list
    pages = 50
    try:
        result = app_probe("pages", articles, index, "--pages", str(pages), timeout=300)
        per_page = (result["moved"] // max(1, len(result["cpu"])))
        rows.append(Row(
            "app: page down the article list, CPU per page", Stats(tuple(result["cpu"])),
            note=f"{pages} pagedowns from the top of {result['rows']:,} rows ({per_page} articles per page, "
            f"{result['row_height']} lines each); headless, so the frame is composed but not written to a terminal",
        ))
        rows.append(Row(
            "app: page down the article list, wall per page", Stats(tuple(result["timings"])),
            note="Pilot press + wait for idle: includes its 20 ms idle-polling sleeps (~100 ms floor)",
        ))
    except (RuntimeError, ValueError, KeyError) as error:
        rows.append(Row("app: page down the article list", note=f"failed: {error}"))
    return rows


# -- report -------------------------------------------------------------------------------


def _git(*args: str) -> str:
    result = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
    return result.stdout.strip()


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = []
    for package in ("whoosh-reloaded", "spacy"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:  # noqa: BLE001 - report what is there
            pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        + ", ".join(versions)
        + f"; {baselines.rg_provenance() or 'ripgrep not installed'}"
    )


def write_results(bench: Bench, table: str, started: float) -> None:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--", "src"):
        commit += " (with uncommitted changes in src/)"
    args = bench.args
    section = "\n".join([
        f"<!-- results:{bench.name} -->",
        f"## {args.size:,} articles ({bench.name}, seed {args.seed})",
        "",
        f"- date: {datetime.date.today().isoformat()}, commit {commit}, run took {time.perf_counter() - started:.0f} s",
        f"- machine: {machine()}; load average at start {bench.load_at_start}, at end {load_average()}",
        f"- command: `python benchmarks/run.py {' '.join(sys.argv[1:])}`",
        f"- warm searches: {args.repeat} runs per query after one warm-up, limit 10; cold: "
        f"{args.cold_repeat} fresh processes per query, page cache warm",
        "",
        table,
        "",
        f"<!-- /results:{bench.name} -->",
    ])
    intro = (
        "# Benchmark results\n\n"
        "Written by `benchmarks/run.py` (see `benchmarks/README.md`); one section per corpus size,\n"
        "replaced when that size is run again. Ratios are ours ÷ theirs (above 1× we are slower).\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else intro
    start, end = f"<!-- results:{bench.name} -->", f"<!-- /results:{bench.name} -->"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="articles in the corpus")
    parser.add_argument("--repeat", type=int, default=20, help="runs per warm query (default 20)")
    parser.add_argument("--cold-repeat", type=int, default=5, help="fresh processes per cold query (default 5)")
    parser.add_argument("--skip-entities", action="store_true", help="no with-entities build or entity queries")
    parser.add_argument("--entities-sample", type=int, default=2000, metavar="M",
                        help="measure the with-entities build on the first M articles (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    bench = Bench(args)
    bench.prepare()
    rows: list[Row] = []
    for section in (bench.measure_builds, bench.measure_searches, bench.measure_cold, bench.measure_syncs):
        try:
            rows += section()
        except RuntimeError as error:  # a probe failed (e.g. src/ mid-edit): keep the other sections
            name = section.__name__.removeprefix("measure_")
            bench.log(f"{name} failed: {error}")
            rows.append(Row(name, note=f"failed: {error}"))
    rows += measure_app(bench.articles, bench.index, args.repeat, bench.queries)
    table = render_table(rows)
    print(table)
    if not args.no_write:
        write_results(bench, table, started)
        bench.log(f"updated {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
