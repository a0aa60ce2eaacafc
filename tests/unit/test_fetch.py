"""Pure parts of fetching: charsets, feed parsing, article extraction."""

from __future__ import annotations

import pytest

from service.ingestion.feeds import FeedError, article_from_html, parse_feed
from service.ingestion.fetch import FetchError, declared_charset, decode_page

PAGE = "<p>L\u2019\u00c9lys\u00e9e a salu\u00e9 \u201cla d\u00e9cision\u201d \u2013 Kyiv.</p>"


def test_the_header_charset_wins() -> None:
    body = PAGE.encode("cp1252")
    assert decode_page(body, "text/html; charset=windows-1252") == PAGE
    assert declared_charset(body, 'text/html; charset="Windows-1252"') == "Windows-1252"


def test_a_meta_charset_or_xml_declaration_is_read_when_the_header_has_none() -> None:
    meta = f'<html><head><meta charset="iso-8859-1"></head><body>{PAGE}</body></html>'
    assert PAGE in decode_page(meta.encode("cp1252"), "text/html")  # latin-1 read as cp1252
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    assert declared_charset(equiv.encode(), None) == "koi8-r"
    xml = '<?xml version="1.0" encoding="ISO-8859-15"?><p>\u20ac</p>'
    assert decode_page(xml.encode("iso-8859-15"), None).endswith("<p>\u20ac</p>")


def test_undeclared_pages_are_utf8_else_windows_1252() -> None:
    assert decode_page(PAGE.encode("utf-8"), None) == PAGE
    assert decode_page(b"\xef\xbb\xbf" + PAGE.encode("utf-8"), None) == PAGE  # BOM
    assert decode_page(PAGE.encode("cp1252"), "text/html") == PAGE


def test_bytes_that_do_not_fit_the_declared_charset_are_an_error() -> None:
    with pytest.raises(FetchError, match="declares charset 'utf-8' but byte 4"):
        decode_page(PAGE.encode("cp1252"), "text/html; charset=utf-8")
    with pytest.raises(FetchError, match="unknown charset 'x-klingon'"):
        decode_page(b"<p>hi</p>", "text/html; charset=x-klingon")


def test_a_broken_feed_or_a_web_page_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="not a valid RSS or Atom feed"):
        parse_feed(b"<rss \x00\x01 garbage", "text/xml")
    with pytest.raises(FeedError, match="text/html is not an XML media type"):
        parse_feed(b"<html><body>Hello</body></html>", "text/html")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>Hello</body></html>", "application/xml")


def test_feed_entries_come_newest_first_with_canonical_links() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
    <item><title>Old</title><link>HTTP://Wire.Example/a?utm_source=x#c</link>
      <pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
      <description>&lt;b&gt;Teaser&lt;/b&gt; one</description></item>
    <item><title>New</title><link>https://wire.example/b</link>
      <pubDate>Wed, 06 Mar 2024 10:00:00 +0100</pubDate></item>
    <item><title>No link</title><guid>urn:x:1</guid></item>
    </channel></rss>"""
    feed, entries = parse_feed(body, "application/rss+xml")
    assert feed["title"] == "Wire"
    assert [e.title for e in entries] == ["New", "Old", "No link"]
    old = entries[1]
    assert old.link == "http://wire.example/a" and old.key == old.link
    assert old.summary == "Teaser one" and old.published is not None
    assert entries[0].published is not None and entries[0].published.hour == 9  # in UTC
    assert entries[2].link is None and entries[2].key == "urn:x:1"


def test_article_text_and_metadata_come_from_the_page() -> None:
    page = """<html lang="en-GB"><head><title>Talks | Wire</title>
    <meta property="og:site_name" content="Continental Wire">
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><nav>Home | World</nav><article><h1>Talks</h1>
    <p>French President Emmanuel Macron said on Tuesday that the war could only end at the
    negotiating table, and urged China to use its influence with Moscow.</p>
    <p>He said France would keep delivering weapons to Kyiv for as long as it takes.</p>
    </article><footer>Copyright</footer></body></html>"""
    article = article_from_html(page, "https://wire.example/talks")
    assert "negotiating table" in article.text and "Copyright" not in article.text
    assert article.publisher == "Continental Wire" and article.language == "en-GB"
    assert article.published is not None and article.published.isoformat() == "2024-03-05"
