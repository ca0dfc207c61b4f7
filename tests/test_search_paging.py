"""More than the first page of hits (issue 16 part 5, CLI): --offset and --sort date."""

from __future__ import annotations

import json

import pytest

from reader.cli import main

from .opensearch.fixtures import library_environment

DATES = ["2019-03-01", "2021-07-15", "", "2020-01-31", "2018-12-24", "2021-07-15"]


@pytest.fixture
def dated(tmp_path, make_library):
    articles = tmp_path / "articles"
    articles.mkdir()
    for number, date in enumerate(DATES):
        head = f"---\ntitle: Tariff story {number}\n" + (f"date: {date}\n" if date else "") + "---\n"
        body = " ".join(["tariff talks resumed."] * (number + 1)) + " Officials met again."
        (articles / f"story{number}.md").write_text(f"{head}\n{body}\n")
    library = make_library(articles, tmp_path / "index")
    library.sync(entities=False)
    return library


def test_offset_pages_through_the_same_ranking(dated):
    everything = [hit.id for hit in dated.search("tariff", limit=100)]
    assert len(everything) == len(DATES)
    pages = [hit.id for offset in range(0, len(DATES), 4) for hit in dated.search("tariff", limit=4, offset=offset)]
    assert pages == everything
    beyond = dated.search("tariff", limit=4, offset=len(DATES))
    assert beyond.hits == [] and beyond.total == len(DATES)


def test_sort_by_date_is_newest_first_undated_last_relevance_within_a_day(dated):
    results = dated.search("tariff", limit=100, sort="date")
    dates = [hit.date for hit in results]
    assert dates[:5] == ["2021-07-15", "2021-07-15", "2020-01-31", "2019-03-01", "2018-12-24"] and dates[5] == ""
    same_day = [hit for hit in results if hit.date == "2021-07-15"]
    assert same_day[0].score >= same_day[1].score > 0
    paged = [hit.id for offset in (0, 3) for hit in dated.search("tariff", limit=3, offset=offset, sort="date")]
    assert paged == [hit.id for hit in results]
    with pytest.raises(ValueError, match="sort must be one of"):
        dated.search("tariff", sort="title")


def test_cli_offset_and_sort(dated, capsys, monkeypatch):
    for name, value in library_environment(dated).items():
        monkeypatch.setenv(name, value)
    base = ["--articles", str(dated.articles_dir), "--index", str(dated.index_dir)]
    assert main([*base, "search", "tariff", "-n", "2", "--offset", "1", "--sort", "date", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["offset"] == 1 and payload["sort"] == "date" and payload["total"] == len(DATES)
    assert [hit["date"] for hit in payload["hits"]] == ["2021-07-15", "2020-01-31"]

    assert main([*base, "search", "tariff", "-n", "2", "--offset", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(DATES)} results, 3–4\n")
    assert main([*base, "search", "tariff", "--offset", "50"]) == 1  # past the end: a paging loop stops
    assert "none past the first 50" in capsys.readouterr().out
    assert main([*base, "search", "tariff", "--sort", "title"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_long_queries_ranked_by_coverage_also_sort_by_date_and_page(dated):
    """Four words or more are ranked in Python (the graded match), not by Whoosh: same order rules."""
    query = "tariff talks resumed officials"
    results = dated.search(query, limit=100, sort="date")
    assert results.graded and len(results) == len(DATES)
    assert [hit.date for hit in results][:5] == ["2021-07-15", "2021-07-15", "2020-01-31", "2019-03-01", "2018-12-24"]
    by_relevance = [hit.id for hit in dated.search(query, limit=100)]
    paged = [hit.id for offset in (0, 2, 4) for hit in dated.search(query, limit=2, offset=offset)]
    assert paged == by_relevance
