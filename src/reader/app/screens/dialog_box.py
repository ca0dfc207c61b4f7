"""The look every small dialog over the app shares: a centred, rounded box with a title."""

from __future__ import annotations


def dialog_css(screen: str, box: str, width: int) -> str:
    """CSS for ``screen`` (its class name) centring ``#box``, ``width`` cells wide at most."""
    return f"""
    {screen} {{
        align: center middle;
        & > #{box} {{
            width: {width};
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            border-title-color: $text;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }}
    }}
    """
