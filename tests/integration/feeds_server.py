"""A real HTTP server on 127.0.0.1 for the feed tests: RSS and Atom feeds with
ETag / Last-Modified, article pages, and every way a source goes wrong (broken
XML, HTTP 500, a page too slow, a page too big, a redirect loop, bad charsets)."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: bool = False  # answer If-None-Match with 304
    last_modified: str | None = None  # answer If-Modified-Since with 304
    delay: float = 0.0  # seconds before answering (a slow page)
    location: str | None = None  # a redirect
    send_length: bool = True  # False: no Content-Length, the body ends when the connection does
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.conditional_hits: Counter[str] = Counter()
        self.stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = False
        self._httpd.block_on_close = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.stop.set()  # slow handlers stop waiting
        self._httpd.shutdown()
        self._httpd.server_close()  # joins the handler threads
        self._thread.join(5)


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path
            server.hits[path] += 1
            route = server.routes.get(path)
            if route is None:
                return self._send(404, b"not found", "text/plain")
            if route.delay and server.stop.wait(route.delay):
                return None
            if route.location:
                return self._send(route.status or 302, b"", "text/plain", Location=route.location)
            extra = dict(route.headers)
            tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"' if route.etag else None
            if tag:
                extra["ETag"] = tag
            if route.last_modified:
                extra["Last-Modified"] = route.last_modified
            if (tag and self.headers.get("If-None-Match") == tag) or (
                route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
            ):
                server.conditional_hits[path] += 1
                return self._send(304, b"", None, **extra)
            if not route.send_length:
                self.close_connection = True
                extra["Connection"] = "close"
            return self._send(route.status, route.body, route.content_type, **extra)

        def _send(self, status: int, body: bytes, kind: str | None, **headers: str) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            for name, value in headers.items():
                self.send_header(name, value)
            if headers.get("Connection") != "close":
                self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet

        def handle(self) -> None:
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

    return Handler


@contextmanager
def serving() -> Iterator[FeedServer]:
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


@dataclass(frozen=True)
class Story:
    path: str
    title: str
    text: str
    published: str  # RFC 3339
    summary: str = ""


def article_page(story: Story, *, site: str, charset: str = "utf-8", lang: str = "en") -> bytes:
    """An article page as news sites serve them: navigation, the story, a footer."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in story.text.split("\n\n") if p.strip())
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}">
<title>{escape(story.title)} | {escape(site)}</title>
<meta property="og:site_name" content="{escape(site)}">
<meta property="article:published_time" content="{story.published}">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/europe">Europe</a></nav>
<article><h1>{escape(story.title)}</h1>
<time datetime="{story.published}">{story.published[:10]}</time>
{paragraphs}
</article>
<aside>Most read: Markets rally | Weather warning | Football results</aside>
<footer>Copyright {escape(site)}. All rights reserved.</footer>
</body></html>"""
    return page.encode(charset)


def rss(title: str, base: str, stories: list[Story]) -> bytes:
    items = "".join(
        f"""<item><title>{escape(s.title)}</title><link>{base}{s.path}?utm_source=rss</link>
<guid isPermaLink="false">{escape(s.path)}</guid>
<pubDate>{_rfc822(s.published)}</pubDate>
<description>{escape(s.summary or s.text[:200])}</description></item>"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{base}/</link>
<description>World news</description><language>en</language>{items}</channel></rss>""".encode()


def atom(title: str, base: str, stories: list[Story]) -> bytes:
    entries = "".join(
        f"""<entry><title>{escape(s.title)}</title><link rel="alternate" href="{base}{s.path}"/>
<id>tag:herald.example,2024:{escape(s.path)}</id><updated>{s.published}</updated>
<published>{s.published}</published><summary>{escape(s.summary or s.text[:200])}</summary>
</entry>"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>{escape(title)}</title>
<id>tag:herald.example,2024:feed</id><updated>2024-03-07T12:00:00Z</updated>
<link href="{base}/"/>{entries}</feed>""".encode()


def _rfc822(stamp: str) -> str:
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
