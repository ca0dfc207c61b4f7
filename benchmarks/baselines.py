"""What the Library is compared against: SQLite FTS5, ripgrep and grep.

Why these: FTS5 (porter stemming, bm25, snippet()) is the obvious "could we
just have used SQLite?" yardstick for a local full-text index, and
``rg``/``grep -ril`` are what a user would run on the folder without any index.

Run as a script it answers one FTS5 query in a fresh process, so a cold
``reader search`` can be compared with a cold FTS5 lookup:

    python benchmarks/baselines.py fts5-search INDEX.sqlite 'MATCH EXPRESSION'
"""

from __future__ import annotations

import json
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

SNIPPET_SQL = "snippet(articles, 3, '[', ']', '…', 16)"


def parse_article(text: str, suffix: str = ".txt") -> tuple[str, str, str]:
    """(title, authors, body) with just enough parsing to fill FTS5 columns fairly.

    Mirrors the corpus shapes: Markdown front matter, else an optional headline
    line, then an optional `` date YYYY-MM-DD`` / ``By A and B`` line.
    """
    title = authors = ""
    if suffix == ".md" and text.startswith("---\n"):
        front, _, text = text[4:].partition("\n---\n")
        people = []
        for line in front.splitlines():
            if line.startswith("title:"):
                title = line[6:].strip().strip('"')
            elif line.startswith("  - "):
                people.append(line[4:])
        return title, ", ".join(people), text.strip()
    blocks = [b for b in text.split("\n\n") if b.strip()]
    if blocks and not _is_meta(blocks[0]) and len(blocks) > 1:
        title = blocks.pop(0).strip()
    if blocks and _is_meta(blocks[0]):
        meta = blocks.pop(0)
        authors = meta.partition("By ")[2].strip()
    return title, authors, "\n\n".join(b.strip() for b in blocks)


def _is_meta(block: str) -> bool:
    return block.startswith((" date ", "date ", "By "))


# -- SQLite FTS5 ------------------------------------------------------------------


def fts5_build(files: list[Path], db_path: Path) -> dict:
    """Index ``files`` from scratch (one transaction, then 'optimize'); return timings."""
    db_path.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE VIRTUAL TABLE articles USING fts5("
        "path UNINDEXED, title, authors, body, tokenize='porter unicode61')"
    )
    with conn:
        conn.executemany(
            "INSERT INTO articles(path, title, authors, body) VALUES (?, ?, ?, ?)",
            (
                (str(p), *parse_article(p.read_text(encoding="utf-8", errors="replace"), p.suffix))
                for p in files
            ),
        )
        conn.execute("INSERT INTO articles(articles) VALUES ('optimize')")
    conn.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "docs": len(files), "bytes": db_path.stat().st_size}


def fts5_connect(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def fts5_search(conn: sqlite3.Connection, match: str, limit: int = 10, snippets: bool = True) -> list[tuple]:
    """Top ``limit`` by bm25, with a body snippet when asked (the Library's equivalent call)."""
    columns = f"path, title, {SNIPPET_SQL}" if snippets else "path, title"
    return conn.execute(
        f"SELECT {columns} FROM articles WHERE articles MATCH ? ORDER BY rank LIMIT ?",
        (match, limit),
    ).fetchall()


def fts5_count(conn: sqlite3.Connection, match: str) -> int:
    return conn.execute("SELECT count(*) FROM articles WHERE articles MATCH ?", (match,)).fetchone()[0]


def fts5_cold_command(db_path: Path, match: str) -> list[str]:
    """A fresh Python process answering one FTS5 query (Python start-up included, like ``reader``)."""
    return [sys.executable, str(Path(__file__).resolve()), "fts5-search", str(db_path), match]


# -- ripgrep and grep -----------------------------------------------------------------


def rg_provenance() -> str:
    """Which ripgrep runs and where it came from; "" when there is none."""
    path = shutil.which("rg")
    if not path:
        return ""
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    if path.startswith(sys.prefix):
        return f"{version} (pip wheel in the venv)"
    owner = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if owner.returncode == 0:
        return f"{version} (Debian package {owner.stdout.split(':')[0]})"
    return f"{version} ({path})"


def grep_command(tool: str, patterns: list[tuple[str, bool]], corpus: Path) -> list[str] | str:
    """List files matching every pattern, case-insensitively, as a user would.

    One pattern is a single process; several are chained through ``xargs``
    (``rg -ilw a | xargs rg -ilw b``), the usual shell idiom for AND. Literal
    patterns match whole words (``-w``) like the index does, so "ports" does
    not count "reports". ripgrep gets ``--no-ignore`` because the corpora live
    in a git-ignored folder.
    """

    def stage(pattern: str, regex: bool, last: bool) -> list[str]:
        if tool == "rg":
            argv = ["rg", "--no-ignore", "-il"] + ([] if last else ["-0"])
        else:
            argv = ["grep", "-ril"] + ([] if last else ["-Z"]) + (["-E"] if regex else [])
        return argv + ([] if regex else ["-F", "-w"]) + ["-e", pattern]

    (first, first_regex), rest = patterns[0], patterns[1:]
    head = stage(first, first_regex, not rest) + [str(corpus)]
    if not rest:
        return head
    commands = [shlex.join(head)]
    for i, (pattern, regex) in enumerate(rest):
        commands.append("xargs -0 -r " + shlex.join(stage(pattern, regex, i == len(rest) - 1)))
    return " | ".join(commands)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "fts5-search":
        print(__doc__, file=sys.stderr)
        return 2
    conn = fts5_connect(Path(argv[1]))
    rows = fts5_search(conn, argv[2])
    print(json.dumps({"total": fts5_count(conn, argv[2]), "hits": [list(r) for r in rows]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
