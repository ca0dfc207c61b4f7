"""Entities: which articles mention an entity, for the sidebar's count and the list filter.

The sidebar shows the open article's entities (from its mentions, no
lookup); choosing one here asks the library, in a worker, for every article
that mentions it. Answers are cached for the session: an entity's articles
change only with a sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import EntityArticles
from ..safe import safe_inline
from ..widgets.entity_sidebar import EntitySidebar
from ..widgets.reading import ReadingPane

if TYPE_CHECKING:
    from ..screens.main import MainScreen

from .base import EXPECTED, Controller


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
