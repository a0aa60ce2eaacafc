from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.ingestion.normalize import canonical_url, content_hash, normalize_text


def test_canonical_url_drops_tracking_fragment_and_case() -> None:
    assert (
        canonical_url("HTTPS://News.Example.ORG:443/a/b?utm_source=x&id=3&fbclid=y#frag")
        == "https://news.example.org/a/b?id=3"
    )
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("http://example.org:8080/x?b=2&a=1") == "http://example.org:8080/x?a=1&b=2"
    assert canonical_url(None) is None and canonical_url("  ") is None


def test_content_hash_ignores_layout_not_words() -> None:
    assert content_hash("Peace  talks\nnow") == content_hash("peace talks now")
    assert content_hash("peace talks now") != content_hash("peace talks later")


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\x00" not in once
