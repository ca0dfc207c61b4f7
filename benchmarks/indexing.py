#!/usr/bin/env python3
"""Indexing speed on a corpus of article files: build rate, two phases, no-change sync, size.

Each figure comes from a fresh process (the Library's public API only), run
several times; the table gives medians, the load average beside each figure
(``os.getloadavg()`` when it was taken: the machine may be shared), the CPU
seconds used (user + system, worker processes included: on a loaded machine
the wall clock mostly measures the other processes), and ratios of CPU
seconds taken in the same run, against SQLite FTS5 (porter unicode61) building over
the same files and, with ``--compare-src``, against another source tree (say
the main branch) built right after ours.

    python benchmarks/indexing.py --corpus /work/data/news/reuters20k --runs 3
    python benchmarks/indexing.py --corpus /work/data/news/reuters20k --runs 3 --compare-src /work/main/src
    python benchmarks/indexing.py --corpus /work/data/synth1m/corpus --runs 1 --entities-sample 0 --app

The real newswire corpus comes from ``benchmarks/newswire.py`` and the
synthetic one from ``benchmarks/generate.py``; both live outside the repo.
Indexes go to ``--work`` (default ``benchmarks/work/indexing``, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))

import baselines  # noqa: E402 - after the path is set

#: Runs in a fresh interpreter: one Library operation, one JSON line on stdout.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from reader import Library
op, articles, index = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
started = time.perf_counter()
with Library(articles, index) as library:
    if op == "build":
        report = library.sync(rebuild=True, entities=False)
        out["seconds"] = time.perf_counter() - started
        out["articles"] = len(library)
    elif op == "two-phase":
        report = library.sync(rebuild=True, entities=False)
        out["searchable"] = time.perf_counter() - started
        out["articles"] = len(library)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        out["cpu_searchable"] = usage.ru_utime + usage.ru_stime
        if hasattr(library, "extract_entities"):
            entities = library.extract_entities()
            out["entities"] = entities.seconds
            out["extracted"] = entities.extracted
            out["extractor"] = entities.extractor
        else:  # an older tree: entities in the same pass
            report = library.sync(rebuild=True, entities=True)
            out["entities"] = report.seconds
            out["extracted"] = len(report.added)
            out["extractor"] = report.entity_extractor
            out["one_pass"] = True
    elif op == "sync":
        report = library.sync(entities=False)
        out["seconds"] = time.perf_counter() - started
        out["changed"] = len(report.added) + len(report.changed) + len(report.removed)
    elif op == "open":
        library.search("market", limit=10)
        out["seconds"] = time.perf_counter() - started
own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
out["cpu"] = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
out["peak_rss_mb"] = own.ru_maxrss / 1024
print(json.dumps(out))
"""


def load() -> float:
    return os.getloadavg()[0]


def child(src: Path, op: str, articles: Path, index: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, op, str(articles), str(index)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{op} failed: {result.stderr.strip().splitlines()[-1:]}")
    data: dict = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def segments(index: Path) -> int:
    return sum(1 for p in (index / "search").glob("*.seg"))


def article_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md", ".html", ".htm") and p.is_file())


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare-src", type=Path, help="another source tree to build in the same run")
    parser.add_argument("--entities-sample", type=int, default=2000, help="articles for the two-phase rows (0: skip)")
    parser.add_argument("--no-fts5", action="store_true", help="skip the FTS5 baseline (a million files)")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "indexing")
    args = parser.parse_args(argv)

    files = article_files(args.corpus)
    n = len(files)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    trees = {"reader": SRC}
    if args.compare_src:
        trees["compare"] = args.compare_src
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    say(f"{n} articles in {args.corpus}; {args.runs} runs")

    builds: dict[str, list[tuple[float, float, float]]] = {name: [] for name in trees}  # (wall, cpu, load)
    fts5: list[tuple[float, float, float]] = []
    sizes: dict[str, tuple[float, int, float]] = {}
    for run in range(args.runs):
        if not args.no_fts5:
            at, cpu = load(), time.process_time()
            fts = baselines.fts5_build(files, work / "fts5.sqlite")
            fts5.append((fts["seconds"], time.process_time() - cpu, at))
            say(f"run {run + 1}: FTS5 {fts['seconds']:.1f} s, cpu {fts5[-1][1]:.1f} s (load {at:.1f})")
        for name, src in trees.items():
            index = work / f"index-{name}"
            shutil.rmtree(index, ignore_errors=True)
            at = load()
            built = child(src, "build", args.corpus, index)
            builds[name].append((built["seconds"], built["cpu"], at))
            sizes[name] = (folder_mb(index), segments(index), built["peak_rss_mb"])
            say(f"run {run + 1}: {name} {built['seconds']:.1f} s, cpu {built['cpu']:.1f} s (load {at:.1f})")

    def per_run_ratio(ours: list[tuple[float, float, float]], theirs: list[tuple[float, float, float]]) -> str:
        ratios = [a[1] / b[1] for a, b in zip(ours, theirs, strict=False) if b[1] > 0]
        return f"{median(ratios):.2f}×" if ratios else ""

    rows = [
        "| what | wall (median) | CPU s (median) | articles per CPU s | load (1 min) | ×FTS5 (CPU, per run) | note |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    if fts5:
        wall, cpu, at = (median([x[i] for x in fts5]) for i in range(3))
        mb = (work / "fts5.sqlite").stat().st_size / 2**20
        rows.append(f"| FTS5 build, {n} articles | {wall:.1f} s | {cpu:.1f} | {n / cpu:,.0f} | {at:.1f} | 1× | {mb:.0f} MB |")
    for name in trees:
        wall, cpu, at = (median([x[i] for x in builds[name]]) for i in range(3))
        mb, segs, rss = sizes[name]
        label = "reader index --no-entities" if name == "reader" else f"same, {args.compare_src}"
        note = f"{mb:.0f} MB in {segs} segments, peak RSS {rss:.0f} MB"
        if name != "reader":
            note += f"; ours ÷ this tree (CPU, per run): {per_run_ratio(builds['reader'], builds[name])}"
        rows.append(
            f"| {label}, {n} articles | {wall:.1f} s | {cpu:.1f} | {n / cpu:,.0f} | {at:.1f} |"
            f" {per_run_ratio(builds[name], fts5)} | {note} |"
        )

    # no-change sync and first search in a new process, on our index
    index = work / "index-reader"
    syncs = []
    for _ in range(max(1, args.runs)):
        at = load()
        synced = child(SRC, "sync", args.corpus, index)
        syncs.append((synced["seconds"], synced["cpu"], at))
    opened = child(SRC, "open", args.corpus, index)
    wall, cpu, at = (median([x[i] for x in syncs]) for i in range(3))
    rows.append(f"| no-change sync, {n} articles | {wall:.2f} s | {cpu:.2f} | | {at:.1f} | | |")
    rss = opened["peak_rss_mb"]
    rows.append(
        f"| open + first search, new process | {opened['seconds']:.2f} s | {opened['cpu']:.2f} | | {load():.1f} | |"
        f" peak RSS {rss:.0f} MB |"
    )

    if args.entities_sample:
        sample = work / "sample"
        shutil.rmtree(sample, ignore_errors=True)
        for number, path in enumerate(files[: args.entities_sample]):
            target = sample / "articles" / f"{number // 1000:04d}" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
        m = min(n, args.entities_sample)
        for name, src in trees.items():
            at = load()
            two = child(src, "two-phase", sample / "articles", sample / f"index-{name}")
            label = "reader index (two phases)" if name == "reader" else f"same, {args.compare_src}"
            entity_cpu = two["cpu"] - two.get("cpu_searchable", 0.0)
            if two.get("one_pass"):
                rows.append(
                    f"| {label}, first {m} articles | searchable only after {two['entities']:.1f} s | {two['cpu']:.1f} |"
                    f" {m / two['cpu']:,.0f} | {at:.1f} | | one pass (text and entities), {two['extractor']} |"
                )
            else:
                rate = two["extracted"] / two["entities"] if two["entities"] else 0.0
                per_cpu = two["extracted"] / entity_cpu if entity_cpu > 0 else 0.0
                rows.append(
                    f"| {label}, first {m} articles | searchable after {two['searchable']:.1f} s,"
                    f" entities after {two['searchable'] + two['entities']:.1f} s"
                    f" | {two['cpu_searchable']:.1f} + {entity_cpu:.1f} | {m / two['cpu_searchable']:,.0f} then {per_cpu:,.0f}"
                    f" | {at:.1f} | | entity phase {rate:,.0f} articles/s wall on {os.cpu_count()} cores, {two['extractor']} |"
                )
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
