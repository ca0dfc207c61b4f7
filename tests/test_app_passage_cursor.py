"""The passage cursor on its own: sentence and paragraph moves over a plain string (no Textual)."""

from __future__ import annotations

from reader.app.widgets.reading.passage import MAX_QUOTE, PassageCursor

FIRST = "The minister arrived on Tuesday."
SECOND = "Officials said the talks at No. 2 Downing St. went well."
THIRD = "Nobody else spoke."
FOURTH = "A second paragraph follows."
FIFTH = "It ends here."
BODY = f"{FIRST} {SECOND} {THIRD}\n\n{FOURTH} {FIFTH}"
P1 = (0, len(f"{FIRST} {SECOND} {THIRD}"))
P2 = (P1[1] + 2, len(BODY))
ALL = (0, len(BODY))  # everything on screen


def cursor() -> PassageCursor:
    return PassageCursor(BODY, [P1, P2])


def text(c: PassageCursor, move) -> str:
    assert move is not None
    assert c.set(*move)
    return c.text


def test_sentences_cover_each_paragraph():
    c = cursor()
    assert [BODY[s:e] for s, e in c.sentences] == [FIRST, SECOND, THIRD, FOURTH, FIFTH]


def test_next_and_previous_sentence():
    c = cursor()
    assert text(c, c.next_sentence(ALL)) == FIRST  # nothing chosen: the first on screen
    assert text(c, c.next_sentence(ALL)) == SECOND
    assert text(c, c.next_sentence(ALL)) == THIRD
    assert text(c, c.next_sentence(ALL)) == FOURTH  # on into the next paragraph
    assert text(c, c.previous_sentence(ALL)) == THIRD
    c.set(*c.sentences[-1], "sentence")
    assert c.next_sentence(ALL) is None  # the last: the bell
    c.set(*c.sentences[0], "sentence")
    assert c.previous_sentence(ALL) is None


def test_a_passage_off_screen_starts_over_from_the_screen():
    c = cursor()
    c.set(*c.sentences[0], "sentence")
    fourth = c.sentences[3]
    assert text(c, c.next_sentence((fourth[0], len(BODY)))) == FOURTH


def test_paragraph_moves():
    c = cursor()
    move = c.next_paragraph(ALL)
    assert move is not None and move[2] == "paragraph"
    assert text(c, move) == BODY[slice(*P1)]
    assert text(c, c.next_paragraph(ALL)) == BODY[slice(*P2)]
    assert c.next_paragraph(ALL) is None
    assert text(c, c.previous_paragraph(ALL)) == BODY[slice(*P1)]
    assert c.previous_paragraph(ALL) is None
    # from a sentence, { takes its whole paragraph, and ) from a paragraph its first sentence
    c.set(*c.sentences[1], "sentence")
    assert text(c, c.previous_paragraph(ALL)) == BODY[slice(*P1)]
    assert text(c, c.next_sentence(ALL)) == FIRST


def test_extend_and_shrink():
    c = cursor()
    c.set(*c.sentences[0], "sentence")
    assert text(c, c.extend(ALL)) == f"{FIRST} {SECOND}"
    assert c.unit == "sentences"
    assert text(c, c.extend(ALL)) == f"{FIRST} {SECOND} {THIRD}"
    assert text(c, c.shrink()) == f"{FIRST} {SECOND}"
    assert text(c, c.shrink()) == FIRST
    assert c.shrink() is None  # one sentence left


def test_a_huge_paragraph_is_capped_at_a_space():
    words = " ".join(["word"] * (MAX_QUOTE // 4))
    c = PassageCursor(words, [(0, len(words))])
    start, end, unit = c.next_paragraph((0, 10)) or (0, 0, "")
    assert unit == "paragraph" and start == 0
    assert end - start <= MAX_QUOTE and words[end] == " "


def test_clicks():
    c = cursor()
    inside_second = BODY.index("Downing")
    assert c.at_click(inside_second, double=False, bookmarked=[]) == (*c.sentences[1], "sentence")
    assert c.at_click(inside_second, double=True, bookmarked=[]) == (*P1, "paragraph")
    # on bookmarked text the shortest bookmark there is picked
    assert c.at_click(inside_second, double=False, bookmarked=[(0, 80), (30, 60)]) == (30, 60, "bookmark")


def test_set_and_clear():
    c = cursor()
    assert not c.set(5, 5, "sentence") and c.passage is None
    assert c.set(-3, 4, "selection") and c.passage == (0, 4) and c.text == BODY[:4]
    assert c.clear() and c.passage is None and c.unit == ""
    assert not c.clear()
    empty = PassageCursor()
    assert empty.next_sentence((0, 0)) is None and empty.next_paragraph((0, 0)) is None
