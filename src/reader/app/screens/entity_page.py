"""The page of one entity: aliases and counts, its timeline, who is named with it, its articles.

Pushed from the entity sidebar (Enter or ``p``); the page's data comes from
:meth:`reader.Library.entity_page` in a worker thread. Enter on an article
closes the page with ``(article id, offset of the first mention)`` and the
main screen opens the article there. ``x`` writes the entity's dossier
(:mod:`reader.dossier`) where the user says, Markdown or (``.json``) JSON. Every name and title is untrusted:
cleaned with :func:`safe_inline` and drawn as ``Content``, never markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ..safe import safe_inline

#: How wide the timeline's longest bar is drawn.
BAR_WIDTH = 30


class EntityPageScreen(Screen[tuple[str, int] | None]):
    """One entity followed through the collection."""

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="entity_page.back"),
        Binding("x", "dossier", "Dossier", id="entity_page.dossier"),
    ]

    DEFAULT_CSS = """
    EntityPageScreen {
        & #entity-page-head { padding: 0 1; text-style: bold; height: auto; }
        & #entity-page-facts { padding: 0 1; color: $text-muted; height: auto; }
        & #entity-page-body { height: 1fr; }
        & #entity-page-timeline { padding: 0 1; height: auto; max-height: 14; }
        & #entity-page-together { padding: 0 1; height: auto; max-height: 8; }
        & #entity-page-articles { height: 1fr; min-height: 4; border: none; }
    }
    """

    def __init__(self, library: Any, name: str, kind: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.entity_name = name
        self.entity_kind = kind
        self.page: Any = None
        self._offsets: dict[str, tuple[str, int]] = {}

    def compose(self) -> ComposeResult:
        yield Static(Content(safe_inline(self.entity_name)), id="entity-page-head")
        yield Static(Content("Reading the collection…"), id="entity-page-facts")
        with Vertical(id="entity-page-body"):
            yield Static(id="entity-page-timeline")
            yield Static(id="entity-page-together")
            yield OptionList(id="entity-page-articles")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="entity-page")
    def load(self) -> None:
        try:
            page = self.library.entity_page(self.entity_name, self.entity_kind)
        except Exception as error:  # noqa: BLE001 - an unknown name, a busy index: said on the page
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show, page)

    def _failed(self, reason: str) -> None:
        self.query_one("#entity-page-facts", Static).update(Content(safe_inline(reason)))

    def _show(self, page: Any) -> None:
        self.page = page
        head = f"{safe_inline(page.name)}  ({page.kind})"
        self.query_one("#entity-page-head", Static).update(Content(head))
        facts = f"{len(page.articles)} articles, {page.mentions} mentions"
        if page.aliases:
            facts += " · also written: " + ", ".join(safe_inline(a, 40) for a in page.aliases[:6])
        self.query_one("#entity-page-facts", Static).update(Content(facts))
        self.query_one("#entity-page-timeline", Static).update(Content("\n".join(page.timeline_lines(BAR_WIDTH, last=12))))
        together = ", ".join(f"{safe_inline(c.name, 40)} ({c.score:.1f})" for c in page.together[:12] if c.score > 0)
        self.query_one("#entity-page-together", Static).update(
            Content("Named with it: " + together if together else "Named with it: no one")
        )
        articles = self.query_one("#entity-page-articles", OptionList)
        articles.clear_options()
        options = []
        for index, article in enumerate(page.articles):
            option_id = f"a{index}"
            self._offsets[option_id] = (article.article_id, article.offset)
            title = safe_inline(article.title or article.article_id, 100)
            line = Content.assemble(
                (f"{article.date or 'undated':<10} ", "dim"),
                (title, "bold"),
                (f"  {article.mentions}×\n", "dim"),
                "   " + safe_inline(article.sentence, 300),
            )
            options.append(Option(line, id=option_id))
        articles.add_options(options)
        if options:
            articles.highlighted = 0
        articles.focus()

    @on(OptionList.OptionSelected, "#entity-page-articles")
    def _article_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = self._offsets.get(event.option_id or "")
        if chosen is not None:
            self.dismiss(chosen)

    def action_dossier(self) -> None:
        """Ask where to write the dossier (documents folder suggested), then write it in a worker."""
        from ...dossier import file_name
        from ..exports import export_folder
        from .path_dialog import PathDialog

        if self.page is None:
            self.app.bell()
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.write_dossier(path)

        suggested = export_folder() / file_name(self.page.name)
        self.app.push_screen(PathDialog("Write the dossier to", suggested), callback=chosen)

    @work(thread=True, exclusive=True, group="entity-dossier")
    def write_dossier(self, path: Path) -> None:
        from ... import dossier
        from ..exports import write_whole
        from ..problems import EXPECTED, unexpected

        failures: tuple[type[Exception], ...] = (*EXPECTED, ValueError)  # ValueError: CurationError, the entity gone
        form = "json" if path.suffix.lower() == ".json" else "markdown"
        try:
            text = dossier.render(dossier.build(self.library, self.page.name, self.page.kind), form)
            write_whole(path, text)
        except failures as error:
            self.app.call_from_thread(
                self.notify, f"Could not write the dossier: {error}", title="Dossier", severity="error", markup=False
            )
        except Exception as error:  # noqa: BLE001 - logged and shown (raised in tests)
            unexpected(self.app, "writing a dossier", error)
        else:
            self.app.call_from_thread(self.notify, f"Dossier written to {path}", title="Dossier", timeout=10, markup=False)

    def action_back(self) -> None:
        self.dismiss(None)
