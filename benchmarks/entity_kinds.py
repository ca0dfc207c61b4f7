#!/usr/bin/env python3
"""Kinds of names on entertainment and technology news: works, products and bands vs people, organisations, places.

The newswire gold (``entity_quality.py --conll``) has few films, albums,
bands or products, and those are where a small model is most often wrong:
"Rebel Moon" and "Saw X" listed among people, "Windows XP" as a place,
"Nintendo Switch" as a person.  This scores the kind given to every name the
extractor finds in a set of real news articles, against a hand annotation
of each name's kind:

* ``person`` / ``org`` / ``place``: right when given that kind;
* ``band``: right when an organisation (a band is one);
* ``work`` (film, show, song, album, book, game), ``product`` (device,
  software, console), ``misc`` (award, event, language) and ``none`` (not a
  name: "Users Express Annoyance"): right when *not* given person, org or
  place (``other`` or dropped).

Per class: mentions found and the share given a right kind; and for the
annotated people, organisations and places, recall (their occurrences in
the text found with the right kind).  Names the annotation lacks are listed,
to be annotated.

The set (kept outside the repo, never committed): ``docs.json``, a list of
``{"id", "url", "text"}`` (the title and body of 23 news articles of 2017 and
2023 on films, music, games and software, from the article bodies of the
newspaper4k article-extraction dataset and the MSV content-extraction gold,
see ``html_extraction.py``), and ``gold.txt``, ``== id`` lines each followed
by ``surface<TAB>kind`` lines.

    python benchmarks/entity_kinds.py [--data /work/data/ner/own] [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reader.entities import load_extractor  # noqa: E402

NAMED = ("person", "org", "place")
CLASSES = ("person", "org", "place", "band", "work", "product", "misc", "none")


def load_gold(path: Path) -> dict[str, dict[str, str]]:
    gold: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("== "):
            current = gold.setdefault(line[3:].strip(), {})
        else:
            surface, kind = line.rsplit("\t", 1)
            if kind not in CLASSES:
                raise SystemExit(f"{path}: unknown kind {kind!r} for {surface!r}")
            current[surface] = kind
    return gold


def right(gold_kind: str, kind: str) -> bool:
    if gold_kind in NAMED:
        return kind == gold_kind
    if gold_kind == "band":
        return kind == "org"
    return kind not in NAMED


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/data/ner/own"))
    parser.add_argument("--show", action="store_true", help="list every wrong kind")
    args = parser.parse_args()
    if not (args.data / "docs.json").exists():
        sys.exit(f"no set at {args.data}: see this script's docstring")
    docs = json.loads((args.data / "docs.json").read_text(encoding="utf-8"))
    gold = load_gold(args.data / "gold.txt")
    extractor = load_extractor("auto")
    found: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    recall_gold: Counter[str] = Counter()
    recall_hit: Counter[str] = Counter()
    unannotated: list[str] = []
    wrong: list[str] = []
    for doc, mentions in zip(docs, extractor.extract([d["text"] for d in docs]), strict=True):
        names = gold.get(doc["id"], {})
        hits: Counter[tuple[str, str]] = Counter()
        for mention in mentions:
            if mention.kind not in (*NAMED, "other"):
                continue
            gold_kind = names.get(mention.text)
            if gold_kind is None:
                if mention.kind in NAMED:
                    unannotated.append(f"{doc['id']}\t{mention.text}\t{mention.kind}")
                continue
            found[gold_kind] += 1
            if right(gold_kind, mention.kind):
                correct[gold_kind] += 1
            else:
                wrong.append(f"{mention.text!r} {gold_kind} -> {mention.kind}")
            hits[(mention.text, mention.kind)] += 1
        for surface, gold_kind in names.items():
            if gold_kind in NAMED:
                occurrences = len(re.findall(rf"(?<!\w){re.escape(surface)}(?!\w)", doc["text"]))
                recall_gold[gold_kind] += occurrences
                recall_hit[gold_kind] += min(occurrences, hits[(surface, gold_kind)])
    print(f"{extractor.name}; {len(docs)} articles ({args.data})")
    print()
    print("| class | mentions found | right kind | share right | recall of the annotated |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for cls in CLASSES:
        share = correct[cls] / found[cls] if found[cls] else 0.0
        recall = f"{recall_hit[cls] / recall_gold[cls]:.3f}" if recall_gold[cls] else ""
        print(f"| {cls} | {found[cls]} | {correct[cls]} | {share:.3f} | {recall} |")
    named = sum(found[c] for c in CLASSES)
    print(f"| all | {named} | {sum(correct.values())} | {sum(correct.values()) / max(1, named):.3f} | |")
    if args.show:
        print("\nwrong kinds:")
        for line, n in Counter(wrong).most_common():
            print(f"  {n:3d}  {line}")
    if unannotated:
        print(f"\n{len(unannotated)} mentions of names the annotation lacks (not scored):")
        for line, n in Counter(unannotated).most_common(30):
            print(f"  {n:3d}  {line}")


if __name__ == "__main__":
    main()
