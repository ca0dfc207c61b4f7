"""Entities: which articles mention an entity, for the sidebar's count and the list filter.

The sidebar shows the open article's entities (from its mentions, no
lookup); choosing one here asks the library, in a worker, for every article
that mentions it. Answers are cached for the session: an entity's articles
change only with a sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..messages import EntityArticles, EntityCorrected
from ..safe import safe_inline
from ..widgets.entity_sidebar import EntitySidebar
from ..widgets.reading import ReadingPane

if TYPE_CHECKING:
    from ..screens.main import MainScreen

from ...curating import CurationError
from .base import EXPECTED, Controller, describe

#: What checking or undoing a correction can meet: a correction that makes no sense, a broken store.
_CURATION_ERRORS: tuple[type[Exception], ...] = (CurationError, *EXPECTED)


class Entities(Controller):
    """Looks up and caches each entity's articles; filters the list by one."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        self._article_ids: dict[tuple[str, str], list[str]] = {}
        self._pending_filter: tuple[str, str] | None = None
        self.followed: tuple[str, str] | None = None  # the entity the list is filtered by

    def lookup(self, name: str, kind: str) -> None:
        """Show how many articles mention the entity (looked up once)."""
        cached = self._article_ids.get((name, kind))
        if cached is not None:
            self.screen.sidebar.set_article_count(name, len(cached))
        else:
            self.run(self._fetch, name, kind, group="entity")

    def _fetch(self, name: str, kind: str) -> None:
        try:
            ids = list(self.library.entity_articles(name, kind))
        except EXPECTED:  # the sidebar shows no count
            ids = []
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("looking up an entity's articles", exc)
            ids = []
        self.post(EntityArticles(name, kind, ids))

    def found(self, message: EntityArticles) -> None:
        self._article_ids[(message.name, message.kind)] = message.article_ids
        self.screen.sidebar.set_article_count(message.name, len(message.article_ids))
        if self._pending_filter == (message.name, message.kind):
            self._pending_filter = None
            self._apply_filter(message.name, message.kind, message.article_ids)

    # -- from the sidebar and the text ------------------------------------------------

    def chosen(self, message: EntitySidebar.Chosen) -> None:
        """``n``/``N`` on an entity: its next / previous mention in the text (the first: its first)."""
        reading = self.screen.reading
        if reading.target_label != safe_inline(message.name, 40) or not reading.targets:
            reading.target_entity(message.name, message.kind)
            first = 0 if message.step > 0 else -1
            if reading.targets:
                reading.go_to_target(first % len(reading.targets))
        elif reading.targets:
            reading.go_to_target((reading.target_index + message.step) % len(reading.targets))
        self.lookup(message.name, message.kind)

    def mention_clicked(self, message: ReadingPane.MentionClicked) -> None:
        """A click on a mention: the sidebar opens on its entity, n/N step through its mentions."""
        mention = message.mention
        self.screen.open_entities()
        self.screen.sidebar.select(mention.canonical, mention.kind)
        reading = self.screen.reading
        reading.target_entity(mention.canonical, mention.kind)
        for index, target in enumerate(reading.targets):
            if target.start == mention.start:
                reading.go_to_target(index)
                break
        self.lookup(mention.canonical, mention.kind)

    def target_changed(self, message: ReadingPane.TargetChanged) -> None:
        current = self.screen.sidebar.current
        if current is not None and message.label == safe_inline(current.name, 40):
            self.screen.sidebar.set_position(message.index, message.total)

    def page_requested(self, message: EntitySidebar.PageRequested) -> None:
        """Enter or ``p``: the entity's page; Enter there opens an article at the entity's first mention."""
        from ..screens.entity_page import EntityPageScreen

        def opened(chosen: tuple[str, int] | None) -> None:
            if chosen is not None:
                article_id, offset = chosen
                self.screen.open_article(article_id, offset=offset)

        self.screen.app.push_screen(EntityPageScreen(self.library, message.name, message.kind), callback=opened)

    # -- corrections --------------------------------------------------------------------

    def curation_requested(self, message: EntitySidebar.CurationRequested) -> None:
        """m, R, K: a dialog asks for the rest and records it; h checks, asks when many
        articles change, then hides; u undoes the newest correction."""
        if message.action == "undo":
            self.run(self._undo, group="entity-curation")
        elif message.action == "hide":
            self.run(self._plan, "hide", message.name, message.kind, group="entity-curation")
        else:
            from ..screens.curation_dialog import CurationDialog

            def closed(correction: Any) -> None:
                if correction is not None:
                    self.corrected(EntityCorrected(message.action, correction=correction))

            dialog = CurationDialog(self.library, message.action, message.name, message.kind)
            self.screen.app.push_screen(dialog, callback=closed)

    def _plan(self, action: str, name: str, kind: str) -> None:
        from ...curating import plan

        try:
            self.post(EntityCorrected(action, planned=plan(self.library, action, name, kind=kind)))
        except _CURATION_ERRORS as exc:
            self.post(EntityCorrected(action, error=describe(exc)))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(EntityCorrected(action, error=self.unexpected("checking an entity correction", exc)))

    def _record(self, planned: Any) -> None:
        from ...curating import record

        try:
            self.post(EntityCorrected(planned.action, correction=record(self.library, planned)))
        except EXPECTED as exc:
            self.post(EntityCorrected(planned.action, error=f"Not saved: {describe(exc)}"))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(EntityCorrected(planned.action, error=self.unexpected("saving an entity correction", exc)))

    def _undo(self) -> None:
        from ...curating import undo

        try:
            self.post(EntityCorrected("undo", correction=undo(self.library)))
        except _CURATION_ERRORS as exc:
            self.post(EntityCorrected("undo", error=describe(exc)))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(EntityCorrected("undo", error=self.unexpected("undoing an entity correction", exc)))

    def corrected(self, message: EntityCorrected) -> None:
        """A correction checked, recorded or undone: confirm, or say so and show its effect."""
        from ..screens.curation_dialog import CONFIRM_FROM_ARTICLES, confirm_question

        screen = self.screen
        if message.error:
            screen.notify(message.error, title="Entities", severity="warning", timeout=8, markup=False)
            return
        if message.planned is not None:
            planned = message.planned
            if planned.articles < CONFIRM_FROM_ARTICLES:
                self.run(self._record, planned, group="entity-curation")
                return
            from ..screens.bookmark_dialog import ConfirmDialog

            def answered(yes: bool | None) -> None:
                if yes:
                    self.run(self._record, planned, group="entity-curation")

            screen.app.push_screen(ConfirmDialog("Hide", confirm_question(planned)), callback=answered)
            return
        correction = message.correction
        done = correction.describe().removesuffix(" (undone)")
        said = f"Undid: {done}" if message.action == "undo" else f"{done} (u undoes it)"
        screen.notify(safe_inline(said, 200), title="Entities", timeout=6, markup=False)
        self.refresh_after_correction(None if message.action == "undo" else correction)

    def refresh_after_correction(self, correction: Any = None) -> None:
        """The sidebar, the open article's highlights, the list filter and the search shown
        follow the corrections at once (the index applies them at query time); the cursor
        and a list filtered by the corrected entity follow it under its new name."""
        screen = self.screen
        self._article_ids.clear()
        became = _became(correction)
        followed = self.followed
        if followed is not None and screen.article_list.entity_filter == followed[0]:
            if correction is not None and followed == (correction.name, correction.kind):
                followed = became
            if followed is None:  # hidden: nothing left to follow
                self.followed = None
                screen.article_list.set_entity_filter(None)
                screen.sidebar.set_filtering(None)
            else:
                self._pending_filter = followed
                self.run(self._fetch, *followed, group="entity")
        open_id = screen.articles.open_id
        if open_id is not None:
            screen.articles.open(open_id, focus=False)
            if became is not None:
                screen.sidebar.select(*became)
        screen.search.search_again()

    def filter_requested(self, message: EntitySidebar.FilterRequested) -> None:
        """``f``: list only the articles that mention the entity (again: all of them)."""
        article_list = self.screen.article_list
        if article_list.entity_filter == message.name:
            article_list.set_entity_filter(None)
            self.screen.sidebar.set_filtering(None)
            return
        ids = self._article_ids.get((message.name, message.kind))
        if ids is None:
            self._pending_filter = (message.name, message.kind)
            self.run(self._fetch, message.name, message.kind, group="entity")
        else:
            self._apply_filter(message.name, message.kind, ids)

    def _apply_filter(self, name: str, kind: str, ids: list[str]) -> None:
        self.followed = (name, kind)
        self.screen.article_list.set_entity_filter(name, ids)
        self.screen.sidebar.set_filtering(name)
        self.screen.show_article_list()

    def land_on_followed(self) -> bool:
        """An article opened while following someone through the filtered list: on their first mention."""
        followed, reading = self.followed, self.screen.reading
        if followed is None or self.screen.article_list.entity_filter != followed[0] or not reading.mentions_of(*followed):
            return False
        self.screen.sidebar.select(*followed)
        reading.target_entity(*followed)
        reading.go_to_target(0)
        return True


def _became(correction: Any) -> tuple[str, str] | None:
    """(name, kind) the corrected entity is listed under now; None once hidden (or undone)."""
    if correction is None or correction.action == "hide":
        return None
    if correction.action == "merge":
        return correction.value, correction.value_kind or correction.kind
    if correction.action == "rename":
        return correction.value, correction.kind
    return correction.name, correction.value  # a new kind
