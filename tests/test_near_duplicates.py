"""Near-duplicate detection: pairs that are the same story, and pairs that are not."""

from __future__ import annotations

from pathlib import Path

from reader.text.near_duplicates import THRESHOLD, fold, same_story, similarity, sketch

from .paths import SAMPLES

STORY = (
    "WASHINGTON (Reuters) - U.S. Trade Representative Robert Lighthizer said on Tuesday that talks with "
    "China on technology transfer had made progress but that major differences remained over enforcement. "
    "Officials from both sides will meet again next month in Beijing, he told reporters after a two-day "
    "session. The talks follow months of tariffs imposed by both countries on each other's goods, which "
    "have unsettled markets and farmers across the Midwest. Lighthizer declined to give a deadline."
)


def _sample_bodies() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(Path(SAMPLES).iterdir()) if path.is_file()]


def test_the_same_story_refiled_is_a_duplicate():
    refiled = STORY.replace("WASHINGTON (Reuters) - ", "WASHINGTON, Dec 4 (AP) -- ").replace("on Tuesday", "Tuesday")
    assert same_story(sketch(STORY), sketch(refiled))
    assert same_story(sketch(STORY), sketch(STORY.upper()))  # case is folded


def test_a_story_with_a_paragraph_added_is_a_duplicate():
    updated = STORY + " In a statement, the Chinese commerce ministry said the talks had been candid and constructive."
    assert similarity(sketch(STORY), sketch(updated)) >= THRESHOLD
    assert same_story(sketch(STORY), sketch(updated))


def test_stories_on_the_same_subject_are_not_duplicates():
    other = (
        "BEIJING - China's commerce ministry said on Wednesday it would keep talking with the United States "
        "about trade, after Lighthizer said differences remained over technology transfer and enforcement. "
        "Farmers in the Midwest have been hit by retaliatory tariffs on soybeans, and markets fell."
    )
    assert similarity(sketch(STORY), sketch(other)) < 0.2
    assert not same_story(sketch(STORY), sketch(other))


def test_the_bundled_samples_are_all_different_stories():
    sketches = [sketch(body) for body in _sample_bodies()]
    assert len(sketches) >= 5
    assert fold(sketches) == {}


def test_short_bodies_fold_only_when_equal():
    assert same_story(sketch("Markets closed."), sketch("markets  closed"))
    assert not same_story(sketch("Markets closed."), sketch("Markets opened."))
    assert not same_story(sketch(""), sketch(""))  # nothing to compare is not a duplicate


def test_fold_points_each_repeat_at_the_best_ranked_copy():
    refiled = STORY.replace("Reuters", "AP")
    other = "An entirely different report about weather in the Alps, with snow expected at high altitude soon."
    sketches = [sketch(other), sketch(STORY), None, sketch(refiled), sketch(STORY + " More.")]
    assert fold(sketches) == {3: 1, 4: 1}
