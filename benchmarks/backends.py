#!/usr/bin/env python3
"""The two search backends side by side: embedded Whoosh and a two-node OpenSearch cluster.

One run, one corpus, the same query mix (``queries.py``) and the same public API
(``reader.Library``; ``reader search`` in fresh processes) for both:

- index build without entities (OpenSearch: bulk requests), in articles per second;
- warm top-10 searches with highlights, p50 and p95 over every query of the mix;
- a new ``reader search QUERY`` process, p50 and p95.

The cluster is the tests' own (``tests/opensearch/cluster.py``: two nodes on
127.0.0.1, 512 MiB heap each), started and stopped here unless ``--url`` names
a running one. The section for this corpus size in ``benchmarks/RESULTS.md``
is replaced.

    python benchmarks/backends.py --size 20000 [--repeat 20] [--cold-repeat 5] [--no-write]
    python benchmarks/backends.py --articles articles                 # the five bundled samples
    python benchmarks/backends.py --articles /work/data/news/reuters20k --take 3000   # real newswire

``--articles`` measures an existing folder (its first ``--take`` files) instead of a generated
corpus; real corpora stay outside the repo (``benchmarks/newswire.py`` writes one under
/work/data/news). The last column is OpenSearch's figure over Whoosh's: the machine is shared,
so the ratio, taken in one run, is the trustworthy figure.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from generate import article_files, generate
from measure import Stats, time_calls, time_command
from queries import load_queries
from run import RESULTS, _git, corpus_name, link_copy, load_average, machine

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(REPO)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def _stats(stats: Stats) -> str:
    return f"{_ms(stats.median)} / {_ms(stats.p95)}"


def _pooled(groups: list[Stats]) -> Stats:
    return Stats(tuple(sample for group in groups for sample in group.samples))


def measure_backend(name: str, library, articles: Path, env: dict[str, str], queries, args) -> dict[str, str]:
    log(f"{name}: building the index")
    started = time.perf_counter()
    report = library.sync(entities=False)
    seconds = time.perf_counter() - started
    built = len(report.added)
    log(f"{name}: {built} articles in {seconds:.1f} s; warm searches")
    warm = [time_calls(lambda q=q: library.search(q.reader(), limit=10), args.repeat) for q in queries]
    log(f"{name}: new processes")
    command_env = {k: v for k, v in os.environ.items() if not k.startswith("READER_")}
    command_env.update(env, PYTHONPATH=str(REPO / "src"))
    cold = []
    for query in queries:
        command = [sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(library.index_dir)]
        stats, _out = time_command([*command, "search", query.reader(), "--json"], args.cold_repeat, env=command_env)
        cold.append(stats)
    return {
        "build": f"{built / seconds:,.{0 if built / seconds >= 10 else 2}f} art/s ({seconds:.1f} s)",
        "warm": _stats(_pooled(warm)),
        "cold": _stats(_pooled(cold)),
        "per_query": {q.label: _stats(w) for q, w in zip(queries, warm, strict=True)},
    }


def _ratio(whoosh: str, cluster: str) -> str:
    """The cluster's figure over Whoosh's (p50s; for the build, time per article)."""

    def first(cell: str) -> float:
        if "art/s" in cell:  # the build: its seconds, in parentheses
            return float(cell.split("(")[1].split()[0].replace(",", ""))
        number, unit = cell.split(" / ")[0].split()[:2]
        return float(number.replace(",", "")) * (1 / 1000 if unit == "ms" else 1)

    return f"{first(cluster) / first(whoosh):.1f}x" + (" the time" if "art/s" in whoosh else "")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--size", type=int, help="articles in the generated corpus")
    source.add_argument("--articles", type=Path, help="an existing articles folder instead")
    parser.add_argument("--take", type=int, default=0, help="with --articles: only its first N files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20, help="runs per warm query (default 20)")
    parser.add_argument("--cold-repeat", type=int, default=5, help="fresh processes per query (default 5)")
    parser.add_argument("--url", help="a running cluster (else the tests' two-node cluster is started)")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    args = parser.parse_args(argv)

    from tests.opensearch.cluster import missing_tools, running_cluster

    from reader import Library
    from reader.opensearch import OpenSearchConfig
    from reader.opensearch.store import OpenSearchStore

    started = time.perf_counter()
    load_at_start = load_average()
    if args.articles:
        corpus = args.articles.resolve()
        files = article_files(corpus)[: args.take or None]
        name = f"{corpus.name}-{len(files)}"
    else:
        name = corpus_name(args.size, args.seed)
        corpus = HERE / "corpora" / name
        if generate(args.size, corpus, args.seed):
            log(f"generated {args.size} articles")
        files = article_files(corpus)
    work = HERE / "work" / f"{name}-backends"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    articles = link_copy(files, corpus, work / "articles")
    queries = [q for q in load_queries(articles, work / "queries.json", 0) if not q.entity]

    with ExitStack() as stack:
        if args.url:
            urls: tuple[str, ...] = tuple(args.url.split(","))
        else:
            if problem := missing_tools():
                print(problem, file=sys.stderr)
                return 2
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reader-bench-cluster-")))
            log("starting the two-node cluster")
            cluster = stack.enter_context(running_cluster(home, nodes=2, basic_auth=None, first_port=None))
            urls = tuple(cluster.urls)
        prefix = f"bench-{name}-{os.getpid()}"
        config = OpenSearchConfig(urls=urls, prefix=prefix)
        env = {"READER_OPENSEARCH_URL": ",".join(urls), "READER_OPENSEARCH_INDEX": prefix}
        results = {}
        with Library(articles, work / "whoosh-index") as whoosh:
            results["Whoosh (embedded)"] = measure_backend("whoosh", whoosh, articles, {}, queries, args)
        cluster_library = Library(articles, work / "opensearch-user-state", backend=OpenSearchStore(config))
        with cluster_library:
            results["OpenSearch (2 nodes, 2 shards, 1 replica)"] = measure_backend(
                "opensearch", cluster_library, articles, env, queries, args
            )
        if args.url:  # leave a shared cluster as it was
            cleanup = OpenSearchStore(config)
            cleanup.client.indices.delete(index=f"{prefix}-*")
            cleanup.close()

    def row(what: str, key: str) -> str:
        cells = [str(r[key]) for r in results.values()]
        return f"| {what} | " + " | ".join(cells) + f" | {_ratio(*cells)} |"

    lines = ["| what | " + " | ".join(results) + " | OpenSearch / Whoosh |", "| --- |" + " --- |" * (len(results) + 1)]
    lines.append(row(f"index build, no entities, {len(files)} articles", "build"))
    lines.append(row("warm top-10 with highlights, p50 / p95 (all queries)", "warm"))
    lines.append(row("new process `reader search`, p50 / p95", "cold"))
    first = next(iter(results.values()))
    for label in first["per_query"]:
        cells = [r["per_query"][label] for r in results.values()]
        lines.append(f"| warm: {label.replace('|', '/')} | {' | '.join(cells)} | {_ratio(*cells)} |")
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        write_section(name, args, table, started, load_at_start)
    return 0


def write_section(name: str, args: argparse.Namespace, table: str, started: float, load_at_start: str) -> None:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    start, end = f"<!-- backends:{name} -->", f"<!-- /backends:{name} -->"
    section = "\n".join([
        start,
        f"## Whoosh and OpenSearch backends, {name}"
        + (f" ({args.articles})" if args.articles else f" ({args.size:,} generated articles, seed {args.seed})"),
        "",
        f"- date: {datetime.date.today().isoformat()}, commit {commit}, run took {time.perf_counter() - started:.0f} s",
        f"- machine: {machine()}; load average at start {load_at_start}, at end {load_average()}",
        f"- command: `python benchmarks/backends.py {' '.join(sys.argv[1:])}`",
        f"- warm: {args.repeat} runs per query after one warm-up, limit 10, snippets on; "
        f"new process: {args.cold_repeat} per query; the cluster runs on the same machine",
        "",
        table,
        "",
        end,
    ])
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
