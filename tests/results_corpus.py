"""A corpus for the search pane's results: 111 articles that match "tariff", dated one day
apart, and one story filed twice under two headlines (tests and snapshots build it)."""

from __future__ import annotations

import random
from pathlib import Path

from reader import Library

MATCHING = 111
FILLER = (
    "market bank rate policy growth export import farmer factory port shipping steel grain oil gas "
    "court judge minister council election vote budget deficit treaty border river harbour weather "
    "storm flood drought school hospital doctor nurse museum painting concert stadium coach league"
).split()
STORY = (
    "Negotiators from both countries met in Geneva on Monday and agreed on a timetable for lifting the "
    "duties on steel and aluminium, according to officials who attended the closed session. The agreement "
    "still needs approval from parliament, where opposition leaders have promised a long debate. Shipping "
    "companies welcomed the news and said freight rates could fall before the end of the year."
)


def _body(rng: random.Random, number: int) -> str:
    words = [rng.choice(FILLER) for _ in range(80)]
    words[rng.randrange(80)] = "tariff " * (1 + number % 7)  # relevance varies, unrelated to the date
    return " ".join(words).capitalize() + "."



def build_results_corpus(root: Path) -> Path:
    """The corpus indexed under ``root`` (``articles/``, ``index/``): article n is dated day n."""
    articles = root / "articles"
    articles.mkdir()
    rng = random.Random(16)
    for number in range(MATCHING):
        day = f"2020-{1 + number // 28:02d}-{1 + number % 28:02d}"
        (articles / f"tariff{number:03d}.md").write_text(
            f"---\ntitle: Tariff report {number}\ndate: {day}\n---\n\n{_body(rng, number)}\n", encoding="utf-8"
        )
    (articles / "geneva_a.md").write_text(f"---\ntitle: Geneva deal on steel\ndate: 2019-05-02\n---\n\n{STORY}\n")
    refiled = STORY.replace("on Monday", "on Monday evening") + " Markets rose."
    (articles / "geneva_b.md").write_text(f"---\ntitle: Steel timetable agreed\ndate: 2019-05-03\n---\n\n{refiled}\n")
    with Library(articles, root / "index") as library:
        library.sync(entities=False)
    return root
