"""The debug log: unexpected errors in full, in a file the user can find.

The app and the CLI tell the user about an unexpected error in one line and
write its traceback here, in the user's state directory
(``platformdirs.user_state_dir("reader")``, e.g. ``~/.local/state/reader/debug.log``;
``READER_STATE_DIR`` puts it elsewhere, as the tests do). ``READER_DEBUG=1``
also prints every record to stderr. Nothing is opened until the first
record, and a log that cannot be written never becomes an error itself.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

DEBUG_ENV = "READER_DEBUG"
STATE_ENV = "READER_STATE_DIR"
LOG_NAME = "debug.log"
#: Kept small: two files of 1 MB at most.
MAX_BYTES = 1_000_000

_lock = threading.Lock()
_logger = logging.getLogger("reader")
_configured_for: tuple[Path, bool] | None = None  # the file and READER_DEBUG the handlers were made for


def state_dir() -> Path:
    """Where reader keeps per-user state that is not user data (the debug log)."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir("reader"))


def log_path() -> Path:
    return state_dir() / LOG_NAME


def debugging() -> bool:
    return bool(os.environ.get(DEBUG_ENV))


def get_logger() -> logging.Logger:
    """The ``reader`` logger, writing to :func:`log_path` (and stderr under READER_DEBUG).

    Handlers are made on first use, and again if the place or READER_DEBUG changed.
    """
    global _configured_for
    wanted = (log_path(), debugging())
    with _lock:
        if _configured_for != wanted:
            _drop_handlers()
            _logger.setLevel(logging.DEBUG)
            formatter = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s: %(message)s")
            path, debug = wanted
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handler: logging.Handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=1, encoding="utf-8")
            except OSError:  # a read-only home: no file, and no second error about it
                handler = logging.NullHandler()
            handler.setFormatter(formatter)
            _logger.addHandler(handler)
            if debug:
                stderr = logging.StreamHandler(sys.stderr)
                stderr.setFormatter(formatter)
                _logger.addHandler(stderr)
            _configured_for = wanted
    return _logger


def _drop_handlers() -> None:
    for handler in list(_logger.handlers):
        _logger.removeHandler(handler)
        handler.close()


def log_exception(what: str, error: BaseException) -> str:
    """Log ``error`` with its traceback; the one line to tell the user.

    ``what`` says what was being done ("searching", "loading bookmarks").
    """
    get_logger().error("unexpected error while %s", what, exc_info=(type(error), error, error.__traceback__))
    return f"Unexpected {type(error).__name__} while {what}; details in {display_path(log_path())}"


def display_path(path: Path) -> str:
    """``path`` with the home directory written as ``~``."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except (ValueError, RuntimeError):  # elsewhere, or no home directory
        return str(path)


def reset() -> None:
    """Close the log file (the next record opens it again)."""
    global _configured_for
    with _lock:
        _drop_handlers()
        _configured_for = None
