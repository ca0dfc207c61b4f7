"""The `reader` command: output shapes, exit codes, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from reader.cli import main
from reader.model import ENTITY_KINDS

from .paths import SAMPLES


@pytest.fixture
def run(corpus, tmp_path, capsys):
    index = tmp_path / "index"

    def invoke(*args):
        code = main(["--articles", str(corpus), "--index", str(index), *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert invoke("index", "--no-entities")[0] == 0
    return invoke


def test_index_reports_counts(run):
    code, out, err = run("index", "--no-entities")
    assert code == 0
    assert "5 articles indexed" in err


def test_search_json_shape(run):
    code, out, err = run("search", "Mnuchin", "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"query", "total", "counted", "fallback", "graded", "suggestion", "offset", "sort", "hits"}
    assert payload["total"] == 4 and payload["counted"]
    hit = payload["hits"][0]
    assert set(hit) == {"id", "path", "title", "date", "source", "score", "snippets"}
    assert all("**Mnuchin**" in s for s in hit["snippets"])


def test_search_counts_a_phrase_only_when_asked(run):
    """Words and phrases are counted with their hits; a phrase with a NOT is left to Whoosh, which must
    walk every match: `N+` unless --count."""
    code, out, _ = run("search", '"trade talks" -zeppelin', "--limit", "1", "--json")
    lazy = json.loads(out)
    assert code == 0 and not lazy["counted"] and lazy["total"] == 1
    code, out, _ = run("search", '"trade talks" -zeppelin', "--limit", "1", "--json", "--count")
    exact = json.loads(out)
    assert exact["counted"] and exact["total"] > 1
    code, out, _ = run("search", '"trade talks" -zeppelin', "--limit", "1")
    assert "1+ results" in out
    code, out, _ = run("search", '"trade talks" -zeppelin', "--limit", "1", "--count")
    assert f"{exact['total']} results" in out


def test_search_text_output(run):
    code, out, err = run("search", "trade secrets", "--limit", "1")
    assert code == 0
    assert "US commerce secretary rejects Chinese appeal" in out
    assert "[trade]" in out or "[trade secrets]" in out


def test_no_results_exit_1(run):
    code, out, err = run("search", "zeppelin")
    assert code == 1
    assert "0 results" in out


@pytest.mark.parametrize(
    "query", ["date:[banana to 2019]", "nosuchfield:x", "=the", "=", '"unclosed phrase', "title:", "trade author:"]
)
def test_bad_query_exit_2_one_line(run, query):
    code, out, err = run("search", query)
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "Traceback" not in err


def test_exact_word_and_exact_flag(run):
    code, out, _err = run("search", "compute", "--json")
    assert code == 0 and json.loads(out)["total"] == 2  # stemmed: "compute" finds "computing"
    code, out, _err = run("search", "=compute", "--json")
    assert code == 1 and json.loads(out)["total"] == 0
    code, out, _err = run("search", "--exact", "compute", "--json")
    assert code == 1 and json.loads(out)["total"] == 0
    code, out, _err = run("search", "=computing")
    assert code == 0 and "[computing]" in out


def test_usage_error_exit_2(run):
    code, out, err = run("search")
    assert code == 2


def test_missing_articles_folder(tmp_path, capsys):
    code = main(["--articles", str(tmp_path / "nope"), "--index", str(tmp_path / "ix"), "index"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"no articles folder at {tmp_path / 'nope'} (from flag --articles)" in err
    assert "READER_ARTICLES" in err and "reader config edit" in err
    assert not (tmp_path / "ix").exists()  # nothing created until there is something to index


def test_environment_variables(corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("READER_ARTICLES", str(corpus))
    monkeypatch.setenv("READER_INDEX", str(tmp_path / "envindex"))
    assert main(["index", "--no-entities"]) == 0
    assert (tmp_path / "envindex" / "catalog.sqlite").exists()


def test_markup_in_titles_is_printed_literally(corpus, tmp_path, capsys):
    (corpus / "evil.txt").write_text(
        "[bold red]Pwned[/] [link=file:///etc/passwd]x[/link]\n\nLONDON -- Text here, officials said.\n"
    )
    args = ["--articles", str(corpus), "--index", str(tmp_path / "ix")]
    main([*args, "index", "--no-entities"])
    capsys.readouterr()
    assert main([*args, "search", "officials", "--limit", "20"]) == 0
    out = capsys.readouterr().out
    assert "[bold red]Pwned[/]" in out
    assert "[link=file:///etc/passwd]x[/link]" in out


def test_python_dash_m_and_no_heavy_imports(corpus, tmp_path):
    """`reader search` must not import Textual or spaCy (startup time)."""
    index = tmp_path / "ix"
    subprocess.run(
        [sys.executable, "-m", "reader", "--articles", str(corpus), "--index", str(index), "index", "--no-entities"],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys; from reader.cli import main; "
        f"main(['--articles', {str(corpus)!r}, '--index', {str(index)!r}, 'search', 'Mnuchin']); "
        "bad = [m for m in ('textual', 'spacy', 'thinc', 'torch') if m in sys.modules]; "
        "print('HEAVY', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_entities_issue_counts(sample_library):
    """The issue's list: canonical names with the right article counts across the samples."""
    people = {e.name: e.articles for e in sample_library.entities(kind="person")}
    for name, articles in {
        "Robert Lighthizer": 3,
        "Steven Mnuchin": 4,
        "Li Keqiang": 2,
        "Li Qiang": 1,
        "Liu He": 2,
        "Gina Raimondo": 1,
        "Donald Trump": 5,  # "Trump" alone in 002 and 004 is merged across the corpus
    }.items():
        assert people.get(name) == articles, (name, people.get(name))
    assert "Trump" not in people and "Li" not in people
    everything = {e.name: e for e in sample_library.entities()}
    assert everything["Amazon"].kind == "org" and everything["Amazon"].articles == 2
    assert everything["Alibaba"].kind == "org" and everything["Alibaba"].articles == 2
    assert everything["Beijing"].kind == "place" and everything["Beijing"].articles == 4
    assert everything["Washington"].kind == "place" and everything["Washington"].articles == 4
    assert {h.id[:3] for h in sample_library.search("person:lighthizer")} == {"000", "002", "004"}
    assert {o.article_id[:3] for o in sample_library.entity_occurrences("Robert Lighthizer")} == {"000", "002", "004"}
    assert len(sample_library.entity_articles("Trump")) == 5


def test_entities_of_one_article_count_its_own_mentions(sample_library):
    """`entities --article ID`: how often this article names each entity, not the corpus totals."""
    article_id = next(a for a in sample_library.entity_articles("Robert Lighthizer") if a.startswith("000"))
    mine = {e.name: e for e in sample_library.entities(article=article_id)}
    everywhere = {e.name: e for e in sample_library.entities()}
    body = sample_library.article(article_id)
    lighthizer_here = sum(1 for m in body.mentions if m.canonical == "Robert Lighthizer")
    assert mine["Robert Lighthizer"].mentions == lighthizer_here
    assert mine["Robert Lighthizer"].mentions < everywhere["Robert Lighthizer"].mentions
    assert mine["Robert Lighthizer"].articles == everywhere["Robert Lighthizer"].articles == 3
    assert all(e.mentions <= everywhere[e.name].mentions for e in mine.values() if e.name in everywhere)
    assert "Gina Raimondo" not in mine  # named in 003 only


def _cli(library, capsys, *args):
    code = main(["--articles", str(library.articles_dir), "--index", str(library.index_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_entities_json_shape(sample_library, capsys):
    code, out, err = _cli(sample_library, capsys, "entities", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(set(row) == {"name", "kind", "aliases", "mentions", "articles"} for row in rows)
    for row in rows:
        assert isinstance(row["name"], str) and row["name"] and row["kind"] in ENTITY_KINDS
        assert isinstance(row["aliases"], list) and all(isinstance(alias, str) for alias in row["aliases"])
        assert 1 <= row["articles"] <= 5 and row["mentions"] >= row["articles"]
    assert [row["articles"] for row in rows] == sorted((row["articles"] for row in rows), reverse=True)
    by_name = {row["name"]: row for row in rows}
    assert by_name["Steven Mnuchin"]["kind"] == "person" and "Steven T. Mnuchin" in by_name["Steven Mnuchin"]["aliases"]

    code, out, _ = _cli(sample_library, capsys, "entities", "--kind", "person", "-n", "3", "--json")
    people = json.loads(out)
    assert code == 0 and len(people) == 3 and {row["kind"] for row in people} == {"person"}


def test_entities_name_prints_the_entity_page(sample_library, capsys):
    code, out, err = _cli(sample_library, capsys, "entities", "Robert Lighthizer", "--json")
    assert code == 0, err
    page = json.loads(out)
    _, shown, _ = _cli(sample_library, capsys, "entities", "show", "Robert Lighthizer", "--json")
    assert json.loads(shown) == page  # `entities NAME` is the page `entities show NAME` prints
    rows = page["articles"]
    keys = {"id", "title", "date", "source", "url", "mentions", "sentence", "offset", "sentences"}
    assert all(set(row) == keys for row in rows)
    # The samples that name him, read off the files themselves.
    naming = {path.stem for path in sorted(SAMPLES.glob("*.txt")) if "Lighthizer" in path.read_text(encoding="utf-8")}
    assert {row["id"] for row in rows} == naming
    for row in rows:
        assert row["mentions"] >= 1 and "Lighthizer" in row["sentence"]
        assert row["date"] == "" or re.fullmatch(r"\d{4}(-\d{2}){0,2}", row["date"])
    code, out, err = _cli(sample_library, capsys, "entities", "Robert Lighthizer")
    assert code == 0 and "mentions per month" in out and "named with it" in out
    code, out, err = _cli(sample_library, capsys, "entities", "Nobody Atall", "--json")
    assert code == 2 and not out and "no entity called 'Nobody Atall'" in err


def test_extract_prints_one_json_line_per_file(tmp_path, capsys):
    text = "Treasury Secretary Steven Mnuchin flew to Beijing — again, officials said on Monday."
    good = tmp_path / "a.txt"
    good.write_text(text, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    for extra in ([], ["--rules"]):
        code = main(["extract", *extra, str(good), str(missing)])
        out, err = capsys.readouterr()
        assert code == 1  # one file could not be read
        first, second = (json.loads(line) for line in out.splitlines())
        assert first["file"] == str(good) and "error" not in first
        assert {"Steven Mnuchin", "Beijing"} <= {m["canonical"] for m in first["mentions"]}
        for mention in first["mentions"]:
            assert set(mention) == {"start", "end", "text", "kind", "canonical"}
            assert text[mention["start"] : mention["end"]] == mention["text"] and mention["kind"] in ENTITY_KINDS
        assert set(second) == {"file", "mentions", "error"} and second["file"] == str(missing)
        assert second["mentions"] == [] and "no such file" in second["error"].lower()
        assert f"skipped {missing}: {second['error']}" in err and "Traceback" not in err
    assert main(["extract", str(good)]) == 0


def test_extract_names_a_hostile_file_safely(tmp_path, capsys):
    hostile = tmp_path / "osc\x1b]52;c;ZXZpbA==\x07 \u202eevil.txt"  # does not exist
    assert main(["extract", str(hostile)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["file"] == str(hostile)  # JSON escapes it
    assert "\x1b" not in out + err and "\u202e" not in out + err and "\x07" not in out + err
    assert "skipped " in err and "evil.txt: " in err and "no such file" in err.lower()
