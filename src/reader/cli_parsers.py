"""The ``reader`` subcommands, each parser built the first time it is needed.

Building all ~45 parsers took ~15 ms of every new process (argparse checks each
argument with a help formatter that asks the terminal its size, and looks up each
parser's titles in gettext), and a run uses one of them. ``commands.add_parser``
here lists the command and its help at once, as argparse does, and returns a
:class:`Declared` that keeps the ``add_argument``, ``add_subparsers`` and
``add_parser`` calls made on it; they are replayed on a real parser when it is
first looked up: by argparse when the command is chosen, by anything that walks
``choices`` (the completion scripts) for all of them, never by ``reader --help``.
The declarations are the same code either way (``build_parser(lazy=False)``
builds everything at once; a test compares the two).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from typing import Any


class Declared:
    """A parser, or the subcommands of one, not built yet: the calls made on it, in order."""

    def __init__(self) -> None:
        self._calls: list[tuple[str, tuple[Any, ...], dict[str, Any], Declared | None]] = []

    def add_argument(self, *args: Any, **kwargs: Any) -> None:
        self._calls.append(("add_argument", args, kwargs, None))

    def add_subparsers(self, **kwargs: Any) -> Declared:
        return self._nested("add_subparsers", (), kwargs)

    def add_parser(self, name: str, **kwargs: Any) -> Declared:
        return self._nested("add_parser", (name,), kwargs)

    def _nested(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Declared:
        declared = Declared()
        self._calls.append((method, args, kwargs, declared))
        return declared

    def replay(self, target: Any) -> None:
        """Make the calls on ``target`` (an ArgumentParser, or what its ``add_subparsers`` returned)."""
        for method, args, kwargs, nested in self._calls:
            made = getattr(target, method)(*args, **kwargs)
            if nested is not None:
                nested.replay(made)


class _Pending:
    """A subcommand's parser arguments and its declarations, until it is built."""

    __slots__ = ("declared", "kwargs")

    def __init__(self, kwargs: dict[str, Any], declared: Declared) -> None:
        self.kwargs, self.declared = kwargs, declared


class _ParsersOnUse(dict[str, Any]):
    """argparse's name -> parser map, where a pending parser is built when it is looked up."""

    def __init__(self, build: Callable[[str, _Pending], argparse.ArgumentParser]) -> None:
        super().__init__()
        self._build = build

    def __getitem__(self, name: str) -> Any:
        value = super().__getitem__(name)
        if isinstance(value, _Pending):
            value = self._build(name, value)
            super().__setitem__(name, value)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self else default

    def values(self) -> Iterator[Any]:  # type: ignore[override] # iterated, never kept as a view
        return (self[name] for name in list(self))

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override] # iterated, never kept as a view
        return ((name, self[name]) for name in list(self))


class LazySubcommands(argparse._SubParsersAction):  # type: ignore[type-arg] # argparse's own action, subclassed
    """``add_subparsers`` of the top-level parser (registered as its ``parsers`` action)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._name_parser_map = self.choices = _ParsersOnUse(self._built)
        self._finishing: list[Callable[[str, argparse.ArgumentParser], None]] = []

    def add_parser(self, name: str, **kwargs: Any) -> Declared:
        """What argparse's ``add_parser`` does, except building the parser (no aliases here)."""
        if kwargs.get("prog") is None:
            kwargs["prog"] = f"{self._prog_prefix} {name}"
        if name in self._name_parser_map:
            raise argparse.ArgumentError(self, f"conflicting subparser: {name}")
        if "help" in kwargs:
            self._choices_actions.append(self._ChoicesPseudoAction(name, (), kwargs.pop("help")))
        declared = Declared()
        self._name_parser_map[name] = _Pending(kwargs, declared)
        return declared

    def when_built(self, step: Callable[[str, argparse.ArgumentParser], None]) -> None:
        """Call ``step(name, parser)`` for each subcommand once it is built (after its own declarations)."""
        self._finishing.append(step)

    def _built(self, name: str, pending: _Pending) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._parser_class(**pending.kwargs)
        pending.declared.replay(parser)
        for step in self._finishing:
            step(name, parser)
        return parser
