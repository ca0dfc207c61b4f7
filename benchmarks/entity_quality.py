#!/usr/bin/env python3
"""Entity quality on the hand-annotated samples, and entity extraction speed.

Quality: precision / recall / F1 per kind (person, org, place) of

* raw spaCy (NER labels mapped to kinds, surface text as it comes),
* our cleaned + linked output (``load_extractor().extract``),
* the rule-based fallback,

against ``tests/gold/*.json``.  Matching is by multiset of (surface text,
kind) per article, so it works on the ingested body (default) or on the raw
file text (``--raw``; byline and web debris then count as errors).  The
"linked" columns also require the canonical name to be right (compared with
``corpus_key``, so ``Huawei Technologies`` ~ ``Huawei``); raw spaCy's
canonical name is its surface text.

Speed (``--speed``): articles/s and tokens/s of raw ``nlp.pipe`` (NER only)
and of the whole ``extract()``, with 1 and 2 processes, on ~2000 realistic
articles made by shuffling the sample paragraphs (``--corpus DIR`` measures
a folder instead, e.g. one made by ``benchmarks/generate.py``).

Newswire gold (``--conll FILE``): exact-span precision / recall / F1 per
class (PER, ORG, LOC; MISC is not scored, and a prediction on a MISC span
counts as a false positive) on a CoNLL-2003-style file (``token POS chunk
NE`` per line, ``-DOCSTART-`` between articles, IOB1 or IOB2 tags).  Each
article is rebuilt as text (one sentence per line, tokens joined the way
they were written: no space before ``,`` ``.`` ``'s`` ``n't`` ...), and the
systems' mentions are compared with the gold spans by character offsets.
The gold text is third-party and licensed for research only: keep it
OUTSIDE the repository, under ``/work/data/ner/`` (or anywhere), never
commit it, and never use the CoNLL-2003 *test* split (``eng.testb``): it is
held back.  The training (``eng.train``) and development (``eng.testa``)
splits are fine for measuring; nothing shipped is trained on them.
Copies are on GitHub, e.g. ``data/eng.testa`` and ``data/eng.train`` in
ZhixiuYe/HSCRF-pytorch.

    python benchmarks/entity_quality.py
    python benchmarks/entity_quality.py --speed [--count 2000] [--corpus benchmarks/corpora/2k]
    python benchmarks/entity_quality.py --conll /work/data/ner/conll2003-eng.testa [--errors 40]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reader.entities import corpus_key, load_extractor  # noqa: E402

GOLD = ROOT / "tests" / "gold"
ARTICLES = ROOT / "articles"
KINDS = ("person", "org", "place")
RAW_KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}


def load_gold(which: str = "samples") -> list[dict]:
    """``samples``: one file per sample article; ``written``: hand-written texts annotated blind."""
    docs = []
    for path in sorted(GOLD.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "docs" in data:
            if which == "written":
                docs += data["docs"]
        elif which == "samples":
            docs.append(data)
    return docs


def article_text(name: str, raw: bool = False) -> str:
    path = ARTICLES / name
    if not raw:
        try:
            from reader.ingest import read_article
        except ImportError:  # ingestion not available: score on the file text
            pass
        else:
            return read_article(path, ARTICLES).body
    return path.read_text(encoding="utf-8")


def score(gold_items: list[Counter], pred_items: list[Counter]) -> dict[str, tuple[float, float, float, int, int, int]]:
    """Per kind (and "all"): precision, recall, F1, tp, predicted, gold."""
    out = {}
    for kind in (*KINDS, "all"):
        tp = pred = gold = 0
        for g, p in zip(gold_items, pred_items, strict=True):
            g = Counter({k: n for k, n in g.items() if kind in ("all", k[1])})
            p = Counter({k: n for k, n in p.items() if kind in ("all", k[1])})
            tp += sum((g & p).values())
            pred += sum(p.values())
            gold += sum(g.values())
        precision = tp / pred if pred else 0.0
        recall = tp / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[kind] = (precision, recall, f1, tp, pred, gold)
    return out


def quality(raw_text: bool, which: str = "samples") -> dict:
    gold = load_gold(which)
    texts = [g["text"] if "text" in g else article_text(g["file"], raw_text) for g in gold]
    gold_surface = [Counter({(m["text"], m["kind"]): m["count"] for m in g["mentions"]}) for g in gold]
    gold_linked = [
        Counter({(m["text"], m["kind"], corpus_key(m["kind"], m["canonical"])): m["count"] for m in g["mentions"]})
        for g in gold
    ]
    systems: dict[str, tuple[list[Counter], list[Counter]]] = {}
    spacy = load_extractor("auto")
    if hasattr(spacy, "raw") and spacy.name.startswith("spaCy"):
        surface, linked = [], []
        for text, spans in zip(texts, spacy.raw(texts), strict=True):
            kinds = [(text[s:e], RAW_KINDS[label]) for s, e, label in spans if label in RAW_KINDS]
            surface.append(Counter(kinds))
            linked.append(Counter((t, k, corpus_key(k, t)) for t, k in kinds))
        systems[f"raw {spacy.name}"] = (surface, linked)
    for label, extractor in ((f"cleaned+linked {spacy.name}", spacy), ("rule-based fallback", load_extractor("rules"))):
        if label.startswith("cleaned") and not spacy.name.startswith("spaCy"):
            continue
        surface, linked = [], []
        for text, mentions in zip(texts, extractor.extract(texts), strict=True):
            ms = [m for m in mentions if m.kind in KINDS]
            assert all(text[m.start : m.end] == m.text for m in ms)
            surface.append(Counter((m.text, m.kind) for m in ms))
            linked.append(Counter((m.text, m.kind, corpus_key(m.kind, m.canonical)) for m in ms))
        systems[label] = (surface, linked)
    return {
        name: {"mentions": score(gold_surface, surface), "canonical": score(gold_linked, linked)}
        for name, (surface, linked) in systems.items()
    }


def print_quality(results: dict, raw_text: bool, which: str = "samples") -> None:
    if which == "samples":
        print(f"Gold: {len(load_gold())} sample articles, text = {'raw file' if raw_text else 'ingested body'}")
    else:
        print(f"Gold: {len(load_gold(which))} hand-written news texts, annotated before the extractor saw them")
    print()
    print("| system | kind | P | R | F1 | canonical P | canonical R | canonical F1 | gold |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, res in results.items():
        for kind in (*KINDS, "all"):
            p, r, f, _tp, _pred, gold = res["mentions"][kind]
            cp, cr, cf, *_ = res["canonical"][kind]
            print(f"| {name} | {kind} | {p:.3f} | {r:.3f} | {f:.3f} | {cp:.3f} | {cr:.3f} | {cf:.3f} | {gold} |")


# -- newswire gold (CoNLL-2003 format) -----------------------------------------

CONLL_KINDS = {"PER": "person", "ORG": "org", "LOC": "place", "MISC": "misc"}
SCORED = ("person", "org", "place")
_NO_SPACE_BEFORE = frozenset(",.:;?!%)]}'") | {"'s", "'S", "n't", "N'T", "'re", "'ve", "'ll", "'d", "'m", "...", "''"}
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "#"})


@dataclass
class GoldDoc:
    text: str
    spans: list[tuple[int, int, str]]  # (start, end, kind) with kind in CONLL_KINDS' values


def _conll_sentences(lines: list[str]) -> Iterator[list[tuple[str, str]]]:
    sentence: list[tuple[str, str]] = []
    for line in lines:
        parts = line.split()
        if not parts:
            if sentence:
                yield sentence
            sentence = []
            continue
        sentence.append((parts[0], parts[-1]))
    if sentence:
        yield sentence


def load_conll(path: Path, limit: int | None = None) -> list[GoldDoc]:
    """Articles of a CoNLL-2003-style file, rebuilt as text with gold character spans."""
    if "testb" in path.name or "test.txt" == path.name:
        raise SystemExit(f"{path}: the CoNLL-2003 test split is held back; use eng.train or eng.testa")
    docs: list[GoldDoc] = []
    block: list[str] = []

    def flush() -> None:
        if any(line.strip() for line in block):
            docs.append(_conll_doc(block))
        block.clear()

    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
        else:
            block.append(line)
    flush()
    return docs[:limit] if limit else docs


def _conll_doc(lines: list[str]) -> GoldDoc:
    pieces: list[str] = []
    pos = 0
    spans: list[tuple[int, int, str]] = []
    for sentence in _conll_sentences(lines):
        if pieces:
            pieces.append("\n")
            pos += 1
        open_quote = False
        current: list = []  # [start, end, type]
        prev = ""
        for i, (token, tag) in enumerate(sentence):
            space = i > 0 and token not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER
            if token == '"':
                space = i > 0 and not open_quote and prev not in _NO_SPACE_AFTER
                if open_quote:
                    space = False
                open_quote = not open_quote
            if prev == '"' and open_quote:
                space = False
            if space:
                pieces.append(" ")
                pos += 1
            start = pos
            pieces.append(token)
            pos += len(token)
            kind = tag[2:] if tag[:2] in ("B-", "I-") else ""
            if kind and current and current[2] == kind and not tag.startswith("B-"):
                current[1] = pos
            else:
                if current:
                    spans.append((current[0], current[1], CONLL_KINDS[current[2]]))
                current = [start, pos, kind] if kind else []
            prev = token
        if current:
            spans.append((current[0], current[1], CONLL_KINDS[current[2]]))
    return GoldDoc("".join(pieces), spans)


def span_scores(gold: list[set], pred: list[set]) -> dict[str, tuple[float, float, float, int, int, int]]:
    """Exact-span P/R/F1 per scored kind and overall (micro), from per-document sets of (start, end, kind)."""
    out = {}
    for kind in (*SCORED, "all"):
        tp = n_pred = n_gold = 0
        for g, p in zip(gold, pred, strict=True):
            g = {x for x in g if x[2] in SCORED and kind in ("all", x[2])}
            p = {x for x in p if x[2] in SCORED and kind in ("all", x[2])}
            tp += len(g & p)
            n_pred += len(p)
            n_gold += len(g)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[kind] = (precision, recall, f1, tp, n_pred, n_gold)
    return out


def conll_systems(docs: list[GoldDoc], rules: bool = False) -> dict[str, list[set]]:
    """Per system, per document: the predicted (start, end, kind) set."""
    texts = [d.text for d in docs]
    systems: dict[str, list[set]] = {}
    spacy = load_extractor("auto")
    if hasattr(spacy, "raw") and spacy.name.startswith("spaCy"):
        systems[f"raw {spacy.name}"] = [
            {(s, e, RAW_KINDS[label]) for s, e, label in spans if label in RAW_KINDS}
            for spans in spacy.raw(texts, batch_size=64)
        ]
        systems[f"reader ({spacy.name})"] = [
            {(m.start, m.end, m.kind) for m in mentions} for mentions in spacy.extract(texts, batch_size=64)
        ]
    if rules or not systems:
        systems["rule-based fallback"] = [
            {(m.start, m.end, m.kind) for m in mentions} for mentions in load_extractor("rules").extract(texts)
        ]
    return systems


def print_conll(path: Path, docs: list[GoldDoc], systems: dict[str, list[set]], errors: int = 0) -> None:
    gold = [set(d.spans) for d in docs]
    n_gold = sum(1 for g in gold for x in g if x[2] in SCORED)
    print(f"Gold: {path.name}, {len(docs)} articles, {n_gold} PER/ORG/LOC spans; exact span and class")
    print()
    print("| system | class | P | R | F1 | tp | predicted | gold |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    names = {"person": "PER", "org": "ORG", "place": "LOC", "all": "all"}
    for name, pred in systems.items():
        for kind, (p, r, f, tp, n_pred, n_g) in span_scores(gold, pred).items():
            print(f"| {name} | {names[kind]} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {n_pred} | {n_g} |")
    if errors:
        print()
        ours = next((name for name in systems if name.startswith("reader")), list(systems)[-1])
        print(f"Errors of {ours}:")
        _print_errors(docs, systems[ours], errors)


def _print_errors(docs: list[GoldDoc], pred: list[set], limit: int) -> None:
    """The commonest wrong predictions and misses, by (surface, gold kind -> predicted kind)."""
    wrong: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for doc, p in zip(docs, pred, strict=True):
        g = set(doc.spans)
        g_by_span = {(s, e): k for s, e, k in g}
        p = {x for x in p if x[2] in SCORED}
        for s, e, k in p - g:
            gk = g_by_span.get((s, e))
            if gk is not None:
                wrong[f"{doc.text[s:e]!r} {gk}->{k}"] += 1
            else:
                near = [(gs, ge, gkk) for gs, ge, gkk in g if gs < e and s < ge]
                gold_note = f"gold {doc.text[near[0][0] : near[0][1]]!r} {near[0][2]}" if near else "not gold"
                wrong[f"{doc.text[s:e]!r} {k} ({gold_note})"] += 1
        p_spans = {(s, e) for s, e, _ in p}
        for s, e, k in g - p:
            if k in SCORED and (s, e) not in p_spans:
                missed[f"{doc.text[s:e]!r} {k}"] += 1
    print(f"Commonest false positives (span or class wrong), top {limit}:")
    for label, n in wrong.most_common(limit):
        print(f"  {n:4d}  {label}")
    print(f"Commonest misses (no prediction on the gold span), top {limit}:")
    for label, n in missed.most_common(limit):
        print(f"  {n:4d}  {label}")


# -- speed --------------------------------------------------------------------


def realistic_corpus(count: int, seed: int = 1, words: int = 140) -> list[str]:
    """~``words``-word articles of shuffled sample paragraphs (real news prose)."""
    paragraphs = []
    for path in sorted(ARTICLES.glob("*.txt")):
        paragraphs += [p for p in article_text(path.name).split("\n\n") if len(p.split()) >= 12]
    rng = random.Random(seed)
    corpus = []
    for _ in range(count):
        chosen, n = [], 0
        while n < words:
            p = rng.choice(paragraphs)
            chosen.append(p)
            n += len(p.split())
        corpus.append("\n\n".join(chosen))
    return corpus


def folder_corpus(folder: Path, count: int) -> list[str]:
    from reader.ingest import read_article

    files = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md"))[:count]
    return [read_article(p, folder).body for p in files]


def speed(texts: list[str], repeat: int = 1) -> list[tuple[str, int, float, float]]:
    extractor = load_extractor("auto")
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    words = sum(len(t.split()) for t in texts)
    tokens = words
    if hasattr(extractor, "nlp"):  # spaCy tokens, what "tokens/s" usually means
        tokens = sum(len(doc) for doc in extractor.nlp.tokenizer.pipe(texts))
    rows = []
    runs = []
    if hasattr(extractor, "raw"):
        runs.append(("raw nlp.pipe (NER only)", extractor.raw))
    runs.append(("extract() = NER + cleaning/linking", extractor.extract))
    for label, fn in runs:
        for n_process in (1, 2):
            best, best_cpu = float("inf"), float("inf")
            for _ in range(repeat):
                cpu0, started = _cpu(), time.perf_counter()
                for _ in fn(texts, batch_size=64, n_process=n_process):
                    pass
                best = min(best, time.perf_counter() - started)
                best_cpu = min(best_cpu, _cpu() - cpu0)
            rows.append((label, n_process, len(texts) / best, tokens / best, len(texts) / best_cpu))
    rules = load_extractor("rules")
    cpu0, started = _cpu(), time.perf_counter()
    for _ in rules.extract(texts):
        pass
    elapsed = time.perf_counter() - started
    rows.append(("rule-based fallback", 1, len(texts) / elapsed, tokens / elapsed, len(texts) / (_cpu() - cpu0)))
    # cleaning/linking alone, on spans computed once
    if hasattr(extractor, "raw"):
        from reader.entities.clean import postprocess

        spans = list(extractor.raw(texts, batch_size=64))
        cpu0, started = _cpu(), time.perf_counter()
        for text, s in zip(texts, spans, strict=True):
            postprocess(text, s)
        elapsed = time.perf_counter() - started
        rows.append(("cleaning/linking alone", 1, len(texts) / elapsed, tokens / elapsed, len(texts) / (_cpu() - cpu0)))
    print(
        f"{extractor.name}; {len(texts)} articles, {words / len(texts):.0f} words "
        f"({tokens / len(texts):.0f} tokens) each on average"
    )
    print()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average before the run: {load_before:.2f}, after: {load:.2f} (other work on the machine skews wall times)")
    print()
    print("| what | processes | articles/s (wall) | tokens/s (wall) | articles per CPU-second |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, n_process, aps, wps, per_cpu in rows:
        print(f"| {label} | {n_process} | {aps:.0f} | {wps:,.0f} | {per_cpu:.0f} |")
    return rows


def _cpu() -> float:
    """CPU seconds of this process and its finished children (spaCy's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", action="store_true", help="score on the raw file text instead of the ingested body")
    parser.add_argument("--speed", action="store_true", help="also measure speed")
    parser.add_argument("--count", type=int, default=2000, help="articles for --speed")
    parser.add_argument("--corpus", type=Path, help="measure speed on this folder's articles instead")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the quality numbers as JSON")
    parser.add_argument("--conll", type=Path, action="append", help="score on this CoNLL-2003-style gold file instead")
    parser.add_argument("--limit", type=int, help="only the first N articles of each --conll file")
    parser.add_argument("--errors", type=int, default=0, help="with --conll: print the N commonest errors")
    parser.add_argument("--rules", action="store_true", help="with --conll: also score the rule-based fallback")
    args = parser.parse_args(argv)
    if args.conll:
        for path in args.conll:
            docs = load_conll(path, args.limit)
            print_conll(path, docs, conll_systems(docs, args.rules), args.errors)
            print()
        if not args.speed:
            return 0
    for which in ("samples", "written"):
        results = quality(args.raw, which)
        if args.json:
            print(json.dumps({which: results}, indent=1))
        else:
            print_quality(results, args.raw, which)
            print()
    if args.speed:
        print()
        texts = folder_corpus(args.corpus, args.count) if args.corpus else realistic_corpus(args.count)
        speed(texts, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
