"""One careful HTTP GET: bounded in time, size and redirects, with a one-line reason on failure.

httpx does the protocol (gzip and deflate, redirects, TLS, proxies from the
environment); we add what a reader of untrusted servers needs on top: a
deadline for the whole download (a server that drips a byte a second never
trips a read timeout), a cap on the decompressed size (a gzip bomb is small
on the wire), and failures as short sentences for the user.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.message import Message

import httpx

from .. import __version__

USER_AGENT = f"reader/{__version__} (terminal news reader; +https://pypi.org/project/reader-tui/)"
MAX_REDIRECTS = 5
MAX_BYTES = 10 * 1024 * 1024
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
TOTAL_TIMEOUT = 60.0

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
)


Client = httpx.Client  # for annotations elsewhere, without importing httpx there


class FetchError(Exception):
    """The download failed; ``str()`` is one line for users.

    ``permanent`` when trying again will not help (404, 410, 403 …), as
    opposed to a timeout or a server error.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str = ""  # the media type, lower case, without parameters
    charset: str | None = None
    etag: str = ""
    last_modified: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _media_type(header: str) -> tuple[str, str | None]:
    message = Message()
    message["content-type"] = header
    charset = message.get_param("charset")
    return message.get_content_type().lower() if header else "", charset if isinstance(charset, str) else None


def _sentence(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]


def get(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int = MAX_BYTES,
    timeout: float = TOTAL_TIMEOUT,
    client: httpx.Client | None = None,
) -> Response:
    """GET ``url``; a 304 (with ``etag``/``last_modified`` given) comes back with no content.

    Raises :class:`FetchError` for anything but a 2xx or 304: the status,
    a timeout, too many redirects, too much data, a refused connection.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("not an http(s) URL")
    headers = {"Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own = client is None
    session = client or new_client()
    deadline = time.monotonic() + timeout
    try:
        with session.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Response(str(response.url), 304, b"", etag=etag, last_modified=last_modified)
            if response.status_code >= 400:
                status = response.status_code
                permanent = 400 <= status < 500 and status not in (408, 425, 429)
                raise FetchError(f"HTTP {status} {response.reason_phrase}".strip(), permanent=permanent)
            if not 200 <= response.status_code < 300:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase} (not followed)".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"too large ({int(declared) // 1024} KB; limit {max_bytes // 1024} KB)")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"too large (over {max_bytes // 1024} KB)")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out (the download took over {timeout:.0f} s)")
                chunks.append(chunk)
            media_type, charset = _media_type(response.headers.get("content-type", ""))
            return Response(
                url=str(response.url),
                status=response.status_code,
                content=b"".join(chunks),
                content_type=media_type,
                charset=charset,
                etag=response.headers.get("etag", ""),
                last_modified=response.headers.get("last-modified", ""),
                headers={k.lower(): v for k, v in response.headers.items()},
            )
    except FetchError:
        raise
    except httpx.TooManyRedirects:
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS}; a redirect loop?)") from None
    except httpx.TimeoutException:
        raise FetchError("timed out (the server did not answer in time)") from None
    except httpx.UnsupportedProtocol as error:
        raise FetchError(f"redirected to something that is not http(s) ({_sentence(error)})") from None
    except httpx.DecodingError:
        raise FetchError("the server sent a broken compressed response") from None
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
        raise FetchError(f"cannot connect ({_sentence(error)})") from None
    except httpx.InvalidURL as error:  # also a redirect to one (javascript:…)
        raise FetchError(f"not a usable URL ({_sentence(error)})") from None
    except httpx.HTTPError as error:
        raise FetchError(f"download failed ({_sentence(error)})") from None
    except (ValueError, UnicodeError) as error:  # a malformed URL
        raise FetchError(f"not a usable URL ({_sentence(error)})") from None
    finally:
        if own:
            session.close()


def new_client() -> httpx.Client:
    """A client for several downloads (connection reuse); close it when done."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        },
    )
