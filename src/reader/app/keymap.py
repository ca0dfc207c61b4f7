"""Key overrides from the config file, checked before Textual applies them.

Textual's ``set_keymap`` silently ignores an id that names no binding and
lets two bindings share a key. A user's ``[keys]`` table gets one line per
mistake instead, and only the overrides that are sound are applied.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterator, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

#: The modules whose classes carry the app's bindings.
_MODULES = (
    "reader.app.app",
    "reader.app.screens.main",
    "reader.app.screens.help",
    "reader.app.screens.bookmark_dialog",
    "reader.app.screens.export_dialog",
    "reader.app.widgets.article_list",
    "reader.app.widgets.reading",
    "reader.app.widgets.entity_sidebar",
    "reader.app.widgets.search_pane",
    "reader.app.widgets.bookmarks_pane",
    "reader.app.controllers.web",
)
#: Classes whose keys work wherever the focus is: an override must not take one of theirs.
_EVERYWHERE = ("ReaderApp", "MainScreen")


def _subclasses(cls: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def binding_owners() -> dict[str, list[Binding]]:
    """Class name -> its bindings (inherited ones included), for the reader's own classes."""
    for module in _MODULES:
        importlib.import_module(module)
    owners: dict[str, list[Binding]] = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("reader.app") or "BINDINGS" not in cls.__dict__:
            continue
        owners[cls.__name__] = [binding for _key, binding in cls._merge_bindings() if binding.id]
    return owners


def _keys(text: str) -> set[str]:
    return {key.strip() for key in text.split(",") if key.strip()}


def checked_keymap(overrides: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The overrides that name a binding and clash with none, and one line per one that does not."""
    owners = binding_owners()
    ids = {binding.id: owner for owner, bindings in owners.items() for binding in bindings if binding.id}
    good: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in overrides.items():
        owner = ids.get(binding_id)
        if owner is None:
            close = difflib.get_close_matches(binding_id, ids, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else " (`reader help keys` lists the ids)"
            problems.append(f"keys: {binding_id!r} names no binding{hint}; ignored")
            continue
        wanted = _keys(keys)
        neighbours = {*owners[owner], *(b for name in _EVERYWHERE for b in owners.get(name, []))}
        clash = ""
        for other in neighbours:
            if other.id == binding_id or other.id is None:
                continue
            other_keys = _keys(overrides.get(other.id, other.key))
            shared = wanted & other_keys
            if shared:
                clash = f"{sorted(shared)[0]!r} is already {other.id}"
                break
        if clash:
            problems.append(f"keys: {binding_id!r} = {keys!r} clashes: {clash}; ignored")
            continue
        good[binding_id] = keys
    return good, problems


def keys_table() -> list[tuple[str, str, str]]:
    """``(binding id, keys, what it does)`` for every binding a ``[keys]`` table may override."""
    rows = {
        binding.id: (binding.id, binding.key, binding.description or binding.action)
        for bindings in binding_owners().values()
        for binding in bindings
        if binding.id
    }
    return [rows[binding_id] for binding_id in sorted(rows)]
