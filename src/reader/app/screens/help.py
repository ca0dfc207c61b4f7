"""The ``?`` screen: every key binding, read from the live widgets.

Nothing here is hand-written: the sections list the bindings the panes
actually have (keymap overrides included), so the help cannot drift. It
shows keys and what they do in words; binding ids stay out of sight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Static

from ..keys import motion_bindings


@dataclass(frozen=True)
class BindingInfo:
    """One action and every key bound to it, in one pane."""

    section: str
    node: DOMNode
    action: str
    description: str
    keys: tuple[str, ...]
    binding_id: str


def collect_bindings(sections: Iterable[tuple[str, Iterable[DOMNode]]]) -> list[BindingInfo]:
    """The live bindings of each section's nodes, one entry per action."""
    infos: list[BindingInfo] = []
    for section, nodes in sections:
        for node in nodes:
            app = node.app
            bindings_map = node._bindings.copy()
            keymap = getattr(app, "_keymap", None)
            if keymap:
                bindings_map.apply_keymap(keymap)  # what the keys really are now
            grouped: dict[str, list[Binding]] = {}
            for _key, binding in bindings_map:
                if binding.system:
                    continue
                grouped.setdefault(binding.id or binding.action, []).append(binding)
            for bindings in grouped.values():
                first = bindings[0]
                keys = tuple(dict.fromkeys(app.get_key_display(binding) for binding in bindings))
                infos.append(
                    BindingInfo(
                        section=section,
                        node=node,
                        action=first.action,
                        description=first.description or first.action.replace("_", " ").capitalize(),
                        keys=keys,
                        binding_id=first.id or "",
                    )
                )
    return infos


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class HelpScreen(ModalScreen[None]):
    """All key bindings, grouped by pane."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        *motion_bindings(
            "help",
            {motion: f"scroll('{motion}')" for motion in ("down", "up", "page_down", "page_up", "first", "last")},
            more_keys={"page_down": "space"},
            names={"first": "top", "last": "bottom"},
        ),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > #help {
            width: 84;
            max-width: 100%;
            height: 90%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        & #help-body { height: 1fr; }
        & #help-footer { height: 1; color: $text-muted; }
    }
    """

    def __init__(self, bindings: list[BindingInfo]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        with Vertical(id="help") as container:
            container.border_title = "Keys"
            with VerticalScroll(id="help-body"):
                yield Static(self._content(self._text_width()), markup=False, id="help-text")
            yield Static(
                Content("Esc closes · every action is also in the command palette (ctrl+p)"),
                id="help-footer",
                markup=False,
            )

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        page = max(1, body.scrollable_content_region.height - 1)
        if direction == "first":
            body.scroll_home(animate=False)
        elif direction == "last":
            body.scroll_end(animate=False)
        else:
            step = {"down": 1, "up": -1, "page_down": page, "page_up": -page}[direction]
            body.scroll_relative(y=step, animate=False)

    def _text_width(self) -> int:
        """Columns for the text: the box (84 wide, or the terminal) less border, padding, scrollbar."""
        return min(84, self.app.size.width or 84) - 6

    def on_resize(self) -> None:
        self.query_one("#help-text", Static).update(self._content(self._text_width()))

    def _content(self, width: int = 78) -> Content:
        """Keys and what they do, by pane, in words (the ids only matter to a keymap)."""
        section_style = Style(bold=True, underline=True)
        key_style = Style(bold=True)
        lines: list[Content] = []
        section = None
        key_width = max((len(", ".join(info.keys)) for info in self.bindings), default=10) + 2
        text_width = max(16, width - 2 - key_width)
        for info in self.bindings:
            if info.section != section:
                if section is not None:
                    lines.append(Content(""))
                section = info.section
                lines.append(Content.assemble((section, section_style)))
            keys = ", ".join(info.keys)
            lines.append(Content.assemble((f"  {keys:<{key_width}}", key_style), _fit(info.description, text_width)))
        return Content("\n").join(lines)
