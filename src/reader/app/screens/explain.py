"""What a search ran (ctrl+o in the search pane): how the query was understood, and why
the highlighted hit ranks where it does. Drawn from ``Library.explain``, the same
data as ``reader search --explain``; every word and title is untrusted text.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ...model import ExplainedHit, ExplainedWord, QueryExplanation
from ..keys import motion_bindings
from ..safe import safe_inline
from .dialog_box import dialog_css

#: Expansions of a prefix or fuzzy word listed by name.
SHOWN_EXPANSIONS = 8
#: Score parts listed for the hit.
SHOWN_PARTS = 12


def word_line(word: ExplainedWord) -> Content:
    typed = safe_inline(word.typed, 80)
    line = Content.assemble(("  ", ""), (typed, "bold"), (f"  {word.kind}", "dim"))
    if word.kind in ("word", "exact", "field", "excluded", "phrase", "exact phrase") and word.terms:
        line += Content(f" → {safe_inline(' '.join(word.terms), 120)}")
    if word.expansions:
        shown = ", ".join(f"{safe_inline(term, 40)} {count:,}" for term, count in word.expansions[:SHOWN_EXPANSIONS])
        more = len(word.expansions) - SHOWN_EXPANSIONS
        line += Content(f" → {shown}" + (f" and {more} more" if more > 0 else ""))
    if word.cut:
        line += Content(f"; {word.cut:,} rarer words left out")
    fields = ", ".join(safe_inline(field, 20) for field in word.fields)
    return line + Content.assemble((f"  in {fields} · {word.articles:,} articles", "dim"))


def hit_lines(hit: ExplainedHit | None, rank: int, sort: str) -> list[Content]:
    place = f"#{rank + 1}" + (" of the newest first" if sort == "date" else "")
    lines = [Content.styled(f"Why the highlighted hit ({place}) ranks where it does", "bold underline")]
    if hit is None:
        lines.append(Content("  It is not among the best matches by relevance explained here."))
        return lines
    lines.append(Content.assemble(("  ", ""), (safe_inline(hit.title, 200) or "(untitled)", "bold")))
    score = f"  score {hit.score:.2f} = BM25F {hit.bm25:.2f}"
    if hit.coverage != 1.0:
        score += f" × {hit.coverage:.2f} (the share of the query it has)"
    if hit.proximity != 1.0:
        score += f" × {hit.proximity:.2f} (close together: {safe_inline(', '.join(hit.close), 160)})"
    lines.append(Content(score))
    if hit.matched:
        lines.append(Content(f"  has: {safe_inline(', '.join(hit.matched), 200)}"))
    if hit.missing:
        lines.append(Content(f"  lacks: {safe_inline(', '.join(hit.missing), 200)}"))
    for part in hit.parts[:SHOWN_PARTS]:
        lines.append(
            Content.assemble(
                (f"    {safe_inline(part.word, 30):<16} {safe_inline(part.field, 12):<12} ", "dim"),
                (f"{safe_inline(part.term, 30):<20} ", ""),
                (f"{part.score:7.2f}", "bold"),
            )
        )
    if len(hit.parts) > SHOWN_PARTS:
        lines.append(Content.styled(f"    and {len(hit.parts) - SHOWN_PARTS} smaller parts", "dim"))
    return lines


def explanation_content(
    explanation: QueryExplanation, hit: ExplainedHit | None, rank: int | None, sort: str, exact: bool
) -> Content:
    lines = [Content.styled("How the query was understood", "bold underline")]
    lines.append(Content.assemble(("  searched: ", "dim"), (safe_inline(explanation.query, 300), "bold")))
    if exact:
        lines.append(Content("  exact words (ctrl+l): no stemming, no fuzzy matching"))
    lines += [word_line(word) for word in explanation.words] or [Content("  nothing to search for")]
    if explanation.dropped:
        lines.append(Content(f"  common words left out: {safe_inline(' '.join(explanation.dropped), 200)}"))
    lines.append(Content(f"  match: {safe_inline(explanation.match, 300)}"))
    if explanation.fallback:
        lines.append(Content("  no article has every word: articles with some of them are shown"))
    noun = "article matches" if explanation.total == 1 else "articles match"
    lines.append(Content(f"  {explanation.total:,} {noun}"))
    if rank is not None:
        lines += [Content(""), *hit_lines(hit, rank, sort)]
    return Content("\n").join(lines)


class ExplainScreen(ModalScreen[None]):
    """The explanation over the app; Esc (or ctrl+o again) closes it."""

    BINDINGS = [
        Binding("escape,q,ctrl+o", "dismiss", "Close", id="explain.close"),
        *motion_bindings(
            "explain",
            {"down": "scroll_down", "up": "scroll_up", "page_down": "page_down", "page_up": "page_up"},
        ),
    ]

    DEFAULT_CSS = dialog_css("ExplainScreen", "explain", 100) + """
    ExplainScreen {
        & #explain-body { height: auto; max-height: 100%; }
        & #explain-keys { color: $text-muted; height: 1; }
    }
    """

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content

    def compose(self) -> ComposeResult:
        with Vertical(id="explain"):
            with VerticalScroll(id="explain-body"):
                yield Static(self.content, id="explain-text", markup=False)
            yield Static(Content("Esc: close   ↑/↓, PgUp/PgDn: scroll"), id="explain-keys")

    def on_mount(self) -> None:
        self.query_one("#explain").border_title = "What the search ran"

    @property
    def text(self) -> str:
        return str(self.query_one("#explain-text", Static).visual)

    def _body(self) -> VerticalScroll:
        return self.query_one("#explain-body", VerticalScroll)

    def action_scroll_down(self) -> None:
        self._body().scroll_down()

    def action_scroll_up(self) -> None:
        self._body().scroll_up()

    def action_page_down(self) -> None:
        self._body().scroll_page_down()

    def action_page_up(self) -> None:
        self._body().scroll_page_up()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
