"""Worker processes that never outlive, block or speak over their parent.

spaCy's own ``nlp.pipe(n_process=...)`` starts plain ``multiprocessing``
processes: killing ``reader index`` left them running forever (holding the
index's sync lock, which they inherited with every other descriptor), Ctrl-C
printed a traceback from each of them, and with stdout a pipe the reader on
the other end never saw its end. :class:`OrderedPool` owns its processes:

* each worker dies with its parent: ``PR_SET_PDEATHSIG`` on Linux, and a
  watchdog thread on the parent's pid everywhere (covers other systems and
  the race before the signal is armed);
* a worker closes every inherited descriptor but its pipe, and points stdin
  and stdout at ``/dev/null``: no lock, no pipe end, no database is kept open
  by a worker;
* workers ignore SIGINT (Ctrl-C reaches the whole process group; the parent
  decides), take the default action on SIGTERM/SIGHUP, and send exceptions
  back instead of printing them;
* closing the pool (normally, on an exception, on Ctrl-C) kills what is left.

Results come back in the order the batches went out.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: How often a worker checks that its parent is still there (seconds), where
#: the kernel cannot be asked to signal it.
WATCHDOG_SECONDS = 0.5
#: Batches queued per worker, so none waits while the parent reads a result.
IN_FLIGHT = 2

_PR_SET_PDEATHSIG = 1
#: Held back while a worker starts: a Ctrl-C landing between the fork and the
#: worker's own handlers would otherwise raise in it and print a traceback.
_STOPPING = (
    {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}
    if hasattr(signal, "pthread_sigmask")
    else set()
)


class WorkerFailed(RuntimeError):
    """A worker raised or died; ``str()`` says what happened."""


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the watchdog below still works

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            threading.Event().wait(WATCHDOG_SECONDS)

    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _keep_only(descriptor: int) -> None:
    """Close every inherited descriptor but ``descriptor`` and stderr;
    stdin and stdout become /dev/null."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for standard in (0, 1):
        if devnull != standard:
            os.dup2(devnull, standard)
    try:
        inherited = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: every possible descriptor
        try:
            highest = int(os.sysconf("SC_OPEN_MAX"))
        except (OSError, ValueError):
            highest = 65536
        os.closerange(3, descriptor)
        os.closerange(descriptor + 1, max(highest, descriptor + 1))
        return
    for fd in inherited:
        if fd > 2 and fd != descriptor:
            try:
                os.close(fd)
            except OSError:
                pass  # the descriptor listdir itself used, already gone


def _worker(connection: Any, parent_pid: int, setup: Callable[[], Callable[[Any], Any]]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if _STOPPING:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # blocked by the parent across the fork
    _die_with_parent(parent_pid)
    _keep_only(connection.fileno())
    try:
        work = setup()
    except BaseException as error:  # noqa: BLE001 - reported to the parent, never printed here
        _send_quietly(connection, (False, f"{type(error).__name__}: {error}"))
        os._exit(1)
    while True:
        try:
            batch = connection.recv()
        except (EOFError, OSError):
            os._exit(0)  # the parent closed the pool, or is gone
        try:
            reply: tuple[bool, Any] = (True, work(batch))
        except Exception as error:  # noqa: BLE001 - reported to the parent, never printed here
            reply = (False, f"{type(error).__name__}: {error}")
        if not _send_quietly(connection, reply):
            os._exit(0)


def _send_quietly(connection: Any, message: object) -> bool:
    try:
        connection.send(message)
    except (OSError, ValueError):
        return False
    return True


class OrderedPool:
    """``processes`` workers running ``setup()``'s function on batches, results in order.

    ``setup`` runs in each worker (with the fork start method it may simply
    return a closure over objects the parent already built).
    Use as a context manager; leaving it kills the workers.
    """

    def __init__(self, setup: Callable[[], Callable[[Any], Any]], processes: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._connections: list[Any] = []
        self._processes: list[Any] = []
        try:
            for _ in range(processes):
                mine, theirs = context.Pipe(duplex=True)
                process = context.Process(
                    target=_worker, args=(theirs, os.getpid(), setup), name="reader-worker", daemon=True
                )
                self._start(process)
                theirs.close()
                self._connections.append(mine)
                self._processes.append(process)
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _start(process: Any) -> None:
        if not _STOPPING:
            process.start()
            return
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # what came meanwhile is delivered now

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self._processes if process.pid is not None]

    def map(self, batches: Iterable[Any]) -> Iterator[Any]:
        """Each batch's result, in order. A feeder thread sends, so a large batch
        and a large result never wait for each other."""
        count = len(self._connections)
        slots = [threading.Semaphore(IN_FLIGHT) for _ in range(count)]
        sent: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def feed() -> None:
            try:
                for number, batch in enumerate(batches):
                    worker = number % count
                    while not slots[worker].acquire(timeout=0.2):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    self._connections[worker].send(batch)
                    sent.put(("sent", worker))
            except BaseException as error:  # noqa: BLE001 - handed to the reading thread
                sent.put(("error", error))
                return
            sent.put(("done", None))

        feeder = threading.Thread(target=feed, name="reader-worker-feeder", daemon=True)
        feeder.start()
        try:
            while True:
                kind, value = sent.get()
                if kind == "done":
                    return
                if kind == "error":
                    raise value
                try:
                    ok, result = self._connections[value].recv()
                except (EOFError, OSError):
                    raise WorkerFailed("an entity worker process stopped unexpectedly") from None
                slots[value].release()
                if not ok:
                    raise WorkerFailed(f"an entity worker failed: {result}")
                yield result
        finally:
            stop.set()

    def close(self) -> None:
        """Stop the workers: a polite word, then SIGKILL for any still there."""
        for connection in self._connections:
            connection.close()  # an idle worker sees the end at once; a busy one is killed below
        for process in self._processes:
            process.join(timeout=0.5)
            if process.is_alive():
                process.kill()
                process.join(timeout=2)
        self._connections, self._processes = [], []

    def __enter__(self) -> OrderedPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
