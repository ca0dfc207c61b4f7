"""The entity sidebar: the open article's entities, grouped by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import ENTITY_KINDS, Mention
from ..keys import list_bindings
from ..safe import safe_inline

#: Short kind names that fit a narrow sidebar.
KIND_LABELS = {
    "person": "People",
    "org": "Organisations",
    "place": "Places",
    "group": "Groups",
    "money": "Money",
    "percent": "Percentages",
    "date": "Dates",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class EntityRow:
    name: str  # canonical name, as the library knows it (untrusted)
    kind: str
    mentions: int


def group_mentions(mentions: Iterable[Mention]) -> dict[str, list[EntityRow]]:
    """Entities per kind, most mentioned first, from an article's mentions."""
    counts: Counter[tuple[str, str]] = Counter(
        (mention.kind, mention.canonical or mention.text) for mention in mentions
    )
    grouped: dict[str, list[EntityRow]] = {}
    for (kind, name), count in counts.items():
        grouped.setdefault(kind, []).append(EntityRow(name, kind, count))
    for rows in grouped.values():
        rows.sort(key=lambda row: (-row.mentions, row.name.casefold()))
    return {kind: grouped[kind] for kind in (*ENTITY_KINDS, *sorted(grouped)) if kind in grouped}


class EntityList(OptionList, inherit_bindings=False):
    """The options of the sidebar, with vim keys and binding ids."""

    # Enter (or a click) opens the entity's page; the id stays "entities.select" for keymaps
    BINDINGS = list_bindings("entities", "Entity page", open_name="select")


class EntitySidebar(Vertical):
    """Entities of the open article; Enter opens an entity's page, n/N step through its
    mentions in the text, f filters the list."""

    BINDINGS = [
        Binding("n", "mention(1)", "Next mention", id="entities.next_mention"),
        Binding("N", "mention(-1)", "Previous mention", show=False, id="entities.previous_mention"),
        Binding("f", "filter_articles", "Filter list", id="entities.filter_articles"),
        Binding("p", "entity_page", "Entity page", show=False, id="entities.entity_page"),
        # corrections (kept as user data, applied everywhere; u undoes the newest)
        Binding("m", "curate('merge')", "Merge", id="entities.merge"),
        Binding("R", "curate('rename')", "Rename", id="entities.rename"),
        Binding("K", "curate('kind')", "Kind", id="entities.kind"),
        Binding("h", "curate('hide')", "Hide", id="entities.hide"),
        Binding("u", "curate('undo')", "Undo fix", id="entities.undo"),
    ]

    COMPONENT_CLASSES = {
        "entity-sidebar--header",
        "entity-sidebar--off",
        "entity-sidebar--count",
        *(f"entity-sidebar--{kind}" for kind in ENTITY_KINDS),
    }

    DEFAULT_CSS = """
    EntitySidebar {
        & > EntityList {
            height: 1fr; border: none; padding: 0; background: transparent;
            text-wrap: nowrap; text-overflow: ellipsis;  /* one line per entity */
        }
        & > #entity-detail { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
        & > .entity-sidebar--header { text-style: bold; }
        /* Drawn as partial styles: $text-muted is an "auto" colour, which comes out white
           there (unreadable on the light theme); dim works on any background */
        & > .entity-sidebar--off { text-style: dim; }
        & > .entity-sidebar--count { text-style: dim; }
    }
    """

    class Chosen(Message):
        """``n``/``N`` on an entity: jump to its next (``step`` 1) or previous (-1) mention."""

        def __init__(self, name: str, kind: str, step: int = 1) -> None:
            super().__init__()
            self.name = name
            self.kind = kind
            self.step = step

    class Highlighted(Message):
        """The cursor moved to an entity (the screen looks up its article count)."""

        def __init__(self, name: str, kind: str) -> None:
            super().__init__()
            self.name = name
            self.kind = kind

    class FilterRequested(Message):
        """Filter the article list to the chosen entity (or clear that filter)."""

        def __init__(self, name: str, kind: str) -> None:
            super().__init__()
            self.name = name
            self.kind = kind

    class PageRequested(Message):
        """Enter, a click or ``p``: open the entity's page (timeline, who is named with it, its articles)."""

        def __init__(self, name: str, kind: str) -> None:
            super().__init__()
            self.name = name
            self.kind = kind

    class CurationRequested(Message):
        """Correct the entity: ``merge``, ``rename``, ``kind``, ``hide``; or ``undo`` the newest correction."""

        def __init__(self, action: str, name: str, kind: str) -> None:
            super().__init__()
            self.action = action
            self.name = name
            self.kind = kind

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._groups: dict[str, list[EntityRow]] = {}
        self._rows: dict[str, EntityRow] = {}
        self._kinds: frozenset[str] = frozenset()
        self.current: EntityRow | None = None
        self._mention_index = -1
        self._mention_total = 0
        self._articles: int | None = None
        self._filtering: str | None = None
        self._has_article = False
        self._pending_note = ""  # "Entities still coming…" while the second phase of indexing runs

    def compose(self) -> ComposeResult:
        yield EntityList(id="entity-list")
        yield Static(id="entity-detail", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Entities"
        # rebuilt once the new theme's styles are in place
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self._rebuild()

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._rebuild)

    # -- attributes down -------------------------------------------------------

    def set_mentions(self, mentions: Iterable[Mention]) -> None:
        """Show the entities of a newly opened article."""
        self._groups = group_mentions(mentions)
        self._has_article = True
        self.current = None
        self._mention_index, self._mention_total, self._articles = -1, 0, None
        self._rebuild()
        options = self.query_one(EntityList)
        if options.option_count:
            options.highlighted = next(
                (i for i in range(options.option_count) if not options.get_option_at_index(i).disabled),
                None,
            )

    def set_kinds(self, kinds: Iterable[str]) -> None:
        self._kinds = frozenset(kinds)
        self._rebuild()

    def set_position(self, index: int, total: int) -> None:
        """Which mention of the current entity is shown (from the reading pane)."""
        self._mention_index, self._mention_total = index, total
        self._update_detail()

    def set_article_count(self, name: str, count: int) -> None:
        if self.current is not None and self.current.name == name:
            self._articles = count
            self._update_detail()

    def set_pending(self, note: str) -> None:
        """Say that entities are still being extracted ("" once they are all in)."""
        if note != self._pending_note:
            self._pending_note = note
            self.border_subtitle = note
            self._rebuild()

    def set_filtering(self, name: str | None) -> None:
        self._filtering = name
        self._update_detail()

    @property
    def names(self) -> list[str]:
        """Entity names in display order (for tests)."""
        return [row.name for rows in self._groups.values() for row in rows]

    def select(self, name: str, kind: str | None = None) -> bool:
        """Move the cursor to an entity (e.g. one clicked in the text)."""
        options = self.query_one(EntityList)
        for option_id, row in self._rows.items():
            if row.name == name and (kind is None or row.kind == kind):
                options.highlighted = options.get_option_index(option_id)
                self.current = row
                self._articles = None
                self._update_detail()
                return True
        return False

    # -- drawing ---------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return Style.from_rich_style(self.get_component_rich_style(name, partial=True))

    def _rebuild(self, *_args: object) -> None:
        if not self.is_mounted:
            return
        options = self.query_one(EntityList)
        highlighted = options.highlighted
        new_options: list[Option] = []
        self._rows = {}
        count_style = self._style("entity-sidebar--count")
        for kind, rows in self._groups.items():
            on = kind in self._kinds
            key = ENTITY_KINDS.index(kind) + 1 if kind in ENTITY_KINDS else None
            kind_style = self._style(f"entity-sidebar--{kind}") if kind in ENTITY_KINDS else Style()
            header = Content.assemble(
                ("● " if on else "○ ", kind_style if on else self._style("entity-sidebar--off")),
                (KIND_LABELS.get(kind, safe_inline(kind, 20).title()), self._style("entity-sidebar--header")),
                (f" {len(rows)}", count_style),
                (f"  [{key}]" if key else "", count_style),
            )
            new_options.append(Option(header, disabled=True))
            for number, row in enumerate(rows):
                option_id = f"{kind}:{number}"
                self._rows[option_id] = row
                # the count first, so truncating a long name never hides it
                label = Content.assemble(
                    (f"{row.mentions:>3} ", count_style),
                    (safe_inline(row.name, 60), kind_style if on else Style()),
                )
                new_options.append(Option(label, id=option_id))
        options.set_options(new_options)
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        if not new_options:
            message = "No entities in this article." if self._has_article else "No article open."
            if self._pending_note and self._has_article:
                message = f"{self._pending_note} This article's may not be in yet."
            options.add_option(Option(Content(message), disabled=True))
        self._update_detail()

    def _update_detail(self) -> None:
        if not self.is_mounted:
            return
        detail = self.query_one("#entity-detail", Static)
        row = self.current
        if row is None:
            detail.update(
                Content("Enter: its page · n: mentions\n1–8: toggle kinds") if self._groups else Content("")
            )
            return
        kind_style = self._style(f"entity-sidebar--{row.kind}") if row.kind in ENTITY_KINDS else Style()
        where = (
            f"mention {self._mention_index + 1}/{self._mention_total}"
            if self._mention_index >= 0
            else f"{row.mentions}× here"
        )
        articles = (
            "" if self._articles is None else f"in {self._articles} article{'s' if self._articles != 1 else ''}"
        )
        action = "f: list its articles" if self._filtering != row.name else "f: show all articles"
        detail.update(
            Content.assemble(
                (safe_inline(row.name, 80), kind_style + Style(bold=True)),
                "\n",
                where,
                "\n" if articles else "",
                articles,
                "\n",
                action,
            )
        )

    # -- messages up -----------------------------------------------------------

    @on(OptionList.OptionSelected, "#entity-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self._rows.get(event.option_id or "")
        if row is None:
            return
        if self.current != row:
            self._articles = None
        self.current = row
        self._update_detail()
        self.post_message(self.PageRequested(row.name, row.kind))

    @on(OptionList.OptionHighlighted, "#entity-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        row = self._rows.get(event.option_id or "")
        if row is not None and row != self.current:
            self.current = row
            self._mention_index, self._articles = -1, None
            self._update_detail()
            self.post_message(self.Highlighted(row.name, row.kind))

    def action_filter_articles(self) -> None:
        if self.current is not None:
            self.post_message(self.FilterRequested(self.current.name, self.current.kind))

    def action_mention(self, step: int) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current.name, self.current.kind, step))

    def action_curate(self, action: str) -> None:
        if action == "undo":
            self.post_message(self.CurationRequested("undo", "", ""))
        elif self.current is not None:
            self.post_message(self.CurationRequested(action, self.current.name, self.current.kind))

    def action_entity_page(self) -> None:
        if self.current is not None:
            self.post_message(self.PageRequested(self.current.name, self.current.kind))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "curate" and parameters == ("undo",):
            return True
        if action in ("filter_articles", "entity_page", "mention", "curate"):
            return self.current is not None
        return True
