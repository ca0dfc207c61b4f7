"""How the search pane draws its results: one option per hit, near-duplicates folded.

Apart from the pane so it can be read (and tested) without the keys and
messages around it. Every string comes from an article, so it passes
through ``safe`` and becomes Content, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...model import Hit, SearchResults, Snippet
from ..safe import safe_body, safe_inline
from .input_list import InputList, list_bindings

#: Characters of the snippet shown per result (3–4 lines in a narrow pane).
SNIPPET_CHARS = 180
SORT_LABELS = {"relevance": "best match first", "date": "newest first"}


def snippet_content(snippet: Snippet, hit_style: Style) -> Content:
    """One snippet as Content with the matches styled (never markup)."""
    text, remap = safe_body(snippet.text[: SNIPPET_CHARS * 4])
    text = text.replace("\n", " ")
    spans = [(remap(start), remap(end)) for start, end in snippet.spans]
    if len(text) > SNIPPET_CHARS:
        # keep the first match in view, and cut between words
        first = spans[0][0] if spans else 0
        begin = max(0, min(first - 40, len(text) - SNIPPET_CHARS))
        if begin:
            space = text.find(" ", begin, first)
            begin = space + 1 if space >= 0 else begin
        end = begin + SNIPPET_CHARS
        if end < len(text):
            space = text.rfind(" ", begin + SNIPPET_CHARS // 2, end)
            end = space if space >= 0 else end
        text = ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
        shift = begin - (1 if begin else 0)
        spans = [(start - shift, end_ - shift) for start, end_ in spans]
    content = Content(text)
    for start, end in spans:
        content = content.stylize(hit_style, max(0, start), min(end, len(text)))
    return content


@dataclass
class ResultRows:
    """The hits on screen (every page fetched so far) and which of them fold under another.

    ``similar[n] == m``: hit ``n`` is the same story as the better-ranked hit
    ``m`` and is drawn under it only while ``m`` is in ``expanded``.
    """

    results: SearchResults
    similar: dict[int, int] = field(default_factory=dict)
    expanded: set[int] = field(default_factory=set)
    new: frozenset[str] = frozenset()  # a saved search was run: the ids it had not shown before

    @property
    def hits(self) -> list[Hit]:
        return self.results.hits

    def more_to_fetch(self) -> bool:
        """Whether the library has hits past the ones on screen."""
        if not self.results.counted:
            return True  # "N+": more matched than were ranked
        return len(self.hits) < self.results.total

    def add_page(self, page: SearchResults) -> int:
        """Add the hits of the next page not on screen yet; returns how many."""
        known = {hit.id for hit in self.hits}
        fresh = [hit for hit in page.hits if hit.id not in known]
        self.hits.extend(fresh)
        if not fresh:  # the end came before the count did, or the index changed: no more to fetch
            self.results.total, self.results.counted = len(self.hits), True
        return len(fresh)

    def followers(self, leader: int) -> list[int]:
        return sorted(number for number, first in self.similar.items() if first == leader)

    def order(self) -> Iterator[tuple[int, bool]]:
        """``(hit number, is a folded follower shown)`` in the order drawn."""
        for number in range(len(self.hits)):
            if number in self.similar:
                continue
            yield number, False
            if number in self.expanded:
                for follower in self.followers(number):
                    yield follower, True

    def options(self, style: Callable[[str], Style]) -> list[Option | None]:
        title_style, meta_style = style("search-pane--title"), style("search-pane--meta")
        hit_style, note_style = style("search-pane--hit"), style("search-pane--note")
        options: list[Option | None] = []
        for number, follower in self.order():
            hit = self.hits[number]
            meta = " · ".join(
                value for value in ("new" if hit.id in self.new else "", safe_inline(hit.date, 20), safe_inline(hit.source, 60))
                if value
            )
            title = safe_inline(hit.title) or "(untitled)"
            parts = [Content.assemble(("≈ " if follower else "", note_style), (title, title_style))]
            similar = len(self.followers(number))
            if meta or similar:
                fold = ""
                if similar:
                    fold = f"{'−' if number in self.expanded else '+'}{similar} similar (space)"
                separator = " · " if meta and fold else ""
                parts.append(Content.assemble((meta, meta_style), (separator, meta_style), (fold, note_style)))
            for snippet in hit.snippets[:1]:
                parts.append(snippet_content(snippet, hit_style))
            if options:
                options.append(None)
            options.append(Option(Content("\n").join(parts), id=f"hit-{number}"))
        return options


def status_line(results: SearchResults, sort: str, exact: bool, note_style: Style, *, new: int = 0) -> Content:
    """What sits above the results: the count (and how many are new, for a saved search run),
    whether the graded match or the any-word fallback ranked them, the sort, the exact mode,
    a "did you mean"."""
    total, shown = results.total, len(results.hits)
    if total == 0:
        status = Content("No results")
    elif not results.counted:
        status = Content(f"{total:,}+ results (counting…)")
    else:
        status = Content(f"{total:,} result{'s' if total != 1 else ''}" + (f" ({shown:,} shown)" if shown < total else ""))
    if new:
        status = status + Content.assemble((f" · {new:,} new since you last looked", note_style))
    if total:
        status = status + Content(f" · {SORT_LABELS.get(sort, sort)}")
    if exact:
        status = status + Content.assemble((" · exact words", note_style))
    if results.fallback:
        status = status + Content.assemble(("\nNo article has every word; showing any word.", note_style))
    elif results.graded:
        status = status + Content.assemble(("\nLong query: articles with most of the words first.", note_style))
    if results.suggestion:
        status = status + Content.assemble(
            ("\nDid you mean ", note_style),
            (safe_inline(results.suggestion, 80), note_style + Style(bold=True)),
            ("? ctrl+y", note_style),
        )
    return status


class ResultList(InputList, inherit_bindings=False):
    """Search results; Up on the first result goes back to the query box.

    Reaching the last hits (arrows, End, PageDown, the mouse wheel) posts
    NearEnd: the pane fetches the next page. Options are ``hit-<rank>``.
    """

    INPUT_ID = "search-input"
    BINDINGS = [
        *list_bindings("results"),
        Binding("s", "sort", "Sort", id="results.sort"),
        Binding("space", "toggle_similar", "Similar", id="results.similar"),
    ]

    #: Options from the end at which the next page is fetched.
    MORE_AT = 3

    class NearEnd(Message):
        """The highlight or the scroll reached the last hits on screen."""

    class SortToggled(Message):
        """``s``: newest first, or best match first again."""

    class SimilarToggled(Message):
        """space: show or fold the copies of the highlighted hit's story."""

    rows: ResultRows | None = None

    def draw(self, rows: ResultRows, style: Callable[[str], Style], keep: int | None = None) -> None:
        """Draw every hit of ``rows``, with the highlight on hit number ``keep`` (or where it was;
        a hit folded away passes it to the hit it folds under)."""
        self.rows = rows
        keep = self.highlighted_hit() if keep is None else keep
        self.set_options(rows.options(style))
        if keep is not None:
            if keep not in {number for number, _follower in rows.order()}:
                keep = rows.similar.get(keep, keep)
            try:
                self.highlighted = self.get_option_index(f"hit-{keep}")
            except OptionDoesNotExist:
                pass

    def highlighted_hit(self) -> int | None:
        index = self.highlighted
        if index is None or index >= self.option_count:
            return None
        option_id = self.get_option_at_index(index).id
        return int(option_id.split("-")[1]) if option_id else None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted and highlighted >= self.option_count - self.MORE_AT:  # moved there, not drawn there
            self.post_message(self.NearEnd())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.max_scroll_y and new >= self.max_scroll_y - 1:
            self.post_message(self.NearEnd())

    def action_page_down(self) -> None:
        super().action_page_down()  # type: ignore[no-untyped-call]  # Textual leaves it unannotated
        if self.highlighted is not None and self.highlighted >= self.option_count - 1:
            self.post_message(self.NearEnd())

    def action_sort(self) -> None:
        self.post_message(self.SortToggled())

    def action_toggle_similar(self) -> None:
        self.post_message(self.SimilarToggled())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sort":
            return self.rows is not None
        if action == "toggle_similar":
            number = self.highlighted_hit()
            if self.rows is None or number is None:
                return False
            return bool(self.rows.followers(self.rows.similar.get(number, number)))
        return True
