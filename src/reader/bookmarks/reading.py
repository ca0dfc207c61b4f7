"""Per-article reading state: read marks and where the reader left off."""

from __future__ import annotations

from .database import UserStateDatabase
from .record import is_int, now


class ReadingState(UserStateDatabase):
    """The ``article_state`` table; each change one durable transaction."""

    def mark_read(self, article_id: str, read: bool = True) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO article_state (article, read, read_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article) DO UPDATE SET read = excluded.read, read_at = excluded.read_at",
                (article_id, int(bool(read)), now()),
            )

    def read_ids(self) -> set[str]:
        return {r[0] for r in self.read("SELECT article FROM article_state WHERE read = 1")}

    def is_read(self, article_id: str) -> bool:
        return bool(self.read_one("SELECT read FROM article_state WHERE article = ?", (article_id,)))

    def set_position(self, article_id: str, offset: int) -> None:
        """Remember where the reader was (a character offset); no write when unchanged.

        Each call is a durable transaction: save on leaving an article or
        after scrolling settles, not on every scroll event.
        """
        if not is_int(offset) or offset < 0:
            raise ValueError(f"bad position {offset!r}")
        if self.position(article_id) == offset:
            return
        with self.write() as conn:
            conn.execute(
                "INSERT INTO article_state (article, position, position_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article) DO UPDATE SET position = excluded.position, "
                "position_at = excluded.position_at",
                (article_id, offset, now()),
            )

    def position(self, article_id: str) -> int:
        """The remembered offset, 0 when none."""
        return int(self.read_one("SELECT position FROM article_state WHERE article = ?", (article_id,)) or 0)
