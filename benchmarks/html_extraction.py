#!/usr/bin/env python3
"""Web-page extraction quality and speed: reader's HTML ingestion vs plain trafilatura.

Quality, on saved real-world pages with a known article body:

* body: 4-gram overlap F1 of the extracted body with the true body (tokens
  are lower-cased words; CJK characters count one token each), averaged over
  pages;
* title: the share of pages with a real title (one the page states, not one
  derived from the lede), and the share whose title equals the true one
  (case, spaces and punctuation folded).

Speed: pages/s of the whole ``parse_html_article`` (decode, extract, clean)
on the pages of 50–300 KB, beside the rate of plain-text ingestion
(``parse_article``) of the same bodies as ``.txt``: median of ``--repeat`` runs.

The page set is Mozilla Readability's test pages (``test/test-pages/*/source.html``
with ``expected.html`` and ``expected-metadata.json``; Apache-2.0), the news,
magazine and blog pages among them (``PAGES`` below; the synthetic unit-test
pages are left out). Their expected body is Readability's reviewed output, so
it keeps image captions and, on a few pages, comments or a newsletter pitch
that we (rightly) drop: read the figure as a floor. Fetch it outside the repo:

    # with the repository at ./readability (git clone https://github.com/mozilla/readability)
    mkdir -p /work/data/pages/readability
    cp -r readability/test/test-pages/* /work/data/pages/readability/

    python benchmarks/html_extraction.py [--pages /work/data/pages/readability] [--repeat 3] [--show 10]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reader.ingest import UnreadableArticle, parse_article  # noqa: E402
from reader.ingest.html import parse_html_article  # noqa: E402

DEFAULT_PAGES = Path("/work/data/pages/readability")
PAGES = """
aclu aktualne ars-1 article-author-tag bbc-1 blogger breitbart buzzfeed-1 citylab-1 cnet cnn
dropbox-blog ebb-org ehow-1 ehow-2 engadget firefox-nightly-blog folha gitlab-blog gmw guardian-1
herald-sun-1 heise iab-1 la-nacion lemonde-1 liberation-1 lifehacker-post-comment-load
lifehacker-working lwn-1 medicalnewstoday medium-1 medium-2 medium-3 mozilla-1 msn nytimes-1
nytimes-2 nytimes-3 nytimes-4 nytimes-5 pixnet qq quanta-1 salon-1 schema-org-context-object
seattletimes-1 simplyfound-1 spiceworks telegraph theverge tmz-1 topicseed-1 v8-blog videos-1
videos-2 wapo-1 wapo-2 webmd-1 webmd-2 wordpress yahoo-1 yahoo-2 yahoo-3 yahoo-4 youth
""".split()

_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def four_grams(text: str) -> collections.Counter[tuple[str, ...]]:
    words = _TOKEN.findall(text.casefold())
    return collections.Counter(zip(words, words[1:], words[2:], words[3:], strict=False))


def overlap_f1(predicted: str, truth: str) -> tuple[float, float, float]:
    """(F1, precision, recall) of the 4-gram multisets."""
    ours, gold = four_grams(predicted), four_grams(truth)
    if not ours or not gold:
        return 0.0, 0.0, 0.0
    common = sum((ours & gold).values())
    if not common:
        return 0.0, 0.0, 0.0
    precision, recall = common / sum(ours.values()), common / sum(gold.values())
    return 2 * precision * recall / (precision + recall), precision, recall


def fold_title(title: str) -> str:
    return re.sub(r"\W+", "", title.casefold())


_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·:»]\s+|\s*::\s*|\s*_\s*|\s+\|\s*|\s+\[")


def title_matches(title: str, truth: str) -> bool:
    """Equal once folded, or equal to the true title with trailing parts (a site name) cut.

    Readability's expected titles keep the ``<title>`` suffix on many pages
    (``How to Build a Terrarium | eHow``); a title without it is as right.
    """
    if not title:
        return False
    if fold_title(title) == fold_title(truth):
        return True
    return any(
        fold_title(truth[: separator.start()]) == fold_title(title) for separator in _TITLE_SEPARATOR.finditer(truth)
    )


def true_body(folder: Path) -> str:
    import lxml.html

    tree = lxml.html.fromstring((folder / "expected.html").read_text("utf-8"))
    return " ".join(tree.itertext())


def plain_trafilatura(data: bytes) -> tuple[str, str]:
    import trafilatura

    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    return (document.text or "", document.title or "") if document is not None else ("", "")


def ours(data: bytes) -> tuple[str, str, bool]:
    try:
        article = parse_html_article(data, "page.html")
    except UnreadableArticle:
        return "", "", True
    return article.body, article.title, article.title_derived


def quality(pages_dir: Path, names: list[str], show: int) -> None:
    rows = []
    for name in names:
        folder = pages_dir / name
        data = (folder / "source.html").read_bytes()
        truth = true_body(folder)
        true_title = json.loads((folder / "expected-metadata.json").read_text("utf-8")).get("title") or ""
        base_text, base_title = plain_trafilatura(data)
        body, title, derived = ours(data)
        rows.append(
            {
                "page": name,
                "base": overlap_f1(base_text, truth),
                "ours": overlap_f1(body, truth),
                "base_title_ok": title_matches(base_title, true_title),
                "title_ok": title_matches(title, true_title),
                "title_real": bool(title) and not derived,
                "title": title,
                "true_title": true_title,
            }
        )
    n = len(rows)

    def mean(key: str, index: int = 0) -> float:
        return sum(row[key][index] for row in rows) / n

    print(f"{n} pages from {pages_dir}")
    print(f"{'':24} {'F1':>6} {'prec':>6} {'recall':>6} {'title=true':>10} {'real title':>10}")
    base_titles = sum(row["base_title_ok"] for row in rows) / n
    print(f"{'plain trafilatura':24} {mean('base'):6.3f} {mean('base', 1):6.3f} {mean('base', 2):6.3f} {base_titles:10.1%}")
    titles_ok = sum(row["title_ok"] for row in rows) / n
    titles_real = sum(row["title_real"] for row in rows) / n
    scores = f"{mean('ours'):6.3f} {mean('ours', 1):6.3f} {mean('ours', 2):6.3f}"
    print(f"{'reader (ingest.html)':24} {scores} {titles_ok:10.1%} {titles_real:10.1%}")
    if show:
        print(f"\nworst {show} pages (ours vs plain):")
        for row in sorted(rows, key=lambda r: r["ours"][0])[:show]:
            f1, precision, recall = row["ours"]
            print(f"  {row['page']:30} {f1:.3f} (p {precision:.2f} r {recall:.2f}) vs {row['base'][0]:.3f}")
        wrong = [row for row in rows if not row["title_ok"]]
        print(f"\ntitles not equal to the true one ({len(wrong)}):")
        for row in wrong:
            print(f"  {row['page']:30} {row['title']!r}\n  {'':30} true {row['true_title']!r}")


def speed(pages_dir: Path, names: list[str], repeat: int) -> None:
    pages = []
    for name in names:
        data = (pages_dir / name / "source.html").read_bytes()
        if 50_000 <= len(data) <= 300_000:
            pages.append(data)
    texts = []
    for data in pages:
        body, title, _ = ours(data)
        if body:
            texts.append(f"{title}\n\n{body}\n".encode())

    def rate(items: list[bytes], parse) -> float:  # type: ignore[no-untyped-def]
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            for item in items:
                try:
                    parse(item)
                except UnreadableArticle:
                    pass
            runs.append(len(items) / (time.perf_counter() - start))
        return statistics.median(runs)

    size = statistics.median(len(p) for p in pages) / 1024
    print(f"\nspeed, {len(pages)} pages of 50-300 KB (median {size:.0f} KB), median of {repeat} runs:")
    print(f"  html pages  (parse_html_article)   {rate(pages, lambda d: parse_html_article(d, 'p.html')):7.1f} pages/s")
    print(f"  plain trafilatura (bare_extraction){rate(pages, plain_trafilatura):7.1f} pages/s")
    print(f"  same bodies as .txt (parse_article){rate(texts, lambda d: parse_article(d, 'p.txt')):7.1f} files/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", type=int, default=10, help="list the N worst pages and every wrong title")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--only", nargs="*", help="just these pages")
    args = parser.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"no pages at {args.pages}: see this script's docstring for where they come from")
    names = args.only or [name for name in PAGES if (args.pages / name / "source.html").exists()]
    quality(args.pages, names, args.show)
    if not args.no_speed:
        speed(args.pages, names, args.repeat)


if __name__ == "__main__":
    main()
