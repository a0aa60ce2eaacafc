"""HTTP fetches of feeds and article pages (httpx), with every limit a crawler needs:
timeouts (per read and in all), a size limit enforced while the body streams in,
a bounded number of redirects, conditional requests, and pages decoded in the
charset they declare."""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from service.errors import DemarcheError
from service.settings import Settings

USER_AGENT = "Demarche/0.1 (news reader)"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
# Labels that browsers read as windows-1252 (the WHATWG encoding standard).
_AS_WINDOWS_1252 = {"latin_1", "iso8859-1", "ascii", "cp1252"}


class FetchError(DemarcheError):
    """A feed or page could not be fetched or decoded; the message says why."""


@dataclass(frozen=True)
class FetchLimits:
    timeout_seconds: float
    max_bytes: int
    max_redirects: int

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        return cls(
            settings.fetch_timeout_seconds, settings.fetch_max_bytes, settings.fetch_max_redirects
        )


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when a conditional request found nothing new
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One HTTP client (connection reuse across a poll); close it, or use it in ``with``."""

    def __init__(self, limits: FetchLimits, transport: httpx.BaseTransport | None = None) -> None:
        self.limits = limits
        self._client = httpx.Client(
            timeout=httpx.Timeout(limits.timeout_seconds),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    ) -> Fetched:
        """GET ``url``; raises FetchError on a network error, an HTTP error status,
        a timeout, too many redirects or a body over the size limit."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs can be fetched")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            return self._get(url, headers)
        except httpx.TimeoutException:
            raise FetchError(f"{url}: timed out after {self.limits.timeout_seconds:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: more than {self.limits.max_redirects} redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}") from None

    def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        deadline = time.monotonic() + self.limits.timeout_seconds
        with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return _fetched(response, b"")
            if response.status_code >= 400:
                raise FetchError(
                    f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError(f"{url}: {declared} bytes, over the limit of {self._limit()}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.limits.max_bytes:
                    raise FetchError(f"{url}: larger than the limit of {self._limit()}")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the whole response took too long")
                chunks.append(chunk)
            return _fetched(response, b"".join(chunks))

    def _limit(self) -> str:
        return f"{self.limits.max_bytes} bytes"


def _fetched(response: httpx.Response, body: bytes) -> Fetched:
    return Fetched(
        url=str(response.url),
        status=response.status_code,
        body=body,
        content_type=response.headers.get("Content-Type"),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def declared_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset a page declares: HTTP header first, then a byte-order mark,
    then ``<meta charset>`` / ``http-equiv`` or the XML declaration near the top."""
    if content_type:
        for param in content_type.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip(" \"'"):
                return value.strip(" \"'")
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if body.startswith(bom):
            return name
    head = body[:4096]
    found = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def decode_page(body: bytes, content_type: str | None) -> str:
    """The page as text, in the charset it declares (ISO-8859-1 read as windows-1252,
    as browsers do). Undeclared: UTF-8, else windows-1252. Bytes that do not fit
    the declared charset are an error rather than a page full of replacement marks."""
    label = declared_charset(body, content_type)
    if label is None:
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError:
            return body.decode("cp1252", errors="replace")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        raise FetchError(f"the page declares an unknown charset {label!r}") from None
    if codec in _AS_WINDOWS_1252:
        codec = "cp1252"
    if codec == "utf-8":
        codec = "utf-8-sig"
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        raise FetchError(
            f"the page declares charset {label!r} but byte {exc.start} is not valid in it"
        ) from None
