"""Bad article files and folders, indexed together with good ones.

The corpus comes from ``tests/badfiles.py`` (50-odd kinds). It is indexed
twice, once with ``Library.sync()`` and once with ``reader index``, each
with the while-indexing kinds armed. For every kind: no crash, the right
outcome (indexed, or skipped with one clear line naming the file and the
reason), every good file indexed, and search still working afterwards.

Extending: another layer (the app, bookmarks) can take the session fixture
``bad_run`` (conftest.py) and check its own behaviour on the same library;
see ``BadRun`` in ``tests/badfiles.py``.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from reader import Library
from reader.cli import main
from reader.text.controls import printable
from tests import badfiles
from tests.badfiles import BAD_KINDS, GOOD, PWNED, BadRun, available

KINDS = [kind for kind in BAD_KINDS if available(kind)]


def _skips(run: BadRun) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for skipped in run.report.skipped:
        found.setdefault(skipped.path, []).append(skipped.reason)
    return found


def _hit_paths(library: Library, word: str) -> list[str]:
    return [hit.path for hit in library.search(word, limit=50)]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_bad_kind(bad_run, kind):
    made = bad_run.made[kind.name]
    skips = _skips(bad_run)
    if kind.expect == "skipped":
        for path in made.paths:
            assert path in skips, f"{kind.name}: {path!r} not reported; skipped: {sorted(skips)}"
            assert len(skips[path]) == 1, f"{path!r} reported twice: {skips[path]}"
            reason = skips[path][0]
            assert kind.reason.lower() in reason.lower(), f"{kind.name}: reason {reason!r}"
            assert "\n" not in reason and printable(reason) == reason
        if made.probe:
            assert _hit_paths(bad_run.library, made.probe) == [], f"{kind.name}: its text was indexed"
    elif kind.expect == "indexed":
        for path in made.paths:
            assert path not in skips, f"{kind.name}: skipped ({skips.get(path)})"
        assert made.probe, kind.name
        assert _hit_paths(bad_run.library, made.probe) == made.paths
        article = bad_run.library.article(bad_run.library.search(made.probe).hits[0].id)
        assert article.paragraphs and article.title
        assert all("\x1b" not in p and "\x00" not in p for p in article.paragraphs)
    else:  # ignored
        assert not any(path in skips for path in made.paths)
        assert made.probe and _hit_paths(bad_run.library, made.probe) == []


def test_every_good_file_is_indexed_and_search_works(bad_run):
    library = bad_run.library
    for relpath, word in bad_run.good.items():
        assert _hit_paths(library, word) == [relpath]
    indexed = sum(len(bad_run.made[k.name].paths) for k in KINDS if k.expect == "indexed")
    alongside = {path: word for made in bad_run.made.values() for path, word in made.also_indexed.items()}
    for relpath, word in alongside.items():
        assert _hit_paths(library, word) == [relpath]
    assert len(library) == GOOD + indexed + len(alongside)
    results = library.search("officials said", limit=5)
    assert results.total >= GOOD and all(hit.snippets for hit in results)
    assert library.search("trade OR tariff", limit=500).total >= GOOD


def test_yaml_front_matter_runs_no_code(bad_run):
    # A 20 MB line, a 5,000-paragraph file, a hover-card regex trap and 100,000
    # nested tags are all in there too: a stall fails the run by pytest-timeout.
    assert not PWNED.exists(), "YAML front matter executed code"


def test_second_sync_is_quiet_and_reports_the_same_files(bad_run):
    with badfiles.armed(bad_run.root, bad_run.made, during_read=False):
        again = bad_run.library.sync(entities=False)
    assert not again.touched
    first = {s.path for s in bad_run.report.skipped}
    # Deleted while indexing, or a folder now: nothing to say about those any more.
    gone = {path for path in first if not os.path.lexists(bad_run.root / path) or (bad_run.root / path).is_dir()}
    gone -= {p for k in KINDS if "permissions" in k.tags or k.requires == "symlinks" for p in bad_run.made[k.name].paths}
    gone.discard(bad_run.made["name-invalid-utf8"].paths[0])
    assert {s.path for s in again.skipped} == first - gone
    # Files changed while being read were recorded with the state the scan saw,
    # so the sync after reads them again (the second one did): now nothing is pending.
    with badfiles.armed(bad_run.root, bad_run.made, during_read=False):
        assert bad_run.library.pending() == 0


def test_specific_outcomes(bad_run):
    library = bad_run.library
    made = bad_run.made
    long = library.article(library.search(made["5000-paragraphs"].probe).hits[0].id)
    assert len(long.paragraphs) == 5000
    latin = library.search("société genève")
    assert [h.path for h in latin] == made["latin1"].paths
    assert library.article(latin.hits[0].id).title == "Café société à Genève"
    assert [h.path for h in library.search("quoted headline")] == made["cp1252-quotes"].paths
    # Rewritten between scan and read: the new text is what got indexed.
    assert _hit_paths(library, badfiles.unique_word("rewritten-old")) == []
    # The inside of a folder with a symlink loop is read once; nothing outside the folder is.
    assert _hit_paths(library, made["symlink-outside"].probe) == []
    assert _hit_paths(library, badfiles.unique_word("loops")) == ["loops/inside.txt"]
    # Hostile file names are kept as they are (they are ids) ...
    assert _hit_paths(library, made["name-escape"].probe) == made["name-escape"].paths


def test_cli_prints_one_line_per_skipped_file(bad_run):
    assert bad_run.cli_code == 0
    err = bad_run.cli_err
    assert "Traceback" not in err
    assert "\x1b" not in err and "\x07" not in err, "an escape sequence from a file name reached the terminal"
    lines = err.splitlines()
    skipped_lines = [line for line in lines if line.startswith("skipped ")]
    for kind in KINDS:
        if kind.expect != "skipped":
            continue
        for path in bad_run.made[kind.name].paths:
            wanted = f"skipped {printable(path)}: "
            matching = [line for line in skipped_lines if line.startswith(wanted)]
            assert len(matching) == 1, f"{kind.name}: {wanted!r} in {skipped_lines}"
            assert kind.reason.lower() in matching[0].lower()
    assert len(skipped_lines) == sum(len(bad_run.made[k.name].paths) for k in KINDS if k.expect == "skipped")
    summary = next(line for line in lines if " articles indexed, " in line)
    assert re.match(r"\d+ articles indexed, \d+ added, \d+ skipped, searchable in [\d.]+ s$", summary), summary
    after = lines[lines.index(summary) + 1 :]  # the entity phase and the segment merge, if any
    assert all(line.startswith(("entities: ", "merged ")) for line in after), after
    with Library(bad_run.root, bad_run.cli_index) as library:
        for relpath, word in bad_run.good.items():
            assert _hit_paths(library, word) == [relpath]


def test_cli_search_shows_hostile_names_escaped(bad_run, capsys):
    word = bad_run.made["name-escape"].probe
    code = main(["--articles", str(bad_run.root), "--index", str(bad_run.cli_index), "search", word])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "osc\\x1b]52;c;ZXZpbA==\\x07name" in out


def test_unreadable_files_are_skipped_then_indexed_once_readable(tmp_path):
    """Mode 000 (really, or simulated where root ignores it): skipped with the reason, and
    read by the next sync once readable again (nothing about the file itself changed)."""
    root = tmp_path / "articles"
    kinds = [kind for kind in KINDS if "permissions" in kind.tags]
    made = badfiles.make_bad_corpus(root, kinds)
    unreadable_word, locked_word = made["unreadable-file"].probe, badfiles.unique_word("locked")
    try:
        with Library(root, tmp_path / "index") as library:
            with badfiles.armed(root, made, during_read=False):
                report = library.sync(entities=False)
            reasons = {skipped.path: skipped.reason.lower() for skipped in report.skipped}
            assert set(reasons) == {"unreadable.txt", "locked"}
            for kind in kinds:
                assert kind.reason in reasons[made[kind.name].paths[0]]
            assert _hit_paths(library, unreadable_word) == [] and _hit_paths(library, locked_word) == []

            badfiles.cleanup(made)  # readable again
            again = library.sync(entities=False)
            assert again.skipped == []
            assert _hit_paths(library, unreadable_word) == ["unreadable.txt"]
            assert _hit_paths(library, locked_word) == ["locked/inside.txt"]
    finally:
        badfiles.cleanup(made)


def test_generator_has_enough_kinds():
    assert len(BAD_KINDS) >= 30
    assert len({k.name for k in BAD_KINDS}) == len(BAD_KINDS)


def test_generator_cli_writes_a_corpus(tmp_path):
    assert badfiles.main([str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "good" / "0000.txt").exists()
    shutil.rmtree(tmp_path / "c", ignore_errors=True)
