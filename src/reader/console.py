"""The CLI's standard streams and signals: output that degrades instead of
crashing, and interrupts that clean up.

* A closed stdin/stdout/stderr is replaced by ``/dev/null`` (so no file the
  index opens can land on descriptor 1); an encoding that cannot show a
  character writes ``\\uXXXX`` instead of raising UnicodeEncodeError.
* A broken pipe (``reader search x | head -1``) ends the command quietly with
  status 0; any other failure to write the results (``> /dev/full``) becomes
  :class:`OutputFailed`, one clear line; a failing stderr is ignored.
* SIGTERM and SIGHUP become :class:`Terminated`, raised in the main thread
  like Ctrl-C's KeyboardInterrupt, so every ``finally`` runs: the progress bar
  gives the cursor back, the index writer is cancelled, worker processes are
  killed. A second signal of the same kind takes its default action.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived (a BaseException, like KeyboardInterrupt, so
    that ``except Exception`` blocks do not swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class OutputFailed(Exception):
    """The results could not be written (disk full, device gone)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _GuardedStream:
    """A standard stream whose write failures are told apart from everything else."""

    def __init__(self, stream: TextIO, *, swallow: bool) -> None:
        self._stream = stream
        self._swallow = swallow  # stderr: a message that cannot be written is dropped

    def _guard(self, action: str, *args: Any) -> Any:
        try:
            return getattr(self._stream, action)(*args)
        except BrokenPipeError:
            if self._swallow:
                return None
            raise
        except OSError as error:
            if self._swallow:
                return None
            raise OutputFailed(error) from None

    def write(self, text: str) -> int:
        written = self._guard("write", text)
        return len(text) if written is None else int(written)

    def flush(self) -> None:
        self._guard("flush")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class ReaderConsole(Console):
    """Rich's console, but a broken pipe is our BrokenPipeError (status 0), not
    Rich's SystemExit(1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "broken pipe")


#: Narrowest width output is laid out for: COLUMNS=0 made Rich print nothing at
#: all, COLUMNS=1 one character a line.
MIN_WIDTH = 40


def console(stderr: bool = False) -> ReaderConsole:
    made = ReaderConsole(stderr=stderr, highlight=False, soft_wrap=stderr)
    if made.width < MIN_WIDTH:
        made.width = MIN_WIDTH
    return made


def _reopen_closed_descriptors() -> None:
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)


def _degrading(stream: TextIO | None, fd: int) -> TextIO:
    if stream is None:  # the descriptor was closed when Python started
        stream = open(fd, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as long as the process
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass
    return stream


@contextmanager
def guarded_streams() -> Iterator[None]:
    """stdout and stderr for the length of one command, restored afterwards."""
    _reopen_closed_descriptors()
    saved = sys.stdout, sys.stderr
    sys.stdout = _GuardedStream(_degrading(sys.stdout, 1), swallow=False)
    sys.stderr = _GuardedStream(_degrading(sys.stderr, 2), swallow=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def unicode_output() -> bool:
    """Whether stdout can take any character (else JSON is written ASCII-only)."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith(("utf8", "utf16", "utf32"))


def discard_stdout() -> None:
    """After a broken pipe or a failed write: what is still buffered goes to
    /dev/null, so Python's own flush at exit does not fail a second time."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def flush_stdout() -> None:
    sys.stdout.flush()


_received: list[int] = []


def check_terminated() -> None:
    """Raise :class:`Terminated` (or KeyboardInterrupt) again if a signal came but
    its exception was swallowed: a signal handler can run inside a ``__del__``,
    whose exceptions Python only reports. Called between units of work."""
    if _received:
        if _received[0] == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(_received[0])


def _quiet_interrupts(previous: Any) -> Any:
    """An unraisable hook: an interrupt raised inside a finaliser is remembered
    (for :func:`check_terminated`) instead of printed as a traceback."""

    def hook(unraisable: Any) -> None:
        error = unraisable.exc_value
        if isinstance(error, Terminated):
            _received.append(error.signum)
        elif isinstance(error, KeyboardInterrupt):
            _received.append(signal.SIGINT)
        else:
            previous(unraisable)

    return hook


@contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """SIGTERM/SIGHUP raise :class:`Terminated` while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    _received.clear()

    def handler(signum: int, _frame: object) -> None:
        signal.signal(signum, signal.SIG_DFL)  # a second one is not argued with
        _received.append(signum)
        raise Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    unraisable = sys.unraisablehook
    sys.unraisablehook = _quiet_interrupts(unraisable)
    try:
        yield
    finally:
        sys.unraisablehook = unraisable
        for number, action in previous.items():
            signal.signal(number, action)


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """While cleaning up after an interrupt: a second Ctrl-C must not turn the
    one-line exit into a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
