"""Hostile text and fuzzed queries.

* Hypothesis throws arbitrary strings at the query parser, ``Library.search``
  and ``reader search``: only ``QueryError`` may come out of the library,
  and the command always answers with results or one line, exit 0, 1 or 2.
* Articles full of terminal escapes (CSI, OSC 52 clipboard writes, OSC 8
  links, DCS), C1 controls, bidi overrides, zero-width characters, Rich
  markup and very long words: with a terminal forced, the only escape
  sequences in the output of ``reader search``, ``reader entities`` and
  ``reader index`` are Rich's own colours (``ESC [ ... m``), and the words
  around the hostile bytes are still there.

Soak variants (many more examples) run with ``pytest -m soak`` or
``READER_SOAK=1``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import Library, QueryError
from reader.cli import main
from reader.index.query import QueryBuilder
from reader.index.query import QueryError as ParserQueryError
from reader.index.schema import build_schema

REPO = Path(__file__).resolve().parent.parent


# -- fuzzed queries --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "AND", "OR", "NOT", "and", "or", "-", "+", "(", ")", '"', "'", "*", "?", "~", "~2", "~9", "^", "^2",
        ":", "title:", "author:", "by:", "source:", "tag:", "date:", "person:", "org:", "place:", "nosuch:",
        "date:[", " to ", "]", "{", "}", "[", "TO", "2019", "2019-03", "2019-13-45", "-1", "0000",
        "\\", "/", "//", "\u201c", "\u201d", "\u2019", "\x00", "\x1b[31m", "\u202e", "\u200b", "\ud800",
        "trade", "Mnuchin", "lighth*", "Lightizer~", "u.s.", "é", "日本", "🙂", " ", "  ", "\t", "\n",
    ]
)
QUERY_LIKE = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=12).map("".join)
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=60)
QUERIES = st.one_of(QUERY_LIKE, ANY_TEXT, st.text(max_size=3000))

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SOAK = settings(
    max_examples=int(os.environ.get("READER_SOAK_EXAMPLES", "4000")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

_builder = QueryBuilder(build_schema())


def _parse(query: str) -> None:
    try:
        _builder.parse(query)
        _builder.parse(query, any_word=True)
    except ParserQueryError as error:
        assert "\n" not in str(error)


def _library_search(library: Library, query: str) -> None:
    try:
        results = library.search(query, limit=5)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert results.total >= len(results.hits)
    for hit in results:
        for snippet in hit.snippets:
            assert all(0 <= s < e <= len(snippet.text) for s, e in snippet.spans)
    library.hit_spans(query, "000_ea3cef877529f866")


def _cli_search(library: Library, capsys, query: str, *extra: str) -> None:
    # Options before the query: a query of "--" ends them, and --json after it would be a search word.
    argv = ["--articles", str(library.articles_dir), "--index", str(library.index_dir), "search", *extra, query]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (query, code, err)
    assert "Traceback" not in out + err
    assert "unexpected error" not in err, err
    if code == 2:
        assert len(err.strip().splitlines()) == 1, (query, err)
    elif "--json" in extra:
        payload = json.loads(out)
        assert payload["total"] >= len(payload["hits"])
    elif "--help" not in query and query.strip() not in ("-h",):
        assert re.search(r"^\d+\+? results?$", out, re.M), (query, out)


@FAST
@given(query=QUERIES)
def test_parser_raises_only_query_error(query):
    _parse(query)


@FAST
@given(query=QUERIES)
def test_library_search_raises_only_query_error(samples_no_entities, query):
    _library_search(samples_no_entities, query)


@FAST
@given(query=QUERIES, as_json=st.booleans())
def test_cli_search_answers_in_one_line_or_with_results(samples_no_entities, capsys, query, as_json):
    _cli_search(samples_no_entities, capsys, query, *(["--json"] if as_json else []))


@pytest.mark.soak
@SOAK
@given(query=QUERIES)
def test_fuzz_soak(samples_no_entities, capsys, query):
    _parse(query)
    _library_search(samples_no_entities, query)
    _cli_search(samples_no_entities, capsys, query)


@pytest.mark.parametrize(
    "query",
    ["-x", "--json", "-n", "--limit=abc", "-", "--", "\udce9t\udcc3", "\ud800", "a" * 5000, "(" * 500, '"' * 301],
    ids=lambda query: ascii(query[:12]),
)
def test_cli_edge_queries(samples_no_entities, capsys, query):
    _cli_search(samples_no_entities, capsys, query)


# -- hostile article text ---------------------------------------------------------------------

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
HOSTILE_BITS = [
    "\x1b[31mred\x1b[0m",  # CSI colour
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x1b]0;window title\x07",  # OSC title
    OSC52,
    OSC8,
    "\x1bP+q544e\x1b\\",  # DCS
    "\x1b_apc\x1b\\",  # APC
    "\x9b31m",  # 8-bit CSI
    "\x9d52;c;ZXZpbA==\x9c",  # 8-bit OSC
    "\x85\x8d\x90x\x9c",  # other C1 controls
    "\u202eevil\u202c",  # right-to-left override
    "\u2066isolate\u2069",
    "zero\u200bwidth\u200d\ufeff",
    "[bold red]markup[/bold red] [link=https://evil.example]link[/link]",
    "safe\rEVIL",  # carriage return overwrite
    "bell\x07\x08\x08",
    "\x1b]52;c;unterminated",  # an OSC that never ends: must not eat the rest
]
LONG_WORD = "Supercalifragilistic" * 500


def _hostile_article(index: int) -> str:
    hostile = " ".join(HOSTILE_BITS)
    return (
        f"Robert Lighthizer meets {HOSTILE_BITS[index % len(HOSTILE_BITS)]} in Geneva\n\n"
        f"By Jane {OSC52}Roe\n\n"
        f"GENEVA -- Robert Lighthizer said on Monday that talks with {hostile} China\x1b[8m were hidden "
        f"progressing, officials said. Amazon{OSC8} and Huawei were named.\n\n"
        f"A very long word follows: {LONG_WORD} and then the talks ended.\n\n"
        f"Wang Yi\x1b]52;c;ZXZpbA==\x07 of China answered in Beijing on Tuesday, officials said.\n"
    )


FRONT_MATTER = (
    '---\ntitle: "Front \\e]52;c;ZXZpbA==\\a matter \\e[31mtitle"\nauthors: ["Ann \\e]8;;x\\e\\\\Lee"]\n'
    'source: "\\x9b31mReuters"\ntags: ["\\u202etag"]\n---\n'
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    articles = root / "articles"
    articles.mkdir()
    for index in range(4):
        (articles / f"hostile-{index}.txt").write_text(_hostile_article(index), encoding="utf-8")
    (articles / "front.md").write_text(FRONT_MATTER + _hostile_article(7), encoding="utf-8")
    (articles / f"name {OSC52} \u202e.txt").write_text(_hostile_article(3), encoding="utf-8")
    shutil.copy(REPO / "articles" / "000_ea3cef877529f866.txt", articles)
    return articles, root / "index"


_SGR = re.compile(r"\x1b\[[0-9;]*m")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


_PROGRESS = re.compile(r"\x1b\[\?25[lh]|\x1b\[2K|\x1b\[\d*A|\r")  # Rich's own progress bar: cursor moves


def _assert_terminal_safe(text: str, progress: bool = False) -> str:
    """Only Rich's SGR colours may carry an ESC; no other control, bidi or invisible character.

    With ``progress``, Rich's progress-bar cursor controls are allowed too
    (``reader index`` on a terminal); nothing from an article is among them.
    """
    plain = _SGR.sub("", _PROGRESS.sub("", text) if progress else text)
    bad = sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(plain.replace("\n", " "))})
    assert not bad, f"forbidden characters reached the terminal: {bad}"
    return plain


def _run_terminal(monkeypatch, capsys, *argv) -> tuple[int, str, str]:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR", raising=False)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hostile_articles_never_reach_the_terminal(hostile, monkeypatch, capsys):
    articles, index = hostile
    where = ["--articles", str(articles), "--index", str(index)]
    code, out, err = _run_terminal(monkeypatch, capsys, *where, "index")
    assert code == 0, err
    _assert_terminal_safe(out + err, progress=True)

    code, out, err = _run_terminal(monkeypatch, capsys, *where, "search", "Lighthizer", "-n", "20")
    assert code == 0, err
    assert _SGR.search(out), "no terminal styling: the console was not forced to be a terminal"
    plain = _assert_terminal_safe(out + err)
    unwrapped = " ".join(plain.split())  # Rich wraps at the terminal's width
    for readable in ("red", "click here", "markup", "[bold red]", "Lighthizer", "China were hidden", "EVIL"):
        assert readable in unwrapped, readable
    assert "Front matter title" in plain

    for command in (["search", "Supercalifragilistic*"], ["search", "click", "--json"], ["search", "zzzqqq"]):
        code, out, err = _run_terminal(monkeypatch, capsys, *where, *command)
        assert code in (0, 1), err
        _assert_terminal_safe(out + err)

    code, out, err = _run_terminal(monkeypatch, capsys, *where, "entities", "-n", "40")
    assert code == 0, err
    plain = _assert_terminal_safe(out + err)
    assert "Lighthizer" in plain

    for name in ("Robert Lighthizer", "Wang Yi", "China"):
        code, out, err = _run_terminal(monkeypatch, capsys, *where, "entities", name)
        assert code in (0, 1), err
        _assert_terminal_safe(out + err)
        if code == 0:
            assert name.split()[-1] in out

    code, out, err = _run_terminal(monkeypatch, capsys, *where, "entities", "--json")
    assert code == 0, err
    _assert_terminal_safe(out)
    names = {row["name"] for row in json.loads(out)}
    assert {"Robert Lighthizer", "Wang Yi"} <= names, sorted(names)


def test_hostile_text_is_clean_in_the_library(hostile, tmp_path):
    """What the app and scripts get: no control characters, and every visible word kept."""
    articles, _ = hostile
    with Library(articles, tmp_path / "index") as library:  # its own index, with entities
        library.sync()
        assert len(library) == 7
        for summary in library.articles():
            article = library.article(summary.id)
            for text in (article.title, article.source, *article.authors, *article.tags, *article.paragraphs):
                assert not _FORBIDDEN.search(text.replace("\n", " ")), (summary.id, text[:80])
            if summary.id.startswith("hostile"):
                body = article.body
                assert "the talks ended" in body and "Wang Yi" in body, "text after an escape was lost"
                assert LONG_WORD in body
                assert "EVIL" in body and "safe" in body
        front = library.article("front")
        assert front.title == "Front matter title"
        assert front.authors == ("Ann Lee",) and front.source == "Reuters"
        assert {"Robert Lighthizer", "Wang Yi"} <= {mention.canonical for mention in front.mentions}
        for mention in front.mentions:
            assert not _FORBIDDEN.search(mention.text + mention.canonical)
