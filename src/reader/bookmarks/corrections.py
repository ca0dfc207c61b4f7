"""The user's corrections to extracted entities: user data, like bookmarks.

One table in the user-state database (never in the rebuildable index, so
``index --rebuild`` cannot touch it): ``entity_corrections``, one row per
correction — ``merge`` (``name`` into ``value``), ``rename`` (``name`` is
shown as ``value``), ``kind`` (``name`` becomes a ``value``) and ``hide``
("not an entity"). Entities are named as the user saw them, with their kind
(the catalog's corpus key is derived from both, so the rows survive any
rebuild and any extractor version). Undoing marks a row ``undone``; rows are
never deleted, so ``reader entities curation`` can show the whole history.

How corrections are applied is not this module's business: see
:mod:`reader.index.curation` (at query time, over the catalog).
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from .database import UserStateDatabase
from .record import now

ACTIONS = ("merge", "rename", "kind", "hide")
_COLUMNS = "id, action, name, kind, value, value_kind, created, COALESCE(undone, '')"


@dataclass(frozen=True, slots=True)
class Correction:
    id: str
    action: str  # one of ACTIONS
    name: str  # the entity corrected, as the user saw it
    kind: str  # its kind when corrected
    value: str = ""  # merge: the target's name; rename: the new name; kind: the new kind
    value_kind: str = ""  # merge: the target's kind
    created: str = ""
    undone: str = ""  # when it was undone ("" while it applies)

    @property
    def active(self) -> bool:
        return not self.undone

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """One line for people: ``merged "AWS" (org) into "Amazon"``."""
        what = {
            "merge": f"merged {self.name!r} ({self.kind}) into {self.value!r}",
            "rename": f"renamed {self.name!r} ({self.kind}) to {self.value!r}",
            "kind": f"changed {self.name!r} from {self.kind} to {self.value}"
            if self.kind != self.value
            else f"kept {self.name!r} as {self.value}",
            "hide": f"hid {self.name!r} ({self.kind})",
        }[self.action]
        return what + (" (undone)" if self.undone else "")


class CorrectionNotFound(KeyError):
    pass


class CorrectionTable(UserStateDatabase):
    """The ``entity_corrections`` table; each change one durable transaction."""

    def corrections(self, *, include_undone: bool = True) -> list[Correction]:
        """Every correction, newest first."""
        where = "" if include_undone else " WHERE undone IS NULL"
        rows = self.read(f"SELECT {_COLUMNS} FROM entity_corrections{where} ORDER BY seq DESC")
        return [Correction(*row) for row in rows]

    def active_corrections(self) -> list[Correction]:
        """The corrections that apply, oldest first (the order to apply them in)."""
        return list(reversed(self.corrections(include_undone=False)))

    def add_correction(self, action: str, name: str, kind: str, value: str = "", value_kind: str = "") -> Correction:
        if action not in ACTIONS:
            raise ValueError(f"unknown correction {action!r} (one of {', '.join(ACTIONS)})")
        correction = Correction(secrets.token_hex(4), action, name, kind, value, value_kind, now())
        with self.write() as conn:
            _insert(conn, correction)
        return correction

    def undo_correction(self, correction_id: str | None = None) -> Correction:
        """Undo one correction (the newest that applies when no id is given)."""
        active = self.corrections(include_undone=False)
        chosen = next((c for c in active if correction_id in (None, c.id)), None)
        if chosen is None:
            raise CorrectionNotFound(correction_id or "")
        at = now()
        with self.write() as conn:
            conn.execute("UPDATE entity_corrections SET undone = ? WHERE id = ?", (at, chosen.id))
        return Correction(*{**asdict(chosen), "undone": at}.values())


def _insert(conn: sqlite3.Connection, c: Correction) -> None:
    conn.execute(
        "INSERT INTO entity_corrections (id, action, name, kind, value, value_kind, created, undone)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (c.id, c.action, c.name, c.kind, c.value, c.value_kind, c.created, c.undone or None),
    )


# -- the export section --------------------------------------------------------------


def export_corrections(db: UserStateDatabase) -> list[dict[str, Any]]:
    rows = db.read(f"SELECT {_COLUMNS} FROM entity_corrections ORDER BY seq")
    return [Correction(*row).to_json() for row in rows]


def parse_correction_item(item: Any, index: int) -> Correction:
    if not isinstance(item, dict):
        raise ValueError(f"entity correction {index} is not an object")
    values = {field: item.get(field, "") for field in Correction.__dataclass_fields__}
    bad = [field for field, value in values.items() if not isinstance(value, str)]
    if bad:
        raise ValueError(f"entity correction {index} has a {bad[0]!r} that is not text")
    if values["action"] not in ACTIONS:
        raise ValueError(f"entity correction {index} has an unknown action {values['action']!r}")
    if not values["id"] or not values["name"].strip() or not values["kind"]:
        raise ValueError(f"entity correction {index} has no id, name or kind")
    if values["action"] != "hide" and not values["value"].strip():
        raise ValueError(f"entity correction {index} ({values['action']}) has no value")
    return Correction(**{**values, "created": values["created"] or now()})


def merge_corrections(conn: sqlite3.Connection, incoming: list[Correction]) -> tuple[int, int]:
    ids = {row[0] for row in conn.execute("SELECT id FROM entity_corrections")}
    added = skipped = 0
    for correction in incoming:
        if correction.id in ids:
            skipped += 1
            continue
        _insert(conn, correction)
        ids.add(correction.id)
        added += 1
    return added, skipped
