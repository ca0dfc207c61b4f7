"""Which OpenSearch cluster to use, from the environment or the config file, and a client for it.

``READER_OPENSEARCH_URL`` (one URL, or several separated by commas: the client
moves to another node when one fails) chooses the OpenSearch backend. Credentials
come from ``READER_OPENSEARCH_USER`` with ``READER_OPENSEARCH_PASSWORD`` or
``READER_OPENSEARCH_PASSWORD_FILE`` (a file holding only the password), never
from the command line. TLS certificates are verified unless
``READER_OPENSEARCH_VERIFY=0``; ``READER_OPENSEARCH_CA`` names a CA bundle.
``READER_OPENSEARCH_INDEX`` is the index name prefix (default ``reader``).

The config file's ``[search]`` table says the same for good (``backend =
"opensearch"``, ``url``, ``index``, ``user``, ``password_file``, ``verify``,
``ca``; see :data:`SEARCH_KEYS`); each environment variable wins over its key,
and ``backend = "whoosh"`` keeps the local index even with a ``url`` written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import IndexProblem

URL_ENV = "READER_OPENSEARCH_URL"
USER_ENV = "READER_OPENSEARCH_USER"
PASSWORD_ENV = "READER_OPENSEARCH_PASSWORD"
PASSWORD_FILE_ENV = "READER_OPENSEARCH_PASSWORD_FILE"
VERIFY_ENV = "READER_OPENSEARCH_VERIFY"
CA_ENV = "READER_OPENSEARCH_CA"
PREFIX_ENV = "READER_OPENSEARCH_INDEX"

DEFAULT_PREFIX = "reader"
#: Seconds for one request; a bulk request of a few hundred articles takes well under this.
REQUEST_TIMEOUT = 30.0


class BackendUnavailable(IndexProblem):
    """The cluster cannot be reached, refuses our credentials, or is not healthy enough."""


@dataclass(frozen=True)
class OpenSearchConfig:
    urls: tuple[str, ...]
    prefix: str = DEFAULT_PREFIX
    user: str | None = None
    password: str | None = None
    verify_certs: bool = True
    ca_certs: str | None = None

    @property
    def alias(self) -> str:
        """The name searches use; it points at one complete index at a time."""
        return f"{self.prefix}-articles"

    @property
    def display_url(self) -> str:
        return self.urls[0] if len(self.urls) == 1 else f"{self.urls[0]} (+{len(self.urls) - 1} more)"

    def client(self) -> Any:
        from opensearchpy import OpenSearch

        options: dict[str, Any] = {
            "hosts": list(self.urls),
            "timeout": REQUEST_TIMEOUT,
            "max_retries": 3,
            "retry_on_timeout": True,
            "verify_certs": self.verify_certs,
            "ssl_show_warn": self.verify_certs,
        }
        if self.ca_certs:
            options["ca_certs"] = self.ca_certs
        if self.user is not None:
            options["http_auth"] = (self.user, self.password or "")
        return OpenSearch(**options)


#: The ``[search]`` keys of the config file -> the environment variable that wins over each.
SEARCH_KEYS = {
    "backend": "",
    "url": URL_ENV,
    "index": PREFIX_ENV,
    "user": USER_ENV,
    "password_file": PASSWORD_FILE_ENV,
    "verify": VERIFY_ENV,
    "ca": CA_ENV,
}
BACKENDS = ("whoosh", "opensearch")


def check_search_table(value: Any) -> str | None:
    """Why a config file's ``[search]`` table is wrong (None when it is fine), for reader.config."""
    if not isinstance(value, dict):
        return 'must be a table, like [search] backend = "opensearch"'
    for key, item in value.items():
        if key not in SEARCH_KEYS:
            return f"has an unknown key {key!r} (known: {', '.join(SEARCH_KEYS)})"
        if key == "verify":
            if not isinstance(item, bool):
                return "verify must be true or false"
        elif key == "url":
            if not (isinstance(item, str) or (isinstance(item, list) and all(isinstance(u, str) for u in item))) or not item:
                return 'url must be a URL in quotes, or a list of them: "https://search.example.org:9200"'
        elif not isinstance(item, str) or not item.strip():
            return f'{key} must be text in quotes, like "{"opensearch" if key == "backend" else "..."}"'
    if value.get("backend", "opensearch") not in BACKENDS:
        return f"backend must be one of {', '.join(BACKENDS)}"
    if value.get("backend") == "opensearch" and "url" not in value:
        return 'backend = "opensearch" needs url = "https://..."'
    return None


def _as_environment(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(Path(value).expanduser()) if key in ("password_file", "ca") else str(value)


def config_from_environment(
    environ: Mapping[str, str] | None = None, section: Mapping[str, Any] | None = None
) -> OpenSearchConfig | None:
    """The configured cluster, or None when the embedded Whoosh index is to be used.

    ``section`` is the config file's ``[search]`` table (already checked by
    :func:`check_search_table`); the environment wins over each of its keys.
    """
    env = dict(os.environ if environ is None else environ)
    section = section or {}
    raw = env.get(URL_ENV, "").strip()
    if not raw and section.get("backend", "opensearch" if "url" in section else "whoosh") == "opensearch":
        url = section.get("url", "")
        raw = ",".join(url) if isinstance(url, list) else str(url)
    if not raw:
        return None
    for key, name in SEARCH_KEYS.items():  # the file's values, where the environment is silent
        if name and name not in env and key in section and key != "url":
            env[name] = _as_environment(key, section[key])
    urls = tuple(url.strip().rstrip("/") for url in raw.split(",") if url.strip())
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BackendUnavailable(f"{URL_ENV} is not an http(s) URL: {url!r}")
        if parts.username or parts.password:
            raise BackendUnavailable(f"{URL_ENV} must not hold credentials; use {USER_ENV} and {PASSWORD_ENV}")
    password = env.get(PASSWORD_ENV)
    password_file = env.get(PASSWORD_FILE_ENV)
    if password is None and password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise BackendUnavailable(f"cannot read {PASSWORD_FILE_ENV} {password_file}: {error.strerror or error}") from None
    return OpenSearchConfig(
        urls=urls,
        prefix=env.get(PREFIX_ENV, "").strip() or DEFAULT_PREFIX,
        user=env.get(USER_ENV) or None,
        password=password,
        verify_certs=env.get(VERIFY_ENV, "1").strip().lower() not in ("0", "false", "no", "off"),
        ca_certs=env.get(CA_ENV) or None,
    )
