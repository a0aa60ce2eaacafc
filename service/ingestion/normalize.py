"""Pure helpers that give every document one canonical form before it is stored."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ocid|cmpid|ref_src)$")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The text as stored: NFC, ``\\n`` line endings, no NUL, no trailing blanks.

    Evidence spans index into this exact string, so it is computed once, here."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x00", "").strip()


def content_hash(text: str) -> str:
    """SHA-256 of the text with whitespace collapsed and case folded: two copies of
    one article that differ only in layout hash the same."""
    canonical = _SPACE.sub(" ", text).strip().casefold()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no default port, fragment or tracking parameters."""
    if url is None or not url.strip():
        return None
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k.lower())
        )
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))
