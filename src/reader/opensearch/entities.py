"""Entity counts across the cluster's articles, from aggregations over the nested ``entities`` rows.

The questions :mod:`reader.index.entity_queries`, :mod:`reader.index.curation`
and :mod:`reader.index.entity_page` ask the Whoosh backend's catalog
(:class:`reader.index.entity_queries.EntityCounts`), answered by the cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..model import Article

if TYPE_CHECKING:
    from .store import OpenSearchStore


class ClusterEntityCounts:
    """The entity-count questions the Whoosh backend asks its catalog, answered by aggregations."""

    def __init__(self, store: OpenSearchStore) -> None:
        self.store = store

    def _aggregate(self, nested_filter: list[dict[str, Any]], aggs: dict[str, Any]) -> dict[str, Any]:
        index = self.store.usable()
        if index is None:
            return {}
        inner = {"filter": {"bool": {"filter": nested_filter}} if nested_filter else {"match_all": {}}, "aggs": aggs}
        body = {"size": 0, "aggs": {"entities": {"nested": {"path": "entities"}, "aggs": {"chosen": inner}}}}
        with self.store.talking("counting entities"):
            found = self.store.client.search(index=index, body=body)
        return dict(found["aggregations"]["entities"]["chosen"])

    def entity_rows(self, *, kind: str | None = None, article: str | None = None) -> Iterator[tuple[str, str, str, int, int]]:
        """(key, kind, name, mentions, articles) per name spelling (with ``article``: its own)."""
        if article:  # that article's own spellings and mentions, from its document
            source = self.store.source(article, ["entities"]) or {}
            own: dict[tuple[str, str, str], int] = {}
            for row in source.get("entities") or ():
                if kind in (None, row["kind"]):
                    spelling = (str(row["key"]), str(row["kind"]), str(row["name"]))
                    own[spelling] = own.get(spelling, 0) + int(row["mentions"])
            return iter([(key, entity_kind, name, mentions, 1) for (key, entity_kind, name), mentions in own.items()])
        filters: list[dict[str, Any]] = [{"term": {"entities.kind": kind}}] if kind else []
        by_name = {
            "terms": {"field": "entities.name", "size": 1000},
            "aggs": {"mentions": {"sum": {"field": "entities.mentions"}}, "articles": {"reverse_nested": {}}},
        }
        aggs = {
            "keys": {
                "terms": {"field": "entities.key", "size": 65_000},
                "aggs": {"kind": {"terms": {"field": "entities.kind", "size": 1}}, "names": by_name},
            }
        }
        rows = []
        for bucket in self._aggregate(filters, aggs).get("keys", {}).get("buckets", ()):
            kinds = bucket["kind"]["buckets"]
            entity_kind = kinds[0]["key"] if kinds else ""
            for name in bucket["names"]["buckets"]:
                rows.append(
                    (bucket["key"], entity_kind, name["key"], int(name["mentions"]["value"]), int(name["articles"]["doc_count"]))
                )
        return iter(rows)

    def person_key_counts(self) -> dict[str, int]:
        aggs = {
            "keys": {
                "terms": {"field": "entities.key", "size": 65_000},
                "aggs": {"mentions": {"sum": {"field": "entities.mentions"}}},
            }
        }
        buckets = self._aggregate([{"term": {"entities.kind": "person"}}], aggs).get("keys", {}).get("buckets", ())
        return {bucket["key"]: int(bucket["mentions"]["value"]) for bucket in buckets}

    def entity_article_totals(self) -> dict[str, int]:
        aggs = {"keys": {"terms": {"field": "entities.key", "size": 65_000}, "aggs": {"articles": {"reverse_nested": {}}}}}
        buckets = self._aggregate([], aggs).get("keys", {}).get("buckets", ())
        return {bucket["key"]: int(bucket["articles"]["doc_count"]) for bucket in buckets}

    def entity_keys_for_name(self, name: str) -> list[tuple[str, str]]:
        aggs = {
            "keys": {"terms": {"field": "entities.key", "size": 1000}, "aggs": {"kind": {"terms": {"field": "entities.kind"}}}}
        }
        buckets = self._aggregate([{"term": {"entities.name.folded": name}}], aggs).get("keys", {}).get("buckets", ())
        return sorted({(bucket["key"], kind["key"]) for bucket in buckets for kind in bucket["kind"]["buckets"]})

    def entity_article_counts(self, key: str) -> list[tuple[str, int]]:
        query = {"nested": {"path": "entities", "query": {"term": {"entities.key": key}}}}
        counts = []
        for source in self.store.scan(query, ["id", "entities"]):
            mentions = sum(int(row.get("mentions", 0)) for row in source.get("entities") or () if row.get("key") == key)
            counts.append((str(source["id"]), mentions))
        return counts

    def entity_key_rows(self, keys: Iterable[str]) -> list[tuple[str, str, str, int]]:
        """(article id, key, name, mentions) of every row of these keys."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        query = {"nested": {"path": "entities", "query": {"terms": {"entities.key": wanted}}}}
        chosen = set(wanted)
        return [
            (str(source["id"]), str(row["key"]), str(row["name"]), int(row["mentions"]))
            for source in self.store.scan(query, ["id", "entities"])
            for row in source.get("entities") or ()
            if row.get("key") in chosen
        ]

    def entity_names_for_keys(self, keys: list[str]) -> list[tuple[str, str, str]]:
        """(key, kind, spelling) of every name indexed under these keys."""
        chosen = set(keys)
        if not chosen:
            return []
        query = {"nested": {"path": "entities", "query": {"terms": {"entities.key": sorted(chosen)}}}}
        rows = {
            (str(row["key"]), str(row["kind"]), str(row["name"]))
            for source in self.store.scan(query, ["entities"])
            for row in source.get("entities") or ()
            if row.get("key") in chosen
        }
        return sorted(rows)

    def article(self, article_id: str) -> Article | None:
        from .store import article_from_source

        source = self.store.source(article_id)
        return article_from_source(source) if source is not None else None
