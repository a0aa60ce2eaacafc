"""The admin page in a real headless Chromium (Debian's package), driven by Playwright.

Without Chromium these tests are skipped with the reason; with
DEMARCHE_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is a failure."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from service import accounts, pipeline
from service.db.pool import transaction
from service.ingestion.batch import ingest_paths
from service.runtime import Runtime
from service.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = (
        os.environ.get("DEMARCHE_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    problem = None
    if not found:
        problem = "no Chromium on this machine (install Debian's 'chromium' package)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if os.environ.get("DEMARCHE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {problem}")
        pytest.skip(problem)
    assert found
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def live(app: Flask, runtime: Runtime) -> Iterator[str]:
    """The app served over real HTTP on 127.0.0.1, with the seeds scored and two users."""
    ingest_paths(runtime, [str(PROJECT_ROOT / "seeds")], principal="test")
    pipeline.rescore(runtime.pool, runtime.settings)
    accounts.create_user(
        runtime.pool, username="ada", password=PASSWORD, role="admin", principal="test"
    )
    accounts.create_user(
        runtime.pool, username="ann", password=PASSWORD, role="analyst", principal="test"
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


def log_in(page: Any, base: str, username: str = "ada") -> None:
    page.goto(base + "/admin/")
    assert "/admin/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_log_in_and_open_the_matrix(page: Any, live: str) -> None:
    log_in(page, live)
    assert page.locator("h1").inner_text() == "Stance matrix"
    cell = page.locator("td[data-actor=france][data-topic=negotiated-settlement]")
    assert cell.get_attribute("data-label") == "supports"
    assert page.locator("td.cell").count() == 24
    assert page.locator("td.cell svg.spark").count() == 24
    shots = os.environ.get("DEMARCHE_SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 720})
        page.screenshot(path=str(Path(shots) / "matrix.png"), full_page=True)
    page.fill("input[name=as_of]", "2022-12-31")
    page.click("form.inline button[type=submit]")
    russia = page.locator("td[data-actor=russia][data-topic=negotiated-settlement]")
    assert russia.get_attribute("data-label") == "no-signal"


def test_open_a_stance_and_reject_evidence(page: Any, live: str, runtime: Runtime) -> None:
    log_in(page, live)
    page.click("td[data-actor=russia][data-topic=negotiated-settlement] a")
    assert page.locator("#current .big").inner_text() == "opposes"
    evidence = page.locator("article.evidence")
    assert evidence.count() >= 1
    assert evidence.first.locator("mark").inner_text()  # the quote, highlighted
    versions_before = page.locator("#versions tbody tr").count()
    for _ in range(evidence.count()):
        item = page.locator("article.evidence:not(.rejected)").first
        item.locator("summary").click()
        item.locator(".reject-form input[name=reason]").fill("paraphrase, not a quote")
        item.locator(".reject-form button").click()
        page.wait_for_load_state()
    assert page.locator("article.evidence.rejected").count() == evidence.count()
    pipeline.rescore(runtime.pool, runtime.settings)
    page.reload()
    assert page.locator("#current .big").inner_text() == "no-signal"
    assert page.locator("#versions tbody tr").count() == versions_before + 1


def test_pin_survives_rescore_and_reextraction(page: Any, live: str, runtime: Runtime) -> None:
    log_in(page, live)
    page.goto(live + "/admin/stances/china/negotiated-settlement")
    page.select_option("#pin-form select[name=label]", "mixed")
    page.fill("#pin-form input[name=score]", "0.1")
    page.fill("#pin-form input[name=note]", "Beijing's position is ambiguous")
    page.click("#pin-form button")
    assert page.locator("#current .big").inner_text() == "mixed"
    with transaction(runtime.pool) as conn:
        conn.execute("UPDATE documents SET lexicon_version = 'older'")
    pipeline.reextract_outdated(runtime.pool, runtime.lexicon)
    pipeline.rescore(runtime.pool, runtime.settings, full=True)
    page.reload()
    assert page.locator("#current .big").inner_text() == "mixed"
    assert page.locator("#machine .big").inner_text() == "supports"
    page.goto(live + "/admin/review")
    assert "china · negotiated-settlement" in page.locator("#pins").inner_text()


def test_analyst_cannot_create_users(page: Any, live: str) -> None:
    log_in(page, live, "ann")
    assert page.locator("header nav").inner_text().count("Users") == 0
    response = page.goto(live + "/admin/users")
    assert response.status == 403


def test_form_post_without_csrf_token_is_refused(page: Any, live: str) -> None:
    log_in(page, live)
    page.goto(live + "/admin/stances/china/negotiated-settlement")
    page.evaluate("document.querySelector('#pin-form input[name=csrf_token]').remove()")
    page.fill("#pin-form input[name=note]", "no token")
    page.click("#pin-form button")
    assert "CSRF" in page.locator("p.error").inner_text()
    page.goto(live + "/admin/stances/china/negotiated-settlement")
    assert page.locator("#current .big").inner_text() == "supports"


def test_script_in_article_renders_as_text(page: Any, live: str, runtime: Runtime) -> None:
    from datetime import UTC, datetime

    from service.ingestion.schema import NewDocument

    doc = pipeline.ingest_document(
        runtime.pool,
        runtime.lexicon,
        NewDocument(
            title="<script>alert(2)</script>",
            text="Dmytro Kuleba said <script>alert(1)</script> Kyiv wants peace talks.",
            published_at=datetime(2023, 1, 5, tzinfo=UTC),
        ),
        principal="test",
        max_text_chars=10_000,
    ).document
    log_in(page, live)
    page.goto(f"{live}/admin/documents/{doc.id}")
    assert "<script>alert(1)</script>" in page.locator("#doctext").inner_text()
    assert page.locator("#doctext script").count() == 0
    assert page.locator("h1").inner_text() == "<script>alert(2)</script>"
    assert page.dialogs == []
