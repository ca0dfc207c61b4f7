"""The entity page's timeline: per month, or per week over a short span; undated articles apart."""

from __future__ import annotations

from reader.index.entity_page import WEEKLY_MIN_ARTICLES, WEEKLY_SPAN_DAYS, EntityPage, PageArticle, _timeline


def _articles(*dated: tuple[str, int]) -> list[PageArticle]:
    return [PageArticle(f"a{i}", "t", date, "", "", mentions, "s", 0) for i, (date, mentions) in enumerate(dated)]


def test_a_short_span_is_drawn_per_week_with_empty_weeks_kept():
    articles = _articles(("2019-03-04", 2), ("2019-03-06", 1), ("2019-03-20", 4), ("2019-03-28", 1), ("", 3), ("2019", 5))
    unit, periods, undated, undated_articles = _timeline(articles)
    assert unit == "week"
    # Monday 4 March 2019 starts ISO week 10; week 11 has no article and is still drawn
    assert periods == [("2019-W10", 3), ("2019-W11", 0), ("2019-W12", 4), ("2019-W13", 1)]
    assert (undated, undated_articles) == (8, 2)  # no date, or only a year: counted apart


def test_weeks_across_a_new_year_use_iso_years():
    unit, periods, _, _ = _timeline(_articles(("2020-12-28", 1), ("2020-12-30", 1), ("2021-01-06", 1), ("2021-01-11", 2)))
    assert unit == "week"
    assert periods == [("2020-W53", 2), ("2021-W01", 1), ("2021-W02", 2)]


def test_a_long_span_or_few_articles_stay_monthly():
    far = _articles(("2019-01-02", 1), ("2019-01-20", 1), ("2019-02-10", 1), ("2019-03-15", 1), ("2019-04-30", 1))
    assert WEEKLY_SPAN_DAYS < 118  # 2 January to 30 April
    unit, periods, _, _ = _timeline(far)
    assert unit == "month" and [p for p, _n in periods] == ["2019-01", "2019-02", "2019-03", "2019-04"]
    few = _articles(*[("2019-03-04", 1)] * (WEEKLY_MIN_ARTICLES - 1))
    assert _timeline(few)[0] == "month"
    month_only = _articles(("2019-03", 1), ("2019-03-02", 1), ("2019-03-05", 1), ("2019-03-09", 1))
    assert _timeline(month_only)[0] == "month"  # a date without its day cannot be put in a week


def test_the_weekly_timeline_is_drawn_and_in_the_json():
    articles = _articles(("2019-03-04", 2), ("2019-03-06", 1), ("2019-03-20", 4), ("2019-03-28", 1), ("", 3))
    unit, periods, undated, undated_articles = _timeline(articles)
    page = EntityPage("X", "person", (), 11, articles, unit, periods, undated, undated_articles)
    lines = page.timeline_lines(width=8)
    assert lines[0] == "mentions per week:"
    assert "  2019-W12  ████████ 4" in lines and "  2019-W11   0" in lines
    assert lines[-1].endswith("3 mentions in 1 article without a date")
    timeline = page.to_json()["timeline"]
    assert timeline["unit"] == "week" and timeline["periods"][2] == {"period": "2019-W12", "mentions": 4}
