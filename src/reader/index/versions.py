"""The version of the search index layout, kept apart from the Whoosh schema.

The catalog records it; a process checks it without importing Whoosh.
Raise it whenever the schema or the analysis changes what is indexed:
an index of another version is rebuilt by the next sync.
"""

#: 2: no Whoosh spelling field or hash field (words live in the catalog), one-pass analyzer
#: 3: unstemmed title_exact/body_exact fields for exact mode
#: 4: exact fields without positions; entity fields searched in the catalog (entities after the text)
SCHEMA_VERSION = 4
