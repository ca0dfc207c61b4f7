#!/usr/bin/env python3
"""Search speed on one corpus: the reader beside SQLite FTS5 and ripgrep, in one run, over the same files.

The search side of issue 17. One command per corpus; it builds what is missing
(the reader's index without entities, an FTS5 table), then measures:

- warm top-10 with snippets per query (``Library.search(count=False)``) beside
  FTS5 ``ORDER BY rank LIMIT 10`` with ``snippet()``, and the same with the
  total (``count=True``) beside FTS5 plus ``count(*)``; timings interleaved
  query by query in one fresh process, so load on the machine hits both alike;
  the query cache is cleared before each timed call (a repeated query is
  timed apart, as "cached");
- new-process ``reader search Q`` beside ``rg -ilw`` over the same files,
  interleaved, for every single word and one query of each other class (two and
  three words, a phrase, a prefix, a field), with reader's bytecode compiled once
  as after ``pip install``;
- p50/p95 per query, per class and pooled, each the median of ``--runs``
  fresh processes, with the load average beside each figure.

    PYTHONPATH=src python benchmarks/search_speed.py --corpus /work/data/news/CORPUS   # real newswire
    PYTHONPATH=src python benchmarks/search_speed.py --synthetic 20000                  # generate.py's corpus
    PYTHONPATH=src python benchmarks/search_speed.py --corpus DIR --profile 'stock market'   # where the time goes
    PYTHONPATH=src python benchmarks/search_speed.py --corpus DIR --importtime                # cold start imports
    PYTHONPATH=src python benchmarks/search_speed.py --corpus DIR --cold-only                 # new processes beside rg

It prints the table and replaces that corpus's section of ``RESULTS.md``
(``--no-write`` leaves it alone). Indexes and the FTS5 table go to the
git-ignored ``benchmarks/work/search-NAME/``; the corpus is only read.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import baselines
from generate import article_files, generate
from measure import Stats, run_command
from queries import Query, choose_queries

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"

#: The issue's slow and typical queries, kept when the corpus has them (FTS5 finds them).
ISSUE_QUERIES = (
    Query("rare", "word", ("hacker",)),
    Query("rare", "word", ("palladium",)),
    Query("and2", "and", ("stock", "market")),
    Query("and2", "and", ("central", "bank")),
    Query("and2", "and", ("interest", "rates")),
    Query("and3", "and", ("central", "bank", "rates")),
    Query("and3", "and", ("stock", "market", "prices")),
    Query("phrase", "phrase", ("stock", "exchange")),
    Query("phrase", "phrase", ("federal", "reserve")),
    Query("phrase", "phrase", ("interest", "rates")),
    Query("prefix", "prefix", ("petro",)),
    Query("field", "field", ("oil",), field="title"),
)
CLASSES = ("word", "and2", "and3", "phrase", "prefix", "field")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {load_average()}] {message}", file=sys.stderr, flush=True)


def query_class(query: Query) -> str:
    if query.kind == "and":
        return "and3" if len(query.terms) >= 3 else "and2"
    return query.kind


#: The reader measured: this checkout's ``src`` unless ``--src`` names another (main, for "before").
SOURCE = [REPO / "src"]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SOURCE[0])
    return env


def cold_env() -> dict[str, str]:
    """A new process as a user's is after ``pip install``, which compiles reader's bytecode once.

    Without this, ``PYTHONDONTWRITEBYTECODE`` (set in some shells and CI) makes every
    ``python -m reader`` from ``src`` compile each of reader's modules again: ~70 ms of
    a cold search at 20k articles that no installed reader pays. The bytecode goes to
    the git-ignored ``benchmarks/work/pycache``, not into ``src``.
    """
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(HERE / "work" / "pycache")
    return env


def uncached(library):
    """A function that empties the Library's results cache (nothing, for a reader without one)."""
    try:
        from reader.index.searching import forget_results
    except ImportError:
        return lambda: None
    return lambda: forget_results(library.store)


def rg_exe() -> str | None:
    beside = Path(sys.executable).with_name("rg")
    return str(beside) if beside.exists() else shutil.which("rg")


def corpus_key(folder: Path) -> str:
    """The work folder's name for a corpus: one index and one FTS5 table per corpus, whatever the run is called."""
    if folder.parent == HERE / "corpora":
        return f"synthetic-{folder.name}"
    return folder.name


# -- the corpus, the indexes, the mix --------------------------------------------------


class Corpus:
    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.files = article_files(folder)
        self.work = HERE / "work" / f"search-{corpus_key(folder)}"
        self.work.mkdir(parents=True, exist_ok=True)
        self.index = self.work / "index"
        self.fts5 = self.work / "fts5.sqlite"

    def build(self, rebuild: bool) -> dict:
        """Bring the reader's index up to date (a rebuild when the schema moved on) and FTS5 when missing."""
        built = {}
        if rebuild or not self.fts5.exists():
            log(f"building FTS5 over {len(self.files)} files")
            built["fts5"] = baselines.fts5_build(self.files, self.fts5)
        log("syncing the reader's index (no entities)")
        out = self._child("sync", "--rebuild" if rebuild else "")
        built["reader"] = out
        return built

    def _child(self, op: str, *extra: str) -> dict:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", op, str(self.folder), str(self.index)]
        cmd += [e for e in extra if e]
        result = subprocess.run(cmd, capture_output=True, text=True, env=child_env())
        if result.returncode != 0:
            raise RuntimeError(f"{op} failed: {result.stderr.strip()[-2000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def mix(self) -> list[Query]:
        """The issue's queries the corpus has, then the generic mix picked by frequency (queries.py)."""
        cache = self.work / "mix.json"
        key = [len(self.files), str(self.folder)]
        if cache.exists():
            saved = json.loads(cache.read_text())
            if saved["key"] == key:
                return [Query(**{**q, "terms": tuple(q["terms"])}) for q in saved["queries"]]
        conn = baselines.fts5_connect(self.fts5)
        chosen = [q for q in ISSUE_QUERIES if baselines.fts5_count(conn, q.fts5() or "") > 0]
        conn.close()
        generic = [q for q in choose_queries(self.folder, 0) if q.kind != "fuzzy" and not q.entity]
        seen = {q.reader() for q in chosen}
        chosen += [q for q in generic if q.reader() not in seen]
        cache.write_text(json.dumps({"key": key, "queries": [q.__dict__ | {"terms": list(q.terms)} for q in chosen]}))
        return chosen


# -- child processes: what runs with the reader imported ---------------------------------


def child_sync(articles: str, index: str, rebuild: bool) -> dict:
    from reader import Library

    with Library(articles, index) as library:
        started = time.perf_counter()
        report = library.sync(entities=False, rebuild=rebuild)
        return {"seconds": time.perf_counter() - started, "added": len(report.added), "articles": len(library)}


def child_warm(articles: str, index: str, db: str, spec: str, repeat: int) -> dict:
    """Per query: reader uncounted, reader counted, FTS5 top 10, FTS5 top 10 + count(*), interleaved."""
    from reader import Library

    queries = json.loads(Path(spec).read_text())
    conn = baselines.fts5_connect(Path(db))
    out: dict[str, dict] = {}
    with Library(articles, index) as library:
        clear = uncached(library)
        for query in queries:  # warm-up, and the hit counts
            found = library.search(query["reader"])
            fts = baselines.fts5_count(conn, query["fts5"])
            baselines.fts5_search(conn, query["fts5"])
            out[query["reader"]] = {
                "total": found.total, "counted": found.counted, "fallback": found.fallback, "fts5_total": fts,
                "reader": [], "reader_counted": [], "fts5": [], "fts5_counted": [], "cached": [],
            }
        for _round in range(repeat):
            for query in queries:
                times = out[query["reader"]]
                clear()
                started = time.perf_counter()
                library.search(query["reader"], count=False)
                times["reader"].append(time.perf_counter() - started)
                started = time.perf_counter()
                library.search(query["reader"], count=False)  # asked again: the cache (when there is one)
                times["cached"].append(time.perf_counter() - started)
                clear()
                started = time.perf_counter()
                library.search(query["reader"])
                times["reader_counted"].append(time.perf_counter() - started)
                started = time.perf_counter()
                baselines.fts5_search(conn, query["fts5"])
                times["fts5"].append(time.perf_counter() - started)
                started = time.perf_counter()
                baselines.fts5_search(conn, query["fts5"])
                baselines.fts5_count(conn, query["fts5"])
                times["fts5_counted"].append(time.perf_counter() - started)
    conn.close()
    return {"queries": out}


def child_profile(articles: str, index: str, text: str, repeat: int, count: bool) -> None:
    import cProfile
    import pstats

    from reader import Library

    with Library(articles, index) as library:
        clear = uncached(library)
        library.search(text, count=count)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(repeat):
            clear()
            library.search(text, count=count)
        profile.disable()
    pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    print(json.dumps({}))


def run_child(argv: list[str]) -> int:
    op, articles, index, *rest = argv
    if op == "sync":
        result = child_sync(articles, index, "--rebuild" in rest)
    elif op == "warm":
        result = child_warm(articles, index, rest[0], rest[1], int(rest[2]))
    elif op == "profile":
        child_profile(articles, index, rest[0], int(rest[1]), rest[2] == "count")
        return 0
    else:
        raise SystemExit(f"unknown child op {op}")
    print(json.dumps(result))
    return 0


# -- measuring -----------------------------------------------------------------------


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    return Stats(tuple(samples)).p95


def measure_warm(corpus: Corpus, queries: list[Query], runs: int, repeat: int) -> dict:
    spec = corpus.work / "warm-queries.json"
    spec.write_text(json.dumps([{"reader": q.reader(), "fts5": q.fts5()} for q in queries]))
    results = []
    for run in range(runs):
        load = load_average()
        log(f"warm run {run + 1}/{runs}")
        result = corpus._child("warm", str(corpus.fts5), str(spec), str(repeat))
        result["load"] = load
        results.append(result)
    return {"runs": results}


def warm_rows(queries: list[Query], warm: dict) -> tuple[list[str], list[str]]:
    """(per-query table lines, summary lines): every figure the median over runs."""
    runs = warm["runs"]
    loads = ", ".join(r["load"].split()[0] for r in runs)

    def over_runs(query: str, name: str, stat) -> float:
        return statistics.median(stat(r["queries"][query][name]) for r in runs)

    lines = [
        "| class | query | reader p50 / p95 | FTS5 p50 / p95 | ×FTS5 p95 | counted p50 / p95 | FTS5+count p95 "
        "| ×FTS5 p95 | cached p50 | hits (reader / FTS5) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for query in queries:
        text = query.reader()
        r50, r95 = over_runs(text, "reader", p50), over_runs(text, "reader", p95)
        f50, f95 = over_runs(text, "fts5", p50), over_runs(text, "fts5", p95)
        c50, c95 = over_runs(text, "reader_counted", p50), over_runs(text, "reader_counted", p95)
        fc95 = over_runs(text, "fts5_counted", p95)
        cached = over_runs(text, "cached", p50)
        first = runs[0]["queries"][text]
        total = f"{first['total']:,}" + ("" if first["counted"] else "+") + (" (any word)" if first["fallback"] else "")
        lines.append(
            f"| {query_class(query)} | `{text}` | {ms(r50)} / {ms(r95)} | {ms(f50)} / {ms(f95)} | {r95 / f95:.1f}× "
            f"| {ms(c50)} / {ms(c95)} | {ms(fc95)} | {c95 / fc95:.1f}× | {ms(cached)} | {total} / {first['fts5_total']:,} |"
        )

    def pooled(names: list[str], name: str, stat) -> float:
        return statistics.median(stat([s for q in names for s in r["queries"][q][name]]) for r in runs)

    summary = [
        "| pooled over | reader p50 / p95 | FTS5 p50 / p95 | ×FTS5 p95 | counted p50 / p95 | FTS5+count p95 | ×FTS5 p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    groups = [("every query", [q.reader() for q in queries])]
    groups += [(name, [q.reader() for q in queries if query_class(q) == name]) for name in CLASSES]
    for label, names in groups:
        if not names:
            continue
        r50, r95 = pooled(names, "reader", p50), pooled(names, "reader", p95)
        f50, f95 = pooled(names, "fts5", p50), pooled(names, "fts5", p95)
        c50, c95 = pooled(names, "reader_counted", p50), pooled(names, "reader_counted", p95)
        fc95 = pooled(names, "fts5_counted", p95)
        summary.append(
            f"| {label} ({len(names)}) | {ms(r50)} / {ms(r95)} | {ms(f50)} / {ms(f95)} | **{r95 / f95:.1f}×** "
            f"| {ms(c50)} / {ms(c95)} | {ms(fc95)} | **{c95 / fc95:.1f}×** |"
        )
    summary.append(f"\nLoad average (1 min) at the start of each warm run: {loads}.")
    return lines, summary


def measure_cold(corpus: Corpus, queries: list[Query], repeat: int) -> list[str]:
    """New processes, interleaved: ``reader search Q`` (its default output, counted) beside ``rg -ilw``."""
    rg = rg_exe()
    reader = [sys.executable, "-m", "reader", "--articles", str(corpus.folder), "--index", str(corpus.index), "search"]
    env = cold_env()
    lines = [
        "| query | `reader search` p50 / p95 | `rg -ilw` p50 / p95 | ×rg p50 | load | hits (reader / rg files) |",
        "|---|---|---|---|---|---|",
    ]
    floor: list[float] = []
    for query in queries:
        patterns = query.grep()
        rg_cmd = baselines.grep_command("rg", patterns, corpus.folder) if rg and patterns else None
        if isinstance(rg_cmd, list):
            rg_cmd[0] = rg
        elif isinstance(rg_cmd, str):
            rg_cmd = rg_cmd.replace("rg ", f"{rg} ")
        ours: list[float] = []
        theirs: list[float] = []
        load = load_average().split()[0]
        log(f"cold {query.reader()}")
        run_command(reader + [query.reader(), "--json"], env=env)  # page cache warm for both, bytecode compiled
        files = run_command(rg_cmd)[1].stdout if rg_cmd else ""
        hits = "?"
        for _ in range(repeat):
            seconds, result = run_command(reader + [query.reader()], env=env)
            ours.append(seconds)
            if rg_cmd:
                theirs.append(run_command(rg_cmd)[0])
            if not floor or len(floor) < repeat:
                floor.append(run_command([sys.executable, "-c", "pass"], env=env)[0])
        first_line = result.stdout.splitlines()[:3]
        hits = next((line.split()[0] for line in first_line if "result" in line), "?")
        ratio = f"{p50(ours) / p50(theirs):.2f}×" if theirs else ""
        rg_cell = f"{ms(p50(theirs))} / {ms(p95(theirs))}" if theirs else "n/a"
        lines.append(
            f"| `{query.reader()}` | {ms(p50(ours))} / {ms(p95(ours))} | {rg_cell} | {ratio} | {load} "
            f"| {hits} / {len(files.splitlines()) if rg_cmd else ''} |"
        )
    lines.append(f"\nPython start-up alone (`python -c pass`): {ms(p50(floor))}. reader's bytecode compiled once and "
                 "reused, as after `pip install` (`PYTHONDONTWRITEBYTECODE` unset for these runs).")
    return lines


def cold_mix(queries: list[Query]) -> list[Query]:
    """Every single word (rare to common), then the first query of each other class:
    two and three words, a phrase, a prefix, a field."""
    chosen = [q for q in queries if q.kind == "word"]
    classes = {"word"}
    for query in queries:
        if query_class(query) not in classes:
            classes.add(query_class(query))
            chosen.append(query)
    return chosen


def importtime(corpus: Corpus, word: str) -> list[str]:
    """What ``reader search WORD`` imports, by top-level package, cumulative microseconds (``-X importtime``)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "reader", "--articles", str(corpus.folder),
           "--index", str(corpus.index), "search", word]
    runs = []
    subprocess.run(cmd, capture_output=True, env=cold_env())  # bytecode compiled, as installed
    for _ in range(3):
        result = subprocess.run(cmd, capture_output=True, text=True, env=cold_env())
        packages: Counter[str] = Counter()
        for line in result.stderr.splitlines():
            if not line.startswith("import time:") or "|" not in line:
                continue
            _self, cumulative, raw = line[len("import time:"):].split("|")
            name = raw.strip()
            if not cumulative.strip().isdigit():
                continue
            if len(raw) - len(raw.lstrip()) == 1:  # a top-level import (nested ones are indented more)
                packages[name.split(".")[0]] += int(cumulative)
        runs.append(packages)
    names = {name for run in runs for name in run}
    median = {name: statistics.median(run.get(name, 0) for run in runs) for name in names}
    top = sorted(median.items(), key=lambda item: -item[1])[:15]
    return [f"- `{name}` {micro / 1000:.1f} ms" for name, micro in top] + [
        f"- all imports: {sum(median.values()) / 1000:.0f} ms"
    ]


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"


# -- the report ------------------------------------------------------------------------


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- search:{name} -->", f"<!-- /search:{name} -->"
    section = f"{start}\n{body.rstrip()}\n{end}"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def git(*args: str, repo: Path = REPO) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True).stdout.strip()


def git_of(src: Path) -> str:
    return git("rev-parse", "--short", "HEAD", repo=src)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return run_child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--corpus", type=Path, help="a folder of articles (.txt/.md), e.g. the real newswire")
    where.add_argument("--synthetic", type=int, metavar="N", help="generate.py's N-article corpus (seed 1)")
    parser.add_argument("--name", help="the section name in RESULTS.md (default: the folder's name)")
    parser.add_argument("--runs", type=int, default=3, help="fresh warm processes; figures are their medians")
    parser.add_argument("--repeat", type=int, default=10, help="timed calls per query per warm process")
    parser.add_argument("--cold-repeat", type=int, default=7, help="new processes per cold query")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the reader index and FTS5 table")
    parser.add_argument("--src", type=Path, help="measure the reader in this src folder (e.g. /work/main/src, 'before')")
    parser.add_argument("--index", type=Path, help="the reader index to use (default: benchmarks/work/search-NAME/index)")
    parser.add_argument("--profile", metavar="QUERY", help="cProfile warm searches of QUERY and stop")
    parser.add_argument("--counted", action="store_true", help="with --profile: count every match")
    parser.add_argument("--importtime", action="store_true", help="only the imports of a cold `reader search`")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the new-process rows and the imports, printed (RESULTS.md left alone)")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md alone")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.synthetic:
        folder = HERE / "corpora" / f"{args.synthetic // 1000}k"
        generate(args.synthetic, folder, 1)
        name = args.name or f"synthetic-{folder.name}"
    else:
        folder = args.corpus.resolve()
        name = args.name or folder.name
    if args.src:
        SOURCE[0] = args.src.resolve()
    corpus = Corpus(folder, name)
    if args.index:
        corpus.index = args.index.resolve()
    load_start = load_average()
    built = corpus.build(args.rebuild)
    if args.profile:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "profile", str(folder),
                        str(corpus.index), args.profile, "20", "count" if args.counted else "top"], env=child_env())
        return 0
    words = [q.terms[0] for q in corpus.mix() if q.kind == "word"]
    if args.importtime:
        print("\n".join(importtime(corpus, words[-1])))
        return 0
    queries = corpus.mix()
    if args.cold_only:
        cold = measure_cold(corpus, cold_mix(queries), args.cold_repeat)
        print("\n".join([f"- command: `PYTHONPATH=src python benchmarks/search_speed.py {' '.join(argv)}`",
                         f"- load average at start {load_start}, at end {load_average()} (2 cores, shared)", "",
                         *cold, "", *importtime(corpus, words[-1])]))
        return 0
    log("queries: " + ", ".join(q.reader() for q in queries))
    warm = measure_warm(corpus, queries, args.runs, args.repeat)
    per_query, summary = warm_rows(queries, warm)
    cold = [] if args.skip_cold else measure_cold(corpus, cold_mix(queries), args.cold_repeat)
    imports = importtime(corpus, words[-1])
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--", "src") else ""
    commit = git("rev-parse", "--short", "HEAD") + dirty
    if args.src:
        commit = f"the reader in {SOURCE[0]} ({git_of(SOURCE[0])})"
    command = "PYTHONPATH=src python benchmarks/search_speed.py " + " ".join(argv)
    rebuilt = built["reader"]
    body = "\n".join([
        f"## Search: {name} ({len(corpus.files):,} articles)",
        "",
        f"- date {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"run took {time.perf_counter() - started:.0f} s",
        f"- command: `{command}`",
        f"- load average at start {load_start}, at end {load_average()} (2 cores, shared)",
        f"- warm: {args.runs} fresh processes × {args.repeat} calls per query, interleaved with FTS5; each figure is "
        "the median over the processes; the query cache cleared before each timed reader call",
        f"- index sync before measuring: {rebuilt['seconds']:.1f} s, {rebuilt['added']} added, {rebuilt['articles']:,} articles",
        "",
        "### Warm, pooled",
        "",
        *summary,
        "",
        "### Warm, per query",
        "",
        *per_query,
        "",
        *(["### New process: `reader search` beside ripgrep", "", *cold, ""] if cold else []),
        f"### What a cold `reader search {words[-1]}` imports (median of 3, `python -X importtime`)",
        "",
        *imports,
    ])
    print(body)
    if not args.no_write:
        write_section(name, body)
        log(f"updated {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
