"""The app's own output boundary: notifications quote errors, paths and file
names, and Textual passes ESC through; they go through the one sanitiser."""

from __future__ import annotations

from reader import Library
from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks

from .app_helpers import wait_until

HOSTILE = "folder \x1b]0;PWNED\x07 and \x1b]52;c;ZXZpbA==\x07 \u202eevil\n"


async def test_notifications_never_carry_escape_sequences(tmp_path):
    (tmp_path / "articles").mkdir()
    app = ReaderApp(Library(tmp_path / "articles", tmp_path / "index"), marks=MemoryMarks(), sync=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify(HOSTILE, title=f"Cannot open {HOSTILE}", markup=False)
        app.screen.notify(f"from a screen: {HOSTILE}", markup=False)
        notifications = app._notifications._notifications  # noqa: SLF001 - what the toasts will show
        await wait_until(pilot, lambda: len(notifications) == 2)
        for notification in notifications.values():
            for text in (notification.message, notification.title):
                assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text, repr(text)
            assert "folder" in notification.message and "evil" in notification.message
