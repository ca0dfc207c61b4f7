"""How the ``reader`` command prints: results, explanations, bookmarks, progress and
one-line messages. Everything stored or typed is handed to Rich as ``Text`` that went
through :mod:`reader.text.controls`; never as markup."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .console import ReaderConsole, check_terminated, console, unicode_output
from .text.controls import json_text, printable, safe_body, safe_text

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID
    from rich.text import Text

    from .bookmarks import Bookmark
    from .model import ExplainedHit, QueryExplanation, SearchResults


#: Exit statuses of every command (README): 1 is "nothing found" or "a source failed".
EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2
EXIT_FAILED = EXIT_NOTHING


def console_for(stderr: bool = False) -> ReaderConsole:
    return console(stderr=stderr)


def error_line(message: str, style: str = "") -> None:
    """One line on stderr, whatever it quotes made printable."""
    console_for(stderr=True).print(plain(message), style=style or None)


def print_explanation(explanation: QueryExplanation) -> None:
    from rich.text import Text

    out = console_for()
    out.print(Text("How the query was understood:", style="bold"))
    for word in explanation.words:
        line = f"  {printable(word.typed)}  [{word.kind}]"
        if word.kind in ("word", "exact", "field", "excluded") and word.terms:
            line += f" searched as {printable(' '.join(word.terms))}"
        if word.expansions:
            shown = ", ".join(f"{printable(term)} ({count})" for term, count in word.expansions[:12])
            more = len(word.expansions) - 12
            line += f" -> {shown}" + (f" and {more} more" if more > 0 else "")
        if word.cut:
            line += f"; {word.cut} rarer words left out"
        line += f"  in {', '.join(word.fields)}; {word.articles} articles"
        out.print(Text(line))
    if explanation.dropped:
        out.print(Text(f"  common words left out: {printable(' '.join(explanation.dropped))}"))
    out.print(Text(f"  match: {explanation.match}"))


def print_why(hit: ExplainedHit) -> None:
    from rich.text import Text

    parts = " · ".join(f"{printable(p.term)} {p.field} {p.score:.2f}" for p in hit.parts[:8])
    line = f"  why: BM25F {hit.bm25:.2f}"
    if hit.coverage != 1.0:
        line += f" × {hit.coverage:.2f} (share of the query it has)"
    if hit.proximity != 1.0:
        line += f" × {hit.proximity:.2f} (close together: {printable(', '.join(hit.close))})"
    if hit.missing:
        line += f"; lacks {printable(', '.join(hit.missing))}"
    console_for().print(Text(line + (f"; {parts}" if parts else ""), style="dim"))


def print_results(
    results: SearchResults, explanation: QueryExplanation | None = None, *, offset: int = 0, by_date: bool = False
) -> None:
    from rich.text import Text

    why = {hit.id: hit for hit in explanation.hits} if explanation is not None else {}
    out = console_for()
    if results.fallback:
        out.print(Text("No article has every word; articles with most of them rank first.", style="italic"))
    if results.suggestion:
        out.print(Text.assemble(("Did you mean: ", "italic"), (results.suggestion, "bold")))
    noun = "result" if results.total == 1 and results.counted else "results"
    page = f", {offset + 1}–{offset + len(results)}" if offset and len(results) else ""
    past = f", none past the first {offset}" if offset and not len(results) and results.total else ""
    order = ", newest first" if by_date else ""
    total = f"{results.total}" if results.counted else f"{results.total}+"
    out.print(Text(f"{total} {noun}{page}{past}{order}", style="dim"))
    for hit in results:
        line = plain(hit.title or hit.id)
        line.stylize("bold")
        line.append_text(plain("  " + " · ".join(part for part in (hit.date, hit.source, hit.id) if part), "dim"))
        out.print(line)
        if hit.id in why:
            print_why(why[hit.id])
        for snippet in hit.snippets:
            text = Text("  … ")
            clean, remap = safe_body(snippet.text)
            body = Text(clean)
            for start, end in snippet.spans:
                body.stylize("bold yellow reverse" if out.is_terminal else "bold", remap(start), remap(end))
            text.append_text(body)
            text.append(" …")
            if not out.is_terminal:
                text = shown("  … " + snippet.marked("[", "]") + " …")
            out.print(text, soft_wrap=not out.is_terminal)
        out.print()


def print_bookmarks(bookmarks: Sequence[Bookmark]) -> None:
    out = console_for()
    for bookmark in bookmarks:
        head = plain(bookmark.short_id, "bold cyan")
        head.append("  ")
        head.append_text(plain(bookmark.title or bookmark.article, "bold"))
        meta = " · ".join(p for p in (bookmark.date, bookmark.article, "ORPHANED" if bookmark.orphaned else "") if p)
        head.append_text(plain(f"  {meta}", "dim"))
        out.print(head)
        out.print(shown("  “" + bookmark.quote + "”"))
        if bookmark.note:
            out.print(shown("  note: " + bookmark.note, "italic"))
        if bookmark.tags:
            out.print(shown("  tags: " + ", ".join(bookmark.tags), "dim"))
        out.print()


def as_json(value: object, indent: int | None = None) -> str:
    """JSON with non-ASCII kept readable, but C1 controls, bidi and invisible characters
    (possible in file names, hence ids, and in notes) written as \\uXXXX: the same
    JSON value, safe on a terminal."""
    return json_text(json.dumps(value, ensure_ascii=not unicode_output(), indent=indent))


def plain(message: str, style: str = "") -> Text:
    """A one-line message as Rich ``Text``: never markup, and whatever it quotes (a
    path, a file name, an id, a reason) with controls and escapes written as ``\\xNN``."""
    from rich.text import Text

    return Text(printable(message), style=style)


def shown(text: str, style: str = "") -> Text:
    """Stored text (a title, a quote, a note, an entity name) as Rich ``Text``:
    never markup, escape sequences and invisible characters removed."""
    from rich.text import Text

    return Text(safe_text(text), style=style)


class LazyProgress:
    """A Rich progress bar that appears only when indexing takes more than a moment."""

    DELAY = 0.5

    def __init__(self, console: ReaderConsole, quiet: bool = False, label: str = "indexing") -> None:
        self.console = console
        self.label = label
        self.enabled = console.is_terminal and not quiet
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def update(self, done: int, total: int, path: str) -> None:
        check_terminated()
        if not self.enabled:
            return
        if self.progress is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich import progress as bar

            self.progress = bar.Progress(
                bar.TextColumn(self.label),
                bar.BarColumn(),
                bar.MofNCompleteColumn(),
                bar.TextColumn("{task.fields[rate]}"),
                bar.TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("index", total=total, rate="")
        elapsed = max(time.monotonic() - self.started, 1e-6)
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total, rate=f"{done / elapsed:,.0f}/s")

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()

