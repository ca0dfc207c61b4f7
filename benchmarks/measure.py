"""Timing and memory helpers shared by the benchmark scripts.

Kept apart so the harness, the baselines and the child probes compute
medians, percentiles and peak RSS the same way.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """Median and 95th percentile of a list of seconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        # nearest-rank: with 20 samples p95 is the 19th, not the maximum
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def time_calls(fn: Callable[[], object], repeat: int, warmup: int = 1) -> Stats:
    """Wall time of ``fn()`` over ``repeat`` calls, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return Stats(tuple(samples))


def run_command(cmd: Sequence[str] | str, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command to completion; return (wall seconds, result). ``str`` runs in a shell."""
    started = time.perf_counter()
    result = subprocess.run(
        cmd, shell=isinstance(cmd, str), capture_output=True, text=True, **kwargs
    )
    return time.perf_counter() - started, result


def time_command(cmd: Sequence[str] | str, repeat: int, warmup: int = 1, **kwargs) -> tuple[Stats, str]:
    """Wall time of a fresh process per run (page cache warm); also its last stdout."""
    output = ""
    for _ in range(warmup):
        output = run_command(cmd, **kwargs)[1].stdout
    samples = []
    for _ in range(repeat):
        seconds, result = run_command(cmd, **kwargs)
        samples.append(seconds)
        output = result.stdout
    return Stats(tuple(samples)), output


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_child_rss_mb() -> float:
    """Peak RSS of the largest finished child (worker pools, e.g. entity extraction)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def rss_mb() -> dict[str, float]:
    """Resident memory now: total, anonymous (heap) and file-backed (mmapped index files)."""
    wanted = {"VmRSS": "total", "RssAnon": "anon", "RssFile": "file"}
    found = {}
    try:
        with open(f"/proc/{os.getpid()}/status") as status:
            for line in status:
                key = line.split(":", 1)[0]
                if key in wanted:
                    found[wanted[key]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found or {"total": peak_rss_mb()}
