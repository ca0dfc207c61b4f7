"""The OpenSearch index: settings and mapping that give the same matches as the Whoosh schema.

Searchable text is analysed here, by the reader's own analyzer
(:mod:`reader.index.schema`: quotes and odd spaces folded, case and accents
folded, possessives and dots dropped, glued words also indexed as their parts,
Snowball English stems), and sent as ready-made terms: ``*_terms`` fields hold
one token per word position, with the alternatives at one position (a glued
word and its parts) joined by ``|``, which the ``reader_terms`` analyzer splits
back into tokens at the same position. Re-creating the analysis with
OpenSearch's own filters was the first try and gave different results:
Lucene's Snowball English stems "Lighthizer" to ``lighthiz`` where ours gives
``lighthize``, so ``Lighthizer Mnuchin Xi`` missed an article. With the terms
made here, the query side (the same parser) and the index side agree exactly,
whichever backend is used.

``*_words`` hold the same words unstemmed (positions and lengths kept): they
are what exact mode (``=word``, ``="a phrase"``: Whoosh's ``*_exact`` fields)
searches, and where ``prefix*`` and ``fuzzy~`` look words up.
Stop words are indexed (phrases stay exact); the query side keeps them out.
Each index carries ``_meta.reader_mapping``; one written by another version is
reported and rebuilt, never searched with the wrong terms.
"""

from __future__ import annotations

from typing import Any

from ..index.entity_ranking import CLUSTER_SCALE
from ..index.entity_ranking import K1 as ENTITY_K1
from ..index.schema import ENTITY_FIELDS

#: Bumped whenever analysis or fields change: an index of another version is rebuilt.
MAPPING_VERSION = 3  # 2: *_words with positions and norms (exact mode), vocabulary; 3: entity names weighted
TERMS_ANALYZER = "reader_terms"
ENTITY_SIMILARITY = "reader_entities"
#: Fields searched by words, as named in the query language (title:, body:, author:, source:, person: ...).
TEXT_FIELDS = ("title", "body", "authors", "source", *ENTITY_FIELDS)
WORD_FIELDS = ("title", "body")
#: The query language's exact-mode fields (see reader.index.query.EXACT_FIELD) -> the field they search.
EXACT_FIELDS = {"title_exact": "title", "body_exact": "body"}


def terms_field(name: str) -> str:
    return f"{name}_terms"


def words_field(name: str) -> str:
    return f"{name}_words"


def index_settings(shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "analysis": {
            "filter": {"reader_alternatives": {"type": "pattern_capture", "preserve_original": False, "patterns": ["([^|]+)"]}},
            "analyzer": {TERMS_ANALYZER: {"type": "custom", "tokenizer": "whitespace", "filter": ["reader_alternatives"]}},
            "normalizer": {"reader_lower": {"type": "custom", "filter": ["lowercase"]}},
        },
        # Entity fields hold each name as often as it weighs in the article, its length taken into
        # account (index/entity_ranking.py): BM25 on them saturates as the local index's entity
        # score does, not normalised again by the field's length (the kind's other names).
        "similarity": {ENTITY_SIMILARITY: {"type": "BM25", "k1": ENTITY_K1 * CLUSTER_SCALE, "b": 0.0}},
    }


def index_mappings() -> dict[str, Any]:
    terms = {"type": "text", "analyzer": TERMS_ANALYZER, "norms": True}
    properties: dict[str, Any] = {
        "id": {"type": "keyword"},
        "path": {"type": "keyword"},
        "content_hash": {"type": "keyword"},
        "size": {"type": "long", "index": False},
        "mtime_ns": {"type": "long", "index": False},
        "title": {"type": "keyword", "index": False},
        "paragraphs": {"type": "keyword", "index": False, "doc_values": False},
        "author_list": {"type": "keyword"},
        "source": {"type": "keyword"},
        "date": {"type": "keyword"},
        "dateline": {"type": "keyword", "index": False},
        "url": {"type": "keyword"},
        "tags": {"type": "keyword", "normalizer": "reader_lower"},
        "title_derived": {"type": "boolean"},
        "word_count": {"type": "integer"},
        "mentions": {"type": "object", "enabled": False},
        "extractor": {"type": "keyword"},
        # The article's distinct unstemmed words, for the likeliest completions of a prefix
        # (aggregated from doc values, never searched).
        "vocabulary": {"type": "keyword", "index": False},
        # One row per (entity key, spelling) with its mention count: aggregations count entities
        # across the corpus the way the Whoosh backend's catalog does.
        "entities": {
            "type": "nested",
            "properties": {
                "key": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "name": {"type": "keyword", "fields": {"folded": {"type": "keyword", "normalizer": "reader_lower"}}},
                "mentions": {"type": "integer"},
            },
        },
    }
    for name in TEXT_FIELDS:
        properties[terms_field(name)] = dict(terms, similarity=ENTITY_SIMILARITY) if name in ENTITY_FIELDS else dict(terms)
    for name in WORD_FIELDS:
        properties[words_field(name)] = dict(terms)
    return {"dynamic": "strict", "_meta": {"reader_mapping": MAPPING_VERSION}, "properties": properties}


def index_body(shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    return {"settings": index_settings(shards, replicas), "mappings": index_mappings()}
