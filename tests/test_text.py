"""The shared text layer: one sentence splitter, one quote/dash fold, one date
check, one definition of what may reach a terminal."""

from __future__ import annotations

import json

import pytest

from reader.text.controls import json_text, printable, safe_body, safe_inline, safe_text, strip_controls
from reader.text.dates import is_iso_date, normalise_date
from reader.text.fold import fold_double_quotes, fold_punctuation, fold_quotes
from reader.text.sentences import first_sentence, sentence_around, sentence_spans, sentence_starts


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The march went up Fifth Ave. Officials said it was peaceful.",
            ["The march went up Fifth Ave.", "Officials said it was peaceful."],
        ),
        ("The store on Fifth Ave. Apple opened it in 2006.", ["The store on Fifth Ave. Apple opened it in 2006."]),
        ("Talks resumed in the U.S. The deal is near.", ["Talks resumed in the U.S.", "The deal is near."]),
        ("U.S. Trade Representative Robert Lighthizer spoke.", ["U.S. Trade Representative Robert Lighthizer spoke."]),
        ("Mr. Li said progress was made. He left.", ["Mr. Li said progress was made.", "He left."]),
        ("It was resolution No. 3 of the day. Then it passed.", ["It was resolution No. 3 of the day.", "Then it passed."]),
        ("Asked twice, he said no. The room was silent.", ["Asked twice, he said no.", "The room was silent."]),
        ("Steven T. Mnuchin flew in on Aug. 5 to meet them.", ["Steven T. Mnuchin flew in on Aug. 5 to meet them."]),
        (
            "“We are close.” The talks go on!  Why? Nobody knows…",
            ["“We are close.”", "The talks go on!", "Why?", "Nobody knows…"],
        ),
        ("Amazon Inc. declined. Huawei did not.", ["Amazon Inc. declined.", "Huawei did not."]),
        ("It rose 2.5 percent. Prices fell.", ["It rose 2.5 percent.", "Prices fell."]),
        ("first line\nsecond line", ["first line", "second line"]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert _sentences(text) == expected


def test_passage_cursor_and_sentence_around_agree():
    """The reading pane's passage cursor and the CLI's sentence around a mention
    use the same boundaries (they used to differ on "Fifth Ave. Officials")."""
    text = (
        "Protesters gathered on Fifth Ave. Officials said Mr. Lighthizer was in the U.S. The talks "
        "on resolution No. 3 resumed at 9 a.m. on Monday. It was quiet."
    )
    for start, end in sentence_spans(text):
        middle = (start + end) // 2
        assert sentence_around(text, middle, middle + 1) == text[start:end]
    assert sentence_starts(text) == [start for start, _ in sentence_spans(text)][1:]
    assert first_sentence(text) == "Protesters gathered on Fifth Ave."


def test_long_sentences_are_cut_at_spaces_and_cover_the_text():
    text = "word " * 1000 + "end."
    spans = sentence_spans(text, 10, limit=300)
    assert all(end - start <= 300 for start, end in spans)
    assert "".join(text[s - 10 : e - 10] for s, e in spans).replace(" ", "") == text.replace(" ", "")


def test_one_fold_for_quotes_dashes_and_spaces():
    text = "don\u2019t \u201cyes\u201d \u00abnon\u00bb it\u00b4s a\u2014b 5\u2212 3 no\u00a0break"
    folded = fold_punctuation(text)
    assert folded == "don't \"yes\" \"non\" it's a-b 5- 3 no break"
    assert len(folded) == len(text)
    assert fold_quotes("a\u2014b \u2018x\u2019") == "a\u2014b 'x'"
    assert fold_double_quotes("\u201ca\u2019b\u201d \u2014x") == "\"a\u2019b\" \u2014x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-03-28", "2019-03-28"),
        ("2019-03", "2019-03"),
        ("2019", "2019"),
        ("2019-02-30", ""),
        ("2019-13", ""),
        ("March 28, 2019", "2019-03-28"),
        ("28 March 2019", "2019-03-28"),
        (True, ""),
        (None, ""),
    ],
)
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_iso_date_check_is_the_same_for_queries():
    assert is_iso_date("2019-02-28") and is_iso_date("2019-02") and is_iso_date("2019")
    assert not is_iso_date("2019-02-30") and not is_iso_date("2019-2") and not is_iso_date("2019-02-28x")


@pytest.mark.parametrize("separator", ["\f", "\v", "\x85", "\u2028", "\x1e", "\x1f"])
def test_line_and_page_separators_keep_words_apart(separator):
    assert strip_controls(f"met{separator}negotiators") == "met\nnegotiators"
    assert safe_text(f"met{separator}negotiators") == "met negotiators"
    clean, remap = safe_body(f"met{separator}negotiators")
    assert clean == "met negotiators" and remap(4) == 4
    assert safe_inline(f"met{separator}negotiators") == "met negotiators"
    assert strip_controls("one\u2029two") == "one\n\ntwo"


HOSTILE = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b]0;title\x1b\\",
    "\x1b[31m",
    "\x9b31m",
    "\x9d52;c;ZXZpbA==\x9c",
    "\u202e",
    "\u061c",
    "\u2067",
    "\U000e0041",
    "\x00",
    "\x7f",
]


@pytest.mark.parametrize("bad", HOSTILE)
def test_every_treatment_removes_or_escapes_the_same_characters(bad):
    text = f"a{bad}b"
    assert strip_controls(text) == "ab"
    assert safe_text(text) == "ab"
    assert safe_body(text)[0] == "ab"
    shown = printable(text)
    assert shown.isprintable() and "\x1b" not in shown
    encoded = json_text(json.dumps(text, ensure_ascii=False))
    assert json.loads(encoded) == text
    assert all(char.isprintable() for char in encoded)


def test_json_text_escapes_lone_surrogates_so_output_can_encode():
    encoded = json_text(json.dumps("name\udcff", ensure_ascii=False))
    encoded.encode("utf-8")
    assert json.loads(encoded) == "name\udcff"


def test_printable_names_undecodable_bytes():
    assert printable("caf\udce9\n.txt") == "caf\\xe9\\x0a.txt"
