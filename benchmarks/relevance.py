#!/usr/bin/env python3
"""Ranking quality on judged collections: nDCG@10 and recall@100, the reader beside plain Whoosh BM25F.

    PYTHONPATH=src python benchmarks/relevance.py [--data /work/data/ir] [--collections med cacm lisa ...]

The collections are public judged test collections (documents, queries,
relevance judgements), kept OUTSIDE the repo (their text is never committed)
under ``--data``, one folder each:

    med/MED.ALL med/MED.QRY med/MED.REL                (Medline, 1,033 abstracts, 30 questions of 5-30 words)
    cacm/cacm.all cacm/query.text cacm/qrels.text      (CACM, 3,204 titles/abstracts, 52 judged questions)
    lisa/LISA0.001 ... LISA5.850, LISA.QUE, LISARJ.NUM (LISA, 6,004 library-science abstracts, 35 long requests)
    nfcorpus/test.docs test.3-2-1.qrel test.titles.queries test.vid-titles.queries test.vid-desc.queries
                                                       (NFCorpus test split, 3,162 medical abstracts, graded 1-3)

NFCorpus gives three kinds of query over one index: ``nfcorpus-titles``
(325 page titles, median 2 words: the short-query check),
``nfcorpus-vtitles`` (102 video titles, ~5 words) and ``nfcorpus-desc`` (102
video descriptions, ~20 words). Its documents come lower-cased, without
punctuation or stop words (as its authors distribute them); a document's
title is what precedes the word "abstract".

Public copies are on GitHub (for example the ``med/`` folder of
lailaglez/belief-network-irs, kavinsan/Information-Retrieval-Project for
CACM, the first commit of HamzaMouaz/AI-powered-information-retrieval-system
for LISA, and ``data/nfcorpus/`` of hakimamarullah/medisearch-api for
NFCorpus). Cranfield and CISI are deliberately not used: they are kept back
to check the tuning done here.

Each collection is written once as Markdown articles (title in front matter)
under ``benchmarks/work/relevance/NAME/articles`` and indexed with
``Library.sync``. A query is typed as a user would: its words, lower-cased
(so "and"/"or"/"not" are words, not operators). The reference row is plain
Whoosh BM25F over title and body with its stemming analyzer, any word
(``OrGroup``), built fresh in the same run.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import re
import shutil
import sys
from collections.abc import Callable, Iterator
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
    number, current = "", ""
    fields: dict[str, str] = {}
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


#: A longer "first sentence" is the abstract's first paragraph, not a title.
_MED_TITLE_WORDS = 40


def load_med(folder: Path) -> Collection:
    collection = Collection("med")
    for number, fields in _smart_records(folder / "MED.ALL"):
        text = fields.get("W", "").strip()
        first, _, rest = text.partition(" .\n")  # a first sentence ending a line is the article's title
        if not rest.strip() or len(first.split()) > _MED_TITLE_WORDS:
            first, rest = "", text  # most abstracts state no title: the reader derives one, Whoosh has none
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


def load_lisa(folder: Path) -> Collection:
    collection = Collection("lisa")
    for path in sorted(folder.glob("LISA[0-9].[0-9][0-9][0-9]")):
        records = path.read_text(encoding="latin-1").replace("\r", "").split("*" * 44)
        for record in records:
            match = re.match(r"\s*Document\s+(\d+)\n(.*?)(?:\n\s*\n|$)(.*)", record, re.S)
            if match:
                title = " ".join(match.group(2).split())
                collection.documents[match.group(1)] = (title, match.group(3).strip())
    text = (folder / "LISA.QUE").read_text(encoding="latin-1").replace("\r", "")
    for match in re.finditer(r"^\s*(\d+)\s*\n(.*?)#", text, re.S | re.M):
        collection.queries[match.group(1)] = " ".join(match.group(2).split())
    numbers = (folder / "LISARJ.NUM").read_text().split()  # query, how many, then that many documents
    at = 0
    while at + 1 < len(numbers):
        query, count = numbers[at], int(numbers[at + 1])
        collection.judged[query] = dict.fromkeys(numbers[at + 2 : at + 2 + count], 1)
        at += 2 + count
    return collection


_NF_QUERIES = {"nfcorpus-titles": "titles", "nfcorpus-vtitles": "vid-titles", "nfcorpus-desc": "vid-desc"}
_NF_TITLE = re.compile(r"^(?P<title>(?:\S+\s+){1,40}?)(?:pubmed ncbi\s+)?abstract\s+")


def load_nfcorpus(folder: Path, name: str) -> Collection:
    collection = Collection(name)
    for line in (folder / "test.docs").read_text(encoding="utf-8").splitlines():
        number, _, text = line.partition("\t")
        match = _NF_TITLE.match(text)
        title, body = (match.group("title").strip(), text[match.end() :]) if match else ("", text)
        collection.documents[number] = (title, body)
    for line in (folder / f"test.{_NF_QUERIES[name]}.queries").read_text(encoding="utf-8").splitlines():
        number, _, text = line.partition("\t")
        collection.queries[number] = text
    for line in (folder / "test.3-2-1.qrel").read_text().splitlines():
        query, _zero, document, grade = line.split()
        collection.judged.setdefault(query, {})[document] = int(grade)
    return collection


#: name -> (its folder under --data, loader)
LOADERS: dict[str, tuple[str, Callable[[Path], Collection]]] = {
    "med": ("med", load_med),
    "cacm": ("cacm", load_cacm),
    "lisa": ("lisa", load_lisa),
    **{name: ("nfcorpus", functools.partial(load_nfcorpus, name=name)) for name in _NF_QUERIES},
}


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


def file_stem(number: str) -> str:
    """An article file's name for a document id (numbers zero-padded, so files sort as the ids do)."""
    return f"{int(number):05d}" if number.isdigit() else re.sub(r"[^A-Za-z0-9-]", "_", number)


def write_articles(collection: Collection, folder: Path) -> None:
    if folder.exists() and len(list(folder.iterdir())) == len(collection.documents):
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number, (title, body) in collection.documents.items():
        front = f"---\ntitle: {json.dumps(title)}\n---\n\n"  # JSON strings are YAML strings
        (folder / f"{file_stem(number)}.md").write_text(front + (body or title) + "\n", encoding="utf-8")


def reader_rankings(collection: Collection, work: Path, rebuild: bool) -> dict[str, list[str]]:
    from reader import Library, QueryError

    document = {file_stem(number): number for number in collection.documents}
    rankings: dict[str, list[str]] = {}
    with Library(work / "articles", work / "index") as library:
        library.sync(entities=False, rebuild=rebuild)
        for number, query in collection.queries.items():
            try:
                results = library.search(typed(query), limit=100, snippets=False, count=False)
            except QueryError:
                rankings[number] = []
                continue
            rankings[number] = [document[Path(hit.id).stem] for hit in results.hits]
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


def apply_settings(settings: list[str]) -> None:
    """``--set ranking.COVERAGE_POWER=0.3``: a module constant of ``reader.index`` changed for this run (tuning)."""
    import importlib

    for setting in settings:
        name, _, value = setting.partition("=")
        module_name, _, attribute = name.rpartition(".")
        module = importlib.import_module(f"reader.index.{module_name}")
        if not hasattr(module, attribute):
            raise SystemExit(f"--set: reader.index.{module_name} has no {attribute}")
        setattr(module, attribute, type(getattr(module, attribute))(float(value) if "." in value else int(value)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="/work/data/ir")
    parser.add_argument("--collections", nargs="+", default=list(LOADERS), choices=list(LOADERS), metavar="NAME")
    parser.add_argument("--rebuild", action="store_true", help="re-index (after a schema or analysis change)")
    parser.add_argument("--no-whoosh", action="store_true", help="skip the plain-Whoosh reference row")
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE", help="change a ranking constant")
    args = parser.parse_args()
    apply_settings(args.set)

    print(f"{'collection':<16} {'engine':<14} {'queries':>7} {'nDCG@10':>8} {'R@100':>7}")
    rebuilt: set[str] = set()
    for name in args.collections:
        folder_name, load = LOADERS[name]
        folder = Path(args.data) / folder_name
        if not folder.is_dir():
            print(f"{name}: no data in {folder} (see this script's docstring)", file=sys.stderr)
            return 2
        collection = load(folder)
        judged = sum(1 for q in collection.queries if collection.judged.get(q))
        work = WORK / folder_name
        write_articles(collection, work / "articles")
        rows = [("reader", reader_rankings(collection, work, args.rebuild and folder_name not in rebuilt))]
        rebuilt.add(folder_name)
        if not args.no_whoosh:
            rows.append(("whoosh BM25F", whoosh_rankings(collection, work)))
        for engine, rankings in rows:
            ndcg, recall = score(collection, rankings)
            print(f"{name:<16} {engine:<14} {judged:>7} {ndcg:>8.3f} {recall:>7.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
