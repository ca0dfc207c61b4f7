"""Subcommand parsers built on first use (cli_parsers.py) behave as parsers built at once."""

from __future__ import annotations

import argparse
import contextlib
import io
from typing import Any

import pytest

from reader import cli_entities
from reader.cli import build_parser


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from walk(sub, (*path, name))


def test_every_command_has_the_same_help_either_way(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    lazy = {path: sub.format_help() for path, sub in walk(build_parser())}
    eager = {path: sub.format_help() for path, sub in walk(build_parser(lazy=False))}
    assert len(lazy) > 40 and ("search",) in lazy and ("bookmarks", "add") in lazy
    assert lazy == eager


def parsed(argv: list[str], *, lazy: bool) -> tuple[Any, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: Any = sorted(vars(build_parser(lazy=lazy).parse_args(cli_entities.route(argv))).items())
        except SystemExit as stop:
            result = ("exit", stop.code)
    return result, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "palladium"],
        ["--articles", "a", "search", "x", "y", "--index", "i", "-n", "3", "--sort", "date"],
        ["search"],
        ["search", "--sort", "bogus", "w"],
        ["bogus"],
        [],
        ["--help"],
        ["search", "--help"],
        ["--version"],
        ["--art", "x", "search", "y"],
        ["entities", "merge", "a", "b", "--into", "c"],
        ["entities", "show", "--help"],
        ["entities", "--kind", "person", "-n", "2"],
        ["bookmarks"],
        ["bookmarks", "add", "id1", "--quote", "q", "--tag", "t", "--tag", "u"],
        ["bookmarks", "add", "--help"],
        ["saved", "list", "--json"],
        ["feeds", "remove"],
        ["config", "show", "--index", "elsewhere"],
        ["index", "--part", "9/2"],
        ["completion", "zsh"],
        ["help", "query"],
        ["__names", "feeds"],
        ["show", "x", "--articles"],
    ],
)
def test_the_same_arguments_parse_the_same_way(argv, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert parsed(argv, lazy=True) == parsed(argv, lazy=False)


def test_a_command_builds_only_its_own_parser():
    from reader.cli_parsers import _Pending

    parser = build_parser()
    parser.parse_args(["search", "palladium"])
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    built = {name for name in commands.choices if not isinstance(dict.__getitem__(commands.choices, name), _Pending)}
    assert built == {"search"}
