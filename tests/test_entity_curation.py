"""Entity corrections: merge, rename, kind, hide, undo — kept as user data, applied everywhere."""

from __future__ import annotations

import json
import shutil

import pytest

from reader import Library, QueryError
from reader.bookmarks import BookmarkStore, store_path
from reader.cli import main

from .opensearch.fixtures import cluster_environment
from .paths import SAMPLES


@pytest.fixture(scope="module", params=["whoosh", "opensearch"])
def backend_env(request):
    """The environment choosing the backend: none (the local index), or the suite's cluster
    (corrections are applied at query time on both, from the same user-state database)."""
    if request.param == "whoosh":
        return {}
    return cluster_environment(request.getfixturevalue("opensearch_cluster"), "curation")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, backend_env):
    """The samples indexed once with entities; each test gets a fresh user-state database."""
    root = tmp_path_factory.mktemp("curation")
    shutil.copytree(SAMPLES, root / "articles")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in backend_env.items():
            patch.setenv(name, value)
        with Library(root / "articles", root / "index") as lib:
            lib.sync(rebuild=True)
    return root


@pytest.fixture
def run(indexed, backend_env, capsys, monkeypatch):
    for name, value in backend_env.items():
        monkeypatch.setenv(name, value)
    for leftover in (indexed / "index").glob("bookmarks.sqlite*"):
        leftover.unlink()

    def invoke(*args):
        code = main(["--articles", str(indexed / "articles"), "--index", str(indexed / "index"), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _entities(run, *args):
    code, out, _ = run("entities", "--json", *args)
    return {e["name"]: e for e in json.loads(out)} if code == 0 else {}


def _hits(run, query):
    code, out, _ = run("search", query, "--json")
    return [hit["id"] for hit in json.loads(out)["hits"]]


def test_merge_kind_hide_apply_to_listing_and_search(run):
    before = _entities(run)
    assert before["Amazon Web Services"]["kind"] == "org" and before["Pfizer"]["kind"] == "org"
    assert _hits(run, "org:pfizer") and _hits(run, 'group:"sino-u.s."')
    amazon_ids = set(_hits(run, "org:amazon"))

    assert run("entities", "merge", "Amazon Web Services", "--into", "Amazon")[0] == 0
    assert run("entities", "kind", "Pfizer", "other")[0] == 0
    assert run("entities", "hide", "Sino-U.S.")[0] == 0

    after = _entities(run)
    assert "Amazon Web Services" not in after
    amazon = after["Amazon"]
    assert "Amazon Web Services" in amazon["aliases"]
    assert amazon["mentions"] == before["Amazon"]["mentions"] + before["Amazon Web Services"]["mentions"]
    assert after["Pfizer"]["kind"] == "other" and "Pfizer" not in _entities(run, "--kind", "org")
    assert "Sino-U.S." not in after
    assert _hits(run, 'org:"amazon web services"')
    assert set(_hits(run, "org:amazon")) >= amazon_ids
    assert _hits(run, "org:pfizer") == [] and _hits(run, "other:pfizer")
    assert _hits(run, 'group:"sino-u.s."') == []

    code, out, _ = run("entities", "curation", "--json")
    listed = json.loads(out)
    assert code == 0 and [c["action"] for c in listed] == ["hide", "kind", "merge"]  # newest first


def test_corrections_survive_a_rebuild_and_reach_the_sidebar(run, indexed):
    run("entities", "merge", "Amazon Web Services", "--into", "Amazon")
    run("entities", "hide", "Sino-U.S.")
    assert run("index", "--rebuild", "-q")[0] == 0
    after = _entities(run)
    assert "Amazon Web Services" in after["Amazon"]["aliases"] and "Sino-U.S." not in after
    with Library(indexed / "articles", indexed / "index") as lib:
        names = {(m.canonical, m.kind) for a in lib.articles() for m in lib.article(a.id).mentions}
    assert ("Amazon Web Services", "org") not in names and ("Amazon", "org") in names
    assert not any(name == "Sino-U.S." for name, _kind in names)


def test_undo_unhide_and_rename(run):
    run("entities", "hide", "Sino-U.S.")
    assert "Sino-U.S." not in _entities(run)
    code, _, err = run("entities", "unhide", "Sino-U.S.")
    assert code == 0 and "Sino-U.S." in _entities(run)

    run("entities", "rename", "Robert Lighthizer", "Bob Lighthizer")
    renamed = _entities(run)
    assert "Bob Lighthizer" in renamed and "Robert Lighthizer" not in renamed
    assert run("entities", "Bob Lighthizer")[0] == 0
    assert run("entities", "undo")[0] == 0
    assert "Robert Lighthizer" in _entities(run)
    code, out, _ = run("entities", "curation", "--json")
    assert all(c["undone"] for c in json.loads(out))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("merge", "Amazon", "--into", "Amazon"), "into itself"),
        (("rename", "Pfizer", "Amazon"), "reader entities merge 'Pfizer' --into 'Amazon'"),
        (("hide", "Lighthzer"), "did you mean 'Robert Lighthizer'"),
        (("kind", "Pfizer", "alien"), "unknown kind 'alien'"),
        (("unhide", "Amazon"), "is not hidden"),
        (("undo",), "no correction to undo"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_changed(run, args, says):
    code, out, err = run("entities", *args)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1
    assert run("entities", "curation")[0] == 1  # nothing recorded


def test_merge_into_a_hidden_entity_is_refused(run):
    run("entities", "hide", "Sino-U.S.")
    code, _, err = run("entities", "merge", "Pfizer", "--into", "Sino-U.S.")
    assert code == 2 and "is hidden" in err
    code, out, _ = run("entities", "curation", "--json")
    assert len(json.loads(out)) == 1


def test_corrections_travel_in_the_export(run, indexed, tmp_path):
    run("entities", "kind", "Pfizer", "other")
    with BookmarkStore(store_path(indexed / "index")) as store:
        document = store.export_document()
    assert [c["action"] for c in document["entity_corrections"]] == ["kind"]
    with BookmarkStore(tmp_path / "other.sqlite") as other:
        assert other.import_document(document).counts["entity_corrections"] == (1, 0)
        assert other.import_document(document).counts["entity_corrections"] == (0, 1)
        assert [c.name for c in other.active_corrections()] == ["Pfizer"]
    document["entity_corrections"][0]["action"] = "explode"
    with BookmarkStore(tmp_path / "third.sqlite") as third, pytest.raises(ValueError, match="unknown action"):
        third.import_document(document)


# -- following one entity ----------------------------------------------------------------------


def test_show_json_has_timeline_together_and_articles(run, indexed):
    code, out, err = run("entities", "show", "lighthizer", "--json")
    assert code == 0, err
    page = json.loads(out)
    assert page["name"] == "Robert Lighthizer" and page["kind"] == "person"
    assert page["article_count"] == len(page["articles"]) >= 3
    timeline = page["timeline"]
    dated = [a for a in page["articles"] if a["date"]]
    assert timeline["unit"] == "month"
    assert sum(p["mentions"] for p in timeline["periods"]) + timeline["undated_mentions"] == page["mentions"]
    assert timeline["undated_articles"] == len(page["articles"]) - len(dated) > 0
    assert [p["period"] for p in timeline["periods"]] == sorted({a["date"][:7] for a in dated})
    together = [c["name"] for c in page["together"]]
    assert "Steven Mnuchin" in together[:3] and "Liu He" in together
    assert together.index("Steven Mnuchin") < together.index("United States")  # not just the most frequent
    dates = [a["date"] for a in dated]
    assert dates == sorted(dates, reverse=True) and page["articles"][: len(dated)] == dated  # newest first, undated last
    with Library(indexed / "articles", indexed / "index") as lib:
        for row in page["articles"]:
            body = lib.article(row["id"]).body
            assert body[row["offset"] :].startswith(("Robert Lighthizer", "Lighthizer", "Mr. Lighthizer"))
            assert "Lighthizer" in row["sentence"]


def test_show_follows_corrections_and_refuses_unknown_names(run):
    run("entities", "hide", "Steven Mnuchin")
    code, out, _ = run("entities", "show", "Robert Lighthizer", "--json")
    assert "Steven Mnuchin" not in [c["name"] for c in json.loads(out)["together"]]
    code, out, err = run("entities", "show", "Lighthzer")
    assert code == 2 and "did you mean 'Robert Lighthizer'" in err and not out
    code, out, _ = run("entities", "show", "Robert Lighthizer")
    assert code == 0 and "mentions per month" in out and "undated" in out


def test_bookmarks_list_by_entity(run):
    assert run("bookmarks", "add", "000_ea3cef877529f866", "--quote", "U.S. Trade Representative Robert Lighthizer")[0] == 0
    assert run("bookmarks", "add", "001_f84b68a56f694696", "--quote", "Vice Premier Liu He revised")[0] == 0
    code, out, _ = run("bookmarks", "list", "--entity", "lighthizer", "--json")
    assert code == 0 and [b["article"] for b in json.loads(out)] == ["000_ea3cef877529f866"]
    code, out, _ = run("bookmarks", "list", "--entity", "Liu He", "--json")
    assert sorted(b["article"] for b in json.loads(out)) == ["000_ea3cef877529f866", "001_f84b68a56f694696"]
    code, _, err = run("bookmarks", "list", "--entity", "Lighthzer")
    assert code == 2 and "did you mean 'Robert Lighthizer'" in err


def test_entity_words_inside_bookmark_searches(run, indexed):
    assert run("bookmarks", "add", "000_ea3cef877529f866", "--quote", "U.S. Trade Representative Robert Lighthizer")[0] == 0
    assert run("bookmarks", "add", "001_f84b68a56f694696", "--quote", "Vice Premier Liu He revised")[0] == 0
    with Library(indexed / "articles", indexed / "index") as lib:
        assert [b.article for b in lib.search_bookmarks("person:lighthizer")] == ["000_ea3cef877529f866"]
        assert [b.article for b in lib.search_bookmarks("vice -person:lighthizer")] == ["001_f84b68a56f694696"]
        assert [b.article for b in lib.search_bookmarks("trade person:lighthizer")] == ["000_ea3cef877529f866"]
        assert lib.search_bookmarks("revised person:lighthizer") == []
        assert len(lib.search_bookmarks('person:"liu he"')) == 2
        lib.bookmarks.add_correction("merge", "Amazon Web Services", "org", "Amazon", "org")
        lib.bookmarks.add_correction("hide", "Robert Lighthizer", "person")
        assert lib.search_bookmarks("person:lighthizer") == []  # hidden: no article through it
        with pytest.raises(QueryError):
            lib.search_bookmarks("person:" + "x" * 600)  # a word too long to search


def test_dossier_markdown_and_json(run):
    hostile = "check [this](javascript:alert(1)) <img src=x> \x1b[31mred\x1b[0m &#x202e; # not a heading"
    assert run("bookmarks", "add", "000_ea3cef877529f866", "--quote", "U.S. Trade Representative Robert Lighthizer",
               "--note", hostile, "--tag", "trade")[0] == 0
    _, page, _ = run("entities", "show", "lighthizer", "--json")
    articles = json.loads(page)["articles"]

    code, out, err = run("entities", "dossier", "lighthizer")
    assert code == 0, err
    assert out.startswith("# Robert Lighthizer\n") and "## Named with it" in out and "Steven Mnuchin" in out
    for article in articles:  # each with its date (or undated), its file and every sentence naming him
        assert f"id: {article['id'].replace('_', chr(92) + '_')}" in out
        for sentence in article["sentences"]:
            assert sentence.split()[-1].rstrip(".") in out
    assert "undated" in out and "Lighthizer" in out
    assert "Note: check \\[this\\](javascript:alert(1)) \\<img src=x\\> red \\&\\#x202e; \\# not a heading" in out
    assert "\x1b" not in out and "[this](" not in out and " <img" not in out

    code, out, _ = run("entities", "dossier", "Robert Lighthizer", "--format", "json")
    dossier = json.loads(out)
    assert code == 0 and dossier["entity"]["name"] == "Robert Lighthizer"
    assert [a["id"] for a in dossier["articles"]] == [a["id"] for a in articles]
    assert all(a["sentences"] and all("Lighthizer" in s for s in a["sentences"]) for a in dossier["articles"])
    [marked] = [a for a in dossier["articles"] if a["bookmarks"]]
    assert marked["id"] == "000_ea3cef877529f866" and marked["bookmarks"][0]["tags"] == ["trade"]
    assert "\x1b" not in marked["bookmarks"][0]["note"] and "red" in marked["bookmarks"][0]["note"]
    assert "Liu He" in [c["name"] for c in dossier["together"]]

    code, out, err = run("entities", "dossier", "Lighthzer")
    assert code == 2 and not out and "did you mean 'Robert Lighthizer'" in err


def test_kind_it_has_already_is_kept_as_a_correction(run):
    code, _, err = run("entities", "kind", "iCloud", "other")  # the done-means: it holds after any re-extraction
    assert code == 0 and "kept 'iCloud' as other" in err
    code, out, _ = run("entities", "curation", "--json")
    assert [(c["action"], c["value"]) for c in json.loads(out)] == [("kind", "other")]


def test_a_lone_surname_follows_a_correction_of_its_full_name(run, indexed):
    with Library(indexed / "articles", indexed / "index") as lib:
        before = {m.canonical for m in lib.article("000_ea3cef877529f866").mentions if m.kind == "person"}
    assert "Trump" in before and "Donald Trump" not in before  # "President Trump" there: the corpus links it
    assert run("entities", "rename", "Donald Trump", "Donald J. Trump")[0] == 0
    with Library(indexed / "articles", indexed / "index") as lib:
        after = {m.canonical for m in lib.article("000_ea3cef877529f866").mentions if m.kind == "person"}
    assert "Donald J. Trump" in after and "Trump" not in after

