"""Checking and recording the user's entity corrections (the CLI and the app share it).

Each function checks first and writes only a correction that makes sense:
an unknown name (with the closest names suggested), merging an entity into
itself or into a hidden one, renaming to a name another entity has (or to
its own), or an unknown kind raise :class:`CurationError` (one line) and
change nothing. Corrections go to the user-state database
(:mod:`reader.bookmarks.corrections`); the index applies them at query time
(:mod:`reader.index.curation`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import ENTITY_KINDS, EntitySummary

if TYPE_CHECKING:
    from .bookmarks.corrections import Correction
    from .library import Library


class CurationError(ValueError):
    """A correction that cannot be made; the message is one line for the user."""


def find_entity(library: Library, name: str, kind: str | None = None) -> EntitySummary:
    """The listed entity called ``name`` (its shown name or a spelling of it)."""
    listed = library.entities(kind=kind)
    folded = name.strip().casefold()
    matches = [e for e in listed if e.name.casefold() == folded]
    matches = matches or [e for e in listed if folded in (a.casefold() for a in e.aliases)]
    if not matches:  # a lone word of one name only ("lighthizer")
        worded = [e for e in listed if folded in e.name.casefold().split()]
        matches = worded if len(worded) == 1 else []
    if matches:
        return max(matches, key=lambda e: (e.articles, e.mentions))
    if _hidden_correction(library, name) is not None:
        raise CurationError(f"{name!r} is hidden (reader entities unhide {name!r} shows it again)")
    spellings = {e.name: e.name for e in listed} | {a: e.name for e in listed for a in e.aliases}
    close = difflib.get_close_matches(name, list(spellings), n=3, cutoff=0.6)
    close += difflib.get_close_matches(folded, [s.casefold() for s in spellings], n=3, cutoff=0.6)
    lower = {s.casefold(): target for s, target in spellings.items()}
    suggestions = list(dict.fromkeys(spellings.get(c) or lower[c] for c in close))[:3]
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise CurationError(f"no entity called {name!r}{hint}")


@dataclass(frozen=True, slots=True)
class Planned:
    """A correction checked and ready to record, with how many articles it changes
    (the app asks for a confirmation when they are many)."""

    action: str
    name: str
    kind: str
    value: str = ""
    value_kind: str = ""
    articles: int = 0

    def describe(self) -> str:
        if self.action == "merge":
            return f"merge {self.name!r} ({self.kind}) into {self.value!r}"
        if self.action == "rename":
            return f"rename {self.name!r} to {self.value!r}"
        if self.action == "kind":
            return f"make {self.name!r} {self.value} (was {self.kind})"
        return f"hide {self.name!r} ({self.kind})"


class NameTaken(CurationError):
    """A rename to a name another entity has: merging into it is what makes them one."""

    def __init__(self, message: str, existing: str) -> None:
        super().__init__(message)
        self.existing = existing


def plan(library: Library, action: str, name: str, value: str = "", kind: str | None = None) -> Planned:
    """Check one correction of the entity ``name`` (of ``kind`` when given) without recording it."""
    if action == "merge":
        return plan_merge(library, [name], value, kind=kind)[0]
    if action == "rename":
        return plan_rename(library, name, value, kind=kind)
    if action == "kind":
        return plan_kind(library, name, value, kind=kind)
    if action == "hide":
        entity = find_entity(library, name, kind)
        return Planned("hide", entity.name, entity.kind, articles=entity.articles)
    raise CurationError(f"unknown correction {action!r}")


def record(library: Library, planned: Planned) -> Correction:
    """Write a planned correction to the user-state database."""
    return library.bookmarks.add_correction(planned.action, planned.name, planned.kind, planned.value, planned.value_kind)


def plan_merge(library: Library, names: list[str], into: str, *, kind: str | None = None) -> list[Planned]:
    if not into.strip():
        raise CurationError("name the entity to merge into")
    target = find_entity(library, into)
    planned = []
    for name in dict.fromkeys(names):
        source = find_entity(library, name, kind)
        if (source.name, source.kind) == (target.name, target.kind):
            raise CurationError(f"cannot merge {name!r} into itself")
        planned.append(Planned("merge", source.name, source.kind, target.name, target.kind, source.articles))
    return planned


def plan_rename(library: Library, name: str, new_name: str, *, kind: str | None = None) -> Planned:
    new_name = " ".join(new_name.split())
    if not new_name:
        raise CurationError("the new name is empty")
    entity = find_entity(library, name, kind)
    if new_name == entity.name:
        raise CurationError(f"{entity.name!r} already has that name")
    clash = next((e for e in library.entities() if e.name.casefold() == new_name.casefold() and e != entity), None)
    if clash is not None:
        raise NameTaken(
            f"{clash.name!r} already exists; to make them one: reader entities merge {entity.name!r} --into {clash.name!r}",
            clash.name,
        )
    return Planned("rename", entity.name, entity.kind, new_name, articles=entity.articles)


def plan_kind(library: Library, name: str, kind_wanted: str, *, kind: str | None = None) -> Planned:
    kind_wanted = kind_wanted.strip().casefold()
    if kind_wanted not in ENTITY_KINDS:
        raise CurationError(f"unknown kind {kind_wanted!r} (one of {', '.join(ENTITY_KINDS)})")
    entity = find_entity(library, name, kind)
    # the kind it has already is recorded too: it then holds whatever a later extractor decides
    return Planned("kind", entity.name, entity.kind, kind_wanted, articles=entity.articles)


def merge(library: Library, names: list[str], into: str) -> list[Correction]:
    """Merge each of ``names`` into the entity ``into`` (one correction each)."""
    return [record(library, planned) for planned in plan_merge(library, names, into)]


def rename(library: Library, name: str, new_name: str) -> Correction:
    return record(library, plan_rename(library, name, new_name))


def change_kind(library: Library, name: str, kind: str) -> Correction:
    return record(library, plan_kind(library, name, kind))


def hide(library: Library, name: str) -> Correction:
    return record(library, plan(library, "hide", name))


def unhide(library: Library, name: str) -> Correction:
    correction = _hidden_correction(library, name)
    if correction is None:
        find_entity(library, name)  # unknown: says so, with suggestions
        raise CurationError(f"{name!r} is not hidden")
    return library.bookmarks.undo_correction(correction.id)


def undo(library: Library, correction_id: str | None = None) -> Correction:
    from .bookmarks.corrections import CorrectionNotFound

    try:
        return library.bookmarks.undo_correction(correction_id)
    except CorrectionNotFound:
        raise CurationError(
            f"no correction {correction_id!r} to undo" if correction_id else "no correction to undo"
        ) from None


def _hidden_correction(library: Library, name: str) -> Correction | None:
    if not library.has_user_state():
        return None
    folded = name.strip().casefold()
    return next(
        (c for c in library.bookmarks.corrections(include_undone=False) if c.action == "hide" and c.name.casefold() == folded),
        None,
    )
