"""The left column's usual view: the filter box over the article list.

The column owns the filter: ``f`` shows the box, typing filters the list
(a long list when typing pauses), Esc or Enter leaves it; and it wears the
list's count and order as its border titles.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input

from .article_list import ArticleList

#: Lists this long are filtered when typing pauses, not on every key.
BIG_LIST = 20_000
FILTER_DEBOUNCE = 0.12


class ArticleColumn(Vertical):
    """The filter box (hidden until ``f``) and the article list."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.filter_timer: Timer | None = None  # a filter waiting for typing to pause

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter titles, sources, authors", id="list-filter", compact=True, select_on_focus=False)
        yield ArticleList(id="article-list")

    def on_mount(self) -> None:
        self.filter_input.display = False

    @property
    def filter_input(self) -> Input:
        return self.query_one("#list-filter", Input)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    def open_filter(self) -> None:
        """Show the filter box and type into it."""
        self.filter_input.display = True
        self.screen.set_focus(self.filter_input)

    def close_filter(self) -> None:
        """Esc in the box: drop what was typed, hide it, back to the list."""
        if self.filter_input.value:
            self.filter_input.value = ""
        self.filter_input.display = False
        self.screen.set_focus(self.article_list)

    @on(Input.Changed, "#list-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.filter_timer is not None:
            self.filter_timer.stop()
            self.filter_timer = None
        if self.article_list.total < BIG_LIST:
            self.article_list.filter_text = event.value
        else:  # let a fast typist finish the word before filtering 100k rows
            self.filter_timer = self.set_timer(FILTER_DEBOUNCE, self._apply_filter)

    def _apply_filter(self) -> None:
        self.filter_timer = None
        self.article_list.filter_text = self.filter_input.value

    @on(Input.Submitted, "#list-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.article_list)

    @on(ArticleList.TitleChanged)
    def _list_title(self, message: ArticleList.TitleChanged) -> None:
        message.stop()
        self.border_title = message.title
        self.border_subtitle = message.subtitle

    @on(ArticleList.FiltersCleared)
    def _filters_cleared(self) -> None:
        """Esc in the list dropped its filters: empty the box too (the screen clears the sidebar's)."""
        filter_input = self.filter_input
        with filter_input.prevent(Input.Changed):
            filter_input.value = ""
        filter_input.display = False
