#!/usr/bin/env python3
"""Ranking quality on judged collections: nDCG@10 and recall@100, the reader beside plain Whoosh BM25F.

    PYTHONPATH=src python benchmarks/relevance.py [--data /work/data/ir] [--collections med cacm]

The collections are classic SMART-format test collections (documents, natural
language queries of 5-30 words, relevance judgements), kept OUTSIDE the repo
(their text is never committed) under ``--data``:

    med/MED.ALL med/MED.QRY med/MED.REL                (Medline, 1,033 abstracts, 30 queries)
    cacm/cacm.all cacm/query.text cacm/qrels.text      (CACM, 3,204 titles/abstracts, 52 judged queries)

Public copies are on GitHub (for example the ``med/`` folder of
lailaglez/belief-network-irs, and kavinsan/Information-Retrieval-Project for
CACM). Cranfield and CISI are deliberately not used: they are kept back to
check the tuning done here.

Each collection is written once as Markdown articles (title in front matter)
under ``benchmarks/work/relevance/NAME/articles`` and indexed with
``Library.sync``. A query is typed as a user would: its words, lower-cased
(so "and"/"or"/"not" are words, not operators). The reference row is plain
Whoosh BM25F over title and body with its stemming analyzer, any word
(``OrGroup``), built fresh in the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

WORK = Path(__file__).resolve().parent / "work" / "relevance"
_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass
class Collection:
    name: str
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (title, body)
    queries: dict[str, str] = field(default_factory=dict)
    judged: dict[str, dict[str, int]] = field(default_factory=dict)  # query -> document -> grade


def _smart_records(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``.I n`` records of a SMART file as (n, {field letter: text})."""
    number, fields, current = "", {}, ""
    for line in path.read_text(encoding="latin-1").replace("\r", "").splitlines():
        if line.startswith(".I "):
            if number:
                yield number, fields
            number, fields, current = line[3:].strip(), {}, ""
        elif re.match(r"^\.[A-Z]$", line.rstrip()):
            current = line[1]
            fields.setdefault(current, "")
        elif current:
            fields[current] += line.strip() + "\n"
    if number:
        yield number, fields


def load_med(folder: Path) -> Collection:
    collection = Collection("med")
    for number, fields in _smart_records(folder / "MED.ALL"):
        text = fields.get("W", "").strip()
        first, _, rest = text.partition(" .\n")  # the first sentence is the article's title
        collection.documents[number] = (first.replace("\n", " "), rest.strip())
    for number, fields in _smart_records(folder / "MED.QRY"):
        collection.queries[number] = fields.get("W", "").strip()
    for line in (folder / "MED.REL").read_text().splitlines():
        parts = line.split()  # "query document 1" (some copies: "query 0 document 1")
        if len(parts) >= 3:
            collection.judged.setdefault(parts[0], {})[parts[-2]] = 1
    return collection


def load_cacm(folder: Path) -> Collection:
    collection = Collection("cacm")
    for number, fields in _smart_records(folder / "cacm.all"):
        collection.documents[number] = (fields.get("T", "").strip().replace("\n", " "), fields.get("W", "").strip())
    for number, fields in _smart_records(folder / "query.text"):
        collection.queries[number] = fields.get("W", "").strip()
    for line in (folder / "qrels.text").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2:
            collection.judged.setdefault(str(int(parts[0])), {})[str(int(parts[1]))] = 1
    return collection


LOADERS = {"med": load_med, "cacm": load_cacm}


def typed(query: str) -> str:
    """The query as a user would type it: its words, lower-cased."""
    return " ".join(word.lower() for word in _WORD.findall(query))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gain = sum((2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return gain / best if best else 0.0


def recall_at(ranked: list[str], grades: dict[str, int], k: int = 100) -> float:
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def score(collection: Collection, rankings: dict[str, list[str]]) -> tuple[float, float]:
    judged = [q for q in collection.queries if collection.judged.get(q)]
    ndcg = sum(ndcg_at(rankings.get(q, []), collection.judged[q]) for q in judged) / len(judged)
    recall = sum(recall_at(rankings.get(q, []), collection.judged[q]) for q in judged) / len(judged)
    return ndcg, recall


def write_articles(collection: Collection, folder: Path) -> None:
    if folder.exists() and len(list(folder.iterdir())) == len(collection.documents):
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number, (title, body) in collection.documents.items():
        front = f"---\ntitle: {json.dumps(title)}\n---\n\n"  # JSON strings are YAML strings
        (folder / f"{int(number):05d}.md").write_text(front + (body or title) + "\n", encoding="utf-8")


def reader_rankings(collection: Collection, work: Path, rebuild: bool) -> dict[str, list[str]]:
    from reader import Library, QueryError

    rankings: dict[str, list[str]] = {}
    with Library(work / "articles", work / "index") as library:
        library.sync(entities=False, rebuild=rebuild)
        for number, query in collection.queries.items():
            try:
                results = library.search(typed(query), limit=100, snippets=False, count=False)
            except QueryError:
                rankings[number] = []
                continue
            rankings[number] = [str(int(Path(hit.id).stem)) for hit in results.hits]
    return rankings


def whoosh_rankings(collection: Collection, work: Path) -> dict[str, list[str]]:
    """Plain Whoosh, out of the box: BM25F over title and body, any word."""
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = fields.Schema(
        id=fields.ID(stored=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
    )
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for number, (title, body) in collection.documents.items():
            writer.add_document(id=number, title=title, body=body)
    parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
    rankings = {}
    with index.searcher() as searcher:
        for number, query in collection.queries.items():
            hits = searcher.search(parser.parse(typed(query)), limit=100)
            rankings[number] = [hit["id"] for hit in hits]
    return rankings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/work/data/ir")
    parser.add_argument("--collections", nargs="+", default=sorted(LOADERS))
    parser.add_argument("--rebuild", action="store_true", help="re-index (after a schema or analysis change)")
    parser.add_argument("--no-whoosh", action="store_true", help="skip the plain-Whoosh reference row")
    args = parser.parse_args()

    print(f"{'collection':<10} {'engine':<14} {'queries':>7} {'nDCG@10':>8} {'R@100':>7}")
    for name in args.collections:
        folder = Path(args.data) / name
        if not folder.is_dir():
            print(f"{name}: no data in {folder} (see this script's docstring)", file=sys.stderr)
            return 2
        collection = LOADERS[name](folder)
        judged = sum(1 for q in collection.queries if collection.judged.get(q))
        work = WORK / name
        write_articles(collection, work / "articles")
        rows = [("reader", reader_rankings(collection, work, args.rebuild))]
        if not args.no_whoosh:
            rows.append(("whoosh BM25F", whoosh_rankings(collection, work)))
        for engine, rankings in rows:
            ndcg, recall = score(collection, rankings)
            print(f"{name:<10} {engine:<14} {judged:>7} {ndcg:>8.3f} {recall:>7.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
