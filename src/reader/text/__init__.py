"""Plain-string utilities every layer shares: the lowest layer of reader.

``controls``: control characters and escape sequences (what may reach a
terminal), ``fold``: typographic quotes, dashes and spaces made plain,
``dates``: the ISO dates reader stores and queries, ``sentences``: where a
sentence ends in news prose. Nothing here imports another part of reader,
so ingest, the index, entities, bookmarks, the CLI and the app all use the
same definitions instead of each writing its own.
"""
