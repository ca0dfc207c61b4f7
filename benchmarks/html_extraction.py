#!/usr/bin/env python3
"""Web-page extraction quality and speed: reader's HTML ingestion vs plain trafilatura.

Quality, on saved real-world pages with a known article body:

* body: 4-gram overlap F1 of the extracted body with the true body (tokens
  are lower-cased words; CJK characters count one token each), averaged over
  pages, per page set;
* title: the share of pages with a real title (one the page states, not one
  derived from the lede), and the share whose title equals the true one
  (case, spaces and punctuation folded).

Speed: pages/s of the whole ``parse_html_article`` (decode, extract, clean)
on the pages of 50–300 KB, beside plain trafilatura on the same pages and
the rate of plain-text ingestion (``parse_article``) of the same bodies as
``.txt``: median of ``--repeat`` runs, all in one run (the machine is shared:
quote ratios).

Page sets, each kept outside the repo under ``/work/data/pages/<set>`` (the
layout of each is read as its authors published it):

* ``readability``: Mozilla Readability's test pages
  (``test/test-pages/*/source.html`` with ``expected.html`` and
  ``expected-metadata.json``; Apache-2.0), the news, magazine and blog pages
  among them (``READABILITY_PAGES``). Their expected body is Readability's
  reviewed output, so it keeps image captions and, on a few pages, comments
  or a newsletter pitch that we (rightly) drop: read the figure as a floor.
  ``cp -r readability/test/test-pages/* /work/data/pages/readability/``
* ``newspaper4k``: the newspaper4k author's article-extraction dataset
  (github.com/AndyTheFactory/article-extraction-dataset: ``articles.json``
  with title and body, ``html/<id>.html``; 2023–24 pages of ~220 news sites,
  blogs and magazines). ``git clone`` it to ``/work/data/pages/newspaper4k``.
* ``msv-big9`` and ``msv-chaos``: hand-extracted pages of Utomo & Leu's web
  content extraction data (github.com/MSVCode/ir-research-data,
  ``Extraction/<subset>/{html,gold}``; research use): big9 is nine news sites
  (Ars Technica, BBC, CNN, Forbes, Fox News, LA Times, NY Mag, NY Post,
  Yahoo News) in 2005, 2009, 2013 and 2017, chaos is 360 pages of ~240 sites
  found by web searches. The gold's first line is the title. Copy
  ``Extraction/*`` to ``/work/data/pages/msv/``.

The public 181-page article-extraction benchmark is deliberately not among
them: it is kept back to check against.

``--half tune`` or ``--half check`` keeps one of two fixed halves of every
set (split by a hash of the set and page name). Debris classes are found by
reading the failures of the ``tune`` half only; the ``check`` half shows
whether a fix generalises.

    python benchmarks/html_extraction.py [--sets readability newspaper4k ...] [--half tune|check] [--repeat 3] [--show 10]
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reader.ingest import UnreadableArticle, parse_article  # noqa: E402
from reader.ingest.html import parse_html_article  # noqa: E402

DATA = Path("/work/data/pages")
READABILITY_PAGES = """
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


@dataclass(frozen=True)
class Page:
    name: str
    html: bytes
    body: str  # the true article body
    title: str  # the true title


# -- the page sets, each in its authors' layout ----------------------------------------


def readability_pages(folder: Path) -> Iterator[Page]:
    import lxml.html  # type: ignore[import-untyped]  # no stubs installed

    for name in READABILITY_PAGES:
        page = folder / name
        if not (page / "source.html").exists():
            continue
        tree = lxml.html.fromstring((page / "expected.html").read_text("utf-8"))
        title = json.loads((page / "expected-metadata.json").read_text("utf-8")).get("title") or ""
        yield Page(name, (page / "source.html").read_bytes(), " ".join(tree.itertext()), title)


def newspaper4k_pages(folder: Path) -> Iterator[Page]:
    articles = json.loads((folder / "articles.json").read_text("utf-8"))
    for key, article in articles.items():
        html = folder / "html" / f"{key}.html"
        if html.exists():  # a few pages are missing from the published set
            yield Page(key, html.read_bytes(), article.get("articleBody") or "", article.get("title") or "")


def _gold_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def msv_pages(folder: Path) -> Iterator[Page]:
    """``html/<name>.htm[l]`` with ``gold/<name>.txt``, whose first line is the title."""
    for html in sorted((folder / "html").iterdir()):
        gold = folder / "gold" / f"{html.stem}.txt"
        if gold.exists():
            title, _, body = _gold_text(gold).strip().partition("\n")
            yield Page(f"{folder.name}/{html.stem}", html.read_bytes(), body, title.strip())


def _msv_set(*subsets: str) -> Callable[[Path], Iterator[Page]]:
    def pages(folder: Path) -> Iterator[Page]:
        for subset in subsets:
            if (folder / subset / "html").is_dir():
                yield from msv_pages(folder / subset)

    return pages


PAGE_SETS: dict[str, tuple[Path, Callable[[Path], Iterator[Page]]]] = {
    "readability": (DATA / "readability", readability_pages),
    "newspaper4k": (DATA / "newspaper4k", newspaper4k_pages),
    "msv-big9": (DATA / "msv", _msv_set("big5-05", "big5-09", "big5-13", "big5-17")),
    "msv-chaos": (DATA / "msv", _msv_set("chaos-all")),
}

# -- kinds of page, told from the markup, for figures per kind ------------------------

_COMMENTS = re.compile(rb"""<(?:div|section|ol|ul|li|article)\b[^>]*\b(?:id|class)=["'][^"']*\bcomment""", re.I)
_LIVE = re.compile(rb"LiveBlogPosting|\blive[-_ ]?(?:blog|updates|coverage)\b", re.I)
_PAYWALL = re.compile(rb"isAccessibleForFree\W{1,4}(?:false|False)|\bpaywall\b|\bmetered\b|\bsubscriber[-_ ]only\b", re.I)


def half_of(set_name: str, page_name: str) -> str:
    """``tune`` or ``check``: a fixed split of the pages, the same on every machine."""
    return "tune" if hashlib.md5(f"{set_name}:{page_name}".encode()).digest()[0] % 2 == 0 else "check"


def kinds_of(html: bytes) -> list[str]:
    kinds = []
    if len(_COMMENTS.findall(html)) >= 3:
        kinds.append("with comments")
    if _LIVE.search(html):
        kinds.append("live blog")
    if _PAYWALL.search(html):
        kinds.append("paywall teaser")
    return kinds


# -- scores -----------------------------------------------------------------------------


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


def plain_trafilatura(data: bytes) -> tuple[str, str]:
    import trafilatura

    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    if document is None or isinstance(document, dict):  # a dict only when asked for one (as_dict)
        return "", ""
    return document.text or "", document.title or ""


def ours(data: bytes) -> tuple[str, str, bool]:
    try:
        article = parse_html_article(data, "page.html")
    except UnreadableArticle:
        return "", "", True
    return article.body, article.title, article.title_derived


Scores = tuple[float, float, float]


@dataclass(frozen=True)
class Row:
    page: str
    kinds: list[str]
    base: Scores
    ours: Scores
    base_title_ok: bool
    title_ok: bool
    title_real: bool
    title: str
    true_title: str


def score(pages: list[Page]) -> list[Row]:
    rows = []
    for page in pages:
        base_text, base_title = plain_trafilatura(page.html)
        body, title, derived = ours(page.html)
        rows.append(
            Row(
                page=page.name,
                kinds=kinds_of(page.html),
                base=overlap_f1(base_text, page.body),
                ours=overlap_f1(body, page.body),
                base_title_ok=title_matches(base_title, page.title),
                title_ok=title_matches(title, page.title),
                title_real=bool(title) and not derived,
                title=title,
                true_title=page.title,
            )
        )
    return rows


def _means(scores: list[Scores]) -> str:
    n = len(scores)
    return " ".join(f"{sum(s[i] for s in scores) / n:6.3f}" for i in range(3))


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def report(label: str, rows: list[Row]) -> None:
    base, mine = _means([r.base for r in rows]), _means([r.ours for r in rows])
    print(f"{label:18} {len(rows):5}  plain trafilatura {base} {_share([r.base_title_ok for r in rows]):7.1%}")
    titles = f"{_share([r.title_ok for r in rows]):7.1%} {_share([r.title_real for r in rows]):7.1%}"
    print(f"{'':18} {'':5}  reader            {mine} {titles}")


def show_worst(label: str, rows: list[Row], show: int) -> None:
    print(f"\n{label}: worst {show} pages (ours vs plain):")
    for row in sorted(rows, key=lambda r: r.ours[0])[:show]:
        f1, precision, recall = row.ours
        print(f"  {row.page:40} {f1:.3f} (p {precision:.2f} r {recall:.2f}) vs {row.base[0]:.3f}")
    wrong = [row for row in rows if not row.title_ok]
    print(f"{label}: titles not equal to the true one ({len(wrong)}):")
    for row in wrong[:show]:
        print(f"  {row.page:40} {row.title!r}\n  {'':40} true {row.true_title!r}")


def speed(pages: list[Page], repeat: int) -> None:
    htmls = [page.html for page in pages if 50_000 <= len(page.html) <= 300_000]
    texts = []
    for data in htmls:
        body, title, _ = ours(data)
        if body:
            texts.append(f"{title}\n\n{body}\n".encode())

    def rate(items: list[bytes], parse: Callable[[bytes], object]) -> tuple[float, float]:
        """Median pages per second of wall-clock time and per CPU-second of this process."""
        runs, cpu_runs = [], []
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            for item in items:
                try:
                    parse(item)
                except UnreadableArticle:
                    pass
            runs.append(len(items) / (time.perf_counter() - start))
            cpu_runs.append(len(items) / max(time.process_time() - cpu, 1e-9))
        return statistics.median(runs), statistics.median(cpu_runs)

    size = statistics.median(len(p) for p in htmls) / 1024
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = " ".join(handle.read().split()[:3])
    print(f"\nspeed, {len(htmls)} pages of 50-300 KB (median {size:.0f} KB), median of {repeat} runs (load {load}):")
    html_rate, html_cpu = rate(htmls, lambda d: parse_html_article(d, "p.html"))
    plain_rate, plain_cpu = rate(htmls, plain_trafilatura)
    text_rate, text_cpu = rate(texts, lambda d: parse_article(d, "p.txt"))
    ratio = f"(reader/trafilatura {html_rate / plain_rate:.2f}, per CPU-s {html_cpu / plain_cpu:.2f})"
    print(f"  html pages  (parse_html_article)    {html_rate:7.1f} pages/s {html_cpu:7.1f} pages/CPU-s")
    print(f"  plain trafilatura (bare_extraction) {plain_rate:7.1f} pages/s {plain_cpu:7.1f} pages/CPU-s  {ratio}")
    print(f"  same bodies as .txt (parse_article) {text_rate:7.1f} files/s {text_cpu:7.1f} files/CPU-s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sets", nargs="*", default=list(PAGE_SETS), choices=list(PAGE_SETS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", type=int, default=10, help="list the N worst pages and wrong titles of each set")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--speed-pages", type=int, default=60, help="pages per set timed for speed")
    parser.add_argument("--only", nargs="*", help="just these pages (names as listed)")
    parser.add_argument("--half", choices=["tune", "check"], help="one fixed half of every set (see above)")
    args = parser.parse_args()
    every: list[Page] = []
    timed: list[Page] = []
    all_rows: list[Row] = []
    print(f"{'set':18} {'pages':>5}  {'':17} {'F1':>6} {'prec':>6} {'recall':>6} {'title=':>7} {'real':>7}")
    for name in args.sets:
        folder, reader = PAGE_SETS[name]
        if not folder.is_dir():
            print(f"{name}: no pages at {folder} (see this script's docstring for where they come from)")
            continue
        pages = [
            page
            for page in reader(folder)
            if (not args.only or page.name in args.only) and (not args.half or half_of(name, page.name) == args.half)
        ]
        if not pages:
            continue
        rows = score(pages)
        report(name, rows)
        if args.show:
            show_worst(name, rows, args.show)
        every += pages
        timed += [page for page in pages if 50_000 <= len(page.html) <= 300_000][: args.speed_pages]
        all_rows += rows
    if not all_rows:
        sys.exit("no page sets found: see this script's docstring for where they come from")
    print()
    report("all sets", all_rows)
    by_kind: dict[str, list[Row]] = collections.defaultdict(list)
    for row in all_rows:
        for kind in row.kinds:
            by_kind[kind].append(row)
    for kind, rows in sorted(by_kind.items()):
        report(kind, rows)
    if not args.no_speed and timed:
        speed(timed, args.repeat)


if __name__ == "__main__":
    main()
