"""Pages for people: the shared layout, styles and rendering of every server-rendered page.

Pages are rendered on the server (Jinja2, autoescaped) from packaged templates and assets: no
CDN, no build step, and no inline script (a strict Content-Security-Policy forbids it; any
script is a small vendored file under ``static/``). The layout follows the conventions of the
French state design system where they help (skip link, header with the service name, visible
focus, contrast, labels for every field), without its assets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

_HERE = Path(__file__).parent
STATIC_PATH = "/static"
"""Where the packaged assets are served (public: styles and vendored scripts only)."""

templates = Jinja2Templates(directory=_HERE / "templates")
static_files = StaticFiles(directory=_HERE / "static")

SECURITY_HEADERS = {
    # Scripts only from the sandbox itself, never inline; no framing; no referrer leaving.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def page(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page rendered with the shared layout and security headers."""
    response = templates.TemplateResponse(
        request, template, {"static": STATIC_PATH, **context}, status_code=status_code
    )
    response.headers.update(SECURITY_HEADERS)
    return response


UNTRUSTED_HTML_HEADERS = {
    # A page someone else wrote (a published procès-verbal): shown, never trusted. ``sandbox``
    # gives it an opaque origin (no cookie, no script, no form, no top navigation); nothing
    # may be fetched but its inline styles and data: images, which is all the PV uses.
    "Content-Security-Policy": (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def untrusted_html(text: str) -> HTMLResponse:
    """Stored HTML of untrusted origin, under the sandboxing headers."""
    return HTMLResponse(text, headers=UNTRUSTED_HTML_HEADERS)
