"""The OpenSearch backend: a shared archive on a cluster instead of the embedded Whoosh index.

Chosen by ``READER_OPENSEARCH_URL`` (see :mod:`.config`); everything else in
the reader reaches it through :class:`reader.Library`. opensearch-py is
imported only when a cluster is configured.
"""

from __future__ import annotations

from .config import BackendUnavailable, OpenSearchConfig, config_from_environment

__all__ = ["BackendUnavailable", "OpenSearchConfig", "config_from_environment"]
