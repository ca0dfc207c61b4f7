"""Bringing news in from the web: pages by link, and feeds.

Network only when the user asks (``reader add``, ``reader fetch``, ``r`` in
the app). What arrives is untrusted: every page goes through the same
extraction and sanitising as a saved ``.html`` file, and is written into the
articles folder as a Markdown file with YAML front matter, so it stays
readable and re-indexable without the network. Nothing here ever deletes or
rewrites an article file.
"""
