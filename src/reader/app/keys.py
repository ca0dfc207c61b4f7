"""The motion keys every pane shares, in one table.

Lists, the reading pane and the help screen all move with the same keys
(arrows and their vim aliases, page keys, home/end); each binds them to its
own actions. The ``?`` screen and the command palette read the live
bindings, so this table is the one place those keys are written. Ids are
``<pane>.<motion>`` so a keymap can remap a pane's keys one by one.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding, BindingType

#: Motion name -> keys; vim aliases are hidden from the footer like the rest of these.
MOTION_KEYS: dict[str, str] = {
    "down": "down,j",
    "up": "up,k",
    "page_down": "pagedown",
    "page_up": "pageup",
    "first": "home,g",
    "last": "end,G",
}
_DESCRIPTIONS = {
    "down": "Down",
    "up": "Up",
    "page_down": "Page down",
    "page_up": "Page up",
    "first": "First",
    "last": "Last",
    "top": "Top",
    "bottom": "Bottom",
}
#: What an OptionList calls each motion.
LIST_ACTIONS: dict[str, str] = {
    "down": "cursor_down",
    "up": "cursor_up",
    "first": "first",
    "last": "last",
    "page_down": "page_down",
    "page_up": "page_up",
}


def motion_bindings(
    prefix: str,
    actions: Mapping[str, str],
    *,
    more_keys: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[BindingType]:
    """Bindings for the motions in ``actions`` (motion -> the widget's action), in that order.

    ``more_keys`` adds keys to a motion (``{"page_down": "space"}``); ``names``
    renames a motion in the id and the description (``{"first": "top"}``).
    """
    bindings: list[BindingType] = []
    for motion, action in actions.items():
        keys = MOTION_KEYS[motion]
        if more_keys and motion in more_keys:
            keys = f"{keys},{more_keys[motion]}"
        name = names.get(motion, motion) if names else motion
        bindings.append(Binding(keys, action, _DESCRIPTIONS[name], show=False, id=f"{prefix}.{name}"))
    return bindings


def list_bindings(prefix: str, open_label: str = "Open", open_name: str = "open") -> list[BindingType]:
    """The keys of a list of options: Enter chooses, the motions move."""
    return [Binding("enter", "select", open_label, id=f"{prefix}.{open_name}"), *motion_bindings(prefix, LIST_ACTIONS)]
