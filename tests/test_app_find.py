"""Find in the open article (ctrl+f): every match highlighted, n/N step, Esc brings the search hits back."""

from __future__ import annotations

from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.widgets.find_bar import FindBar
from reader.app.widgets.reading.find import find_spans

from .app_helpers import screen_text, settle, type_and_settle

SIZE = (120, 40)


def test_find_spans_ignores_case_and_takes_the_text_literally():
    body = "China and CHINA; china.\nA (china) trade\n  deal. [a-z]+ chinaware"
    assert [body[s:e] for s, e in find_spans(body, "china")] == ["China", "CHINA", "china", "china", "china"]
    assert [body[s:e] for s, e in find_spans(body, "trade deal")] == ["trade\n  deal"]  # across a line break
    assert [body[s:e] for s, e in find_spans(body, "[a-z]+")] == ["[a-z]+"]  # not a pattern
    assert find_spans(body, "   ") == [] and find_spans("", "x") == []


async def test_ctrl_f_finds_highlights_steps_and_escape_returns_to_the_search_hits(app_library):
    app = ReaderApp(app_library, marks=MemoryMarks())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_and_settle(pilot, "slash", *"lighthizer")
        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.reading
        search_hits = list(reading.targets)
        assert search_hits and reading.target_label == "match"
        expected = [(s, e) for s, e in find_spans(reading.body, "chinese")]
        assert len(expected) > 2

        await pilot.press("ctrl+f")
        bar = app.main.query_one(FindBar)
        assert bar.display and bar.input.has_focus
        await pilot.press(*"CHINESE")
        await settle(pilot)
        assert [(t.start, t.end) for t in reading.targets] == expected
        assert {reading.body[t.start : t.end].lower() for t in reading.targets} == {"chinese"}
        # every match is drawn with the hit style, the search hits are not
        hit_style = reading.get_component_rich_style("reading-pane--hit")
        def styles_at(start: int, end: int) -> list:
            return [style for _start, _end, style in reading._spans_for(start, end)]

        assert all(hit_style in styles_at(start, end) for start, end in expected)
        assert hit_style not in styles_at(search_hits[0].start, search_hits[0].end)
        assert f"of {len(expected)}" in screen_text(app)

        await pilot.press("enter")  # back to the article: n/N step through what was found
        assert reading.has_focus and not bar.display
        first = reading.target_index
        await pilot.press("n")
        assert reading.target_index == (first + 1) % len(expected)
        await pilot.press("N", "N")
        assert reading.target_index == (first - 1) % len(expected)
        top = reading.line_for_offset(reading.targets[reading.target_index].start)
        assert reading.scroll_y <= top < reading.scroll_y + reading.scrollable_content_region.height

        await pilot.press("escape")  # the article's search hits again
        assert reading.targets == search_hits and reading.target_label == "match"
        assert reading.has_focus
        await pilot.press("ctrl+f", *"no such words here")
        await settle(pilot)
        assert "not in this article" in screen_text(app)
        await pilot.press("escape")
        assert reading.has_focus and reading.targets == search_hits
