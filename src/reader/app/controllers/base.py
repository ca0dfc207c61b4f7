"""What every controller of the main screen shares: running a worker, posting
its result, and reporting an error nobody expected (``problems``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import Worker

from ..problems import EXPECTED, describe, unexpected

if TYPE_CHECKING:
    from ..screens.main import MainScreen

__all__ = ["EXPECTED", "Controller", "describe"]


class Controller:
    """Owns part of the main screen's state and the thread workers that feed it."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def library(self) -> Any:
        return self.screen.library

    def run(self, work: Callable[..., None], *args: Any, group: str, exclusive: bool = True, **kwargs: Any) -> Worker[None]:
        """Run ``work(*args, **kwargs)`` in a thread worker of the screen (``exclusive`` cancels
        the group's running one). It must only post messages, never touch widgets."""
        return self.screen.run_worker(
            lambda: work(*args, **kwargs), name=work.__name__, group=group, exclusive=exclusive, thread=True
        )

    def post(self, message: Message) -> None:
        self.screen.post_message(message)

    def unexpected(self, what: str, error: Exception) -> str:
        """A bug (ours or the library's): see problems.unexpected. Safe from a worker thread."""
        return unexpected(self.screen.app, what, error)
