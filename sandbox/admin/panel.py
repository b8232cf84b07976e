"""The control panel for recette teams (``/_sandbox/ui``): pages over the control plane.

Who is calling, which faults are active, what failed — without curl. Every page needs an
admin session: the admin token typed once on the sign-in page gives a cookie sealed with the
instance secret (HttpOnly, SameSite=Strict, eight hours). Every form carries the session's
CSRF token. The pages call the same functions as the control-plane routes (``router.py``), so
there is one implementation of each action. They are pages, not API: out of the exported
contract (``include_in_schema=False``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from sandbox.admin.router import (
    ClockCommand,
    OutageRequest,
    assign_profile,
    clock_state,
    move_clock,
    plan_outage,
    reset_client,
)
from sandbox.apis.deps import RuntimeDep
from sandbox.auth.clients import Client
from sandbox.auth.scopes import Api
from sandbox.campaigns import MAX_REPORTS_PER_CLIENT
from sandbox.errors import BackendError
from sandbox.recording import Exchange
from sandbox.runtime import Runtime
from sandbox.sealing import SealError
from sandbox.web import SECURITY_HEADERS, page, untrusted_html

PREFIX = "/_sandbox/ui"
SIGN_IN = f"{PREFIX}/connexion"
COOKIE = "ft_sandbox_panel"
SESSION_SECONDS = 8 * 3600
"""How long a panel session lasts (wall time: the virtual clock is one of the things it moves)."""
JOURNAL_ROWS = 50
"""Exchanges the journal page shows at first; polling then appends the new ones."""
JOURNAL_PAGE = 100
"""Exchanges one poll of the JSON journal returns at most."""
_MAX_FORM = 16 * 1024
_NO_CLIENT = "Client inconnu"

router = APIRouter(prefix=PREFIX, include_in_schema=False)

_DONE = {
    "profil": "Profil de pannes modifié.",
    "remise": "Client remis à zéro.",
    "horloge": "Horloge modifiée.",
    "indispo": "Indisponibilité programmée.",
    "indispo-suppr": "Indisponibilités supprimées.",
}
"""Confirmation messages after a redirect (a fixed code in the URL, never reflected text)."""


class SignInNeeded(Exception):
    """No valid admin session: the browser goes to the sign-in page."""


class PanelError(Exception):
    """A refusal shown as a page of the panel (unknown client, stale form)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Session:
    """What the sealed cookie holds: signed in or not, the CSRF token, the expiry (epoch s)."""

    admin: bool
    csrf: str
    expires: int


def _token_tag(runtime: Runtime) -> str:
    # A session names the admin token it was opened with: a new token closes every session.
    return hmac.new(runtime.admin_token.encode(), b"panel-session", "sha256").hexdigest()[:16]


def _open_session(runtime: Runtime, request: Request) -> Session | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        blob = base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
        data = json.loads(runtime.panel_sessions.open(blob))
        session = Session(admin=bool(data["a"]), csrf=str(data["c"]), expires=int(data["e"]))
        current = hmac.compare_digest(str(data["t"]), _token_tag(runtime))
    except (SealError, ValueError, KeyError, TypeError, UnicodeEncodeError, binascii.Error):
        return None
    return session if current and session.expires > time.time() else None


def _new_session(admin: bool) -> Session:
    return Session(
        admin=admin, csrf=secrets.token_urlsafe(24), expires=int(time.time()) + SESSION_SECONDS
    )


def _keep_session(runtime: Runtime, request: Request, response: Response, session: Session) -> None:
    payload = json.dumps(
        {"a": session.admin, "c": session.csrf, "e": session.expires, "t": _token_tag(runtime)}
    )
    sealed = runtime.panel_sessions.seal(payload.encode())
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("="),
        max_age=SESSION_SECONDS,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def _signed_in(runtime: Runtime, request: Request) -> Session:
    session = _open_session(runtime, request)
    if session is None or not session.admin:
        raise SignInNeeded
    return session


async def _form(request: Request, session: Session) -> dict[str, list[str]]:
    """The posted fields, after the CSRF check (a form of another page or site is refused)."""
    body = await request.body()
    if len(body) > _MAX_FORM:
        raise PanelError(413, "Formulaire trop volumineux.")
    fields: dict[str, list[str]] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(name, []).append(value)
    token = (fields.get("csrf") or [""])[0]
    if not hmac.compare_digest(token.encode(), session.csrf.encode()):
        raise PanelError(403, "Formulaire expiré ou d'une autre origine : rechargez la page.")
    return fields


def _one(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0].strip()


def _client(runtime: Runtime, client_id: str) -> Client:
    client = runtime.clients.get(client_id)
    if client is None:
        raise PanelError(404, _NO_CLIENT)
    return client


def _render(
    request: Request,
    template: str,
    session: Session,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    done = _DONE.get(request.query_params.get("fait", ""))
    return page(
        request,
        f"panel/{template}",
        {"service": "Panneau de contrôle", "csrf": session.csrf, "done": done, **context},
        status_code,
    )


def _back(path: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}{path}?fait={done}", status_code=303)


def _refusal(exc: BackendError | ValidationError) -> str:
    if isinstance(exc, BackendError):
        return f"{exc.message} ({exc.code})"
    return " ; ".join(
        str(error["msg"]).removeprefix("Value error, ") for error in exc.errors(include_url=False)
    )


# Sign-in ------------------------------------------------------------------------------------


@router.get("/connexion")
async def sign_in_page(request: Request, runtime: RuntimeDep) -> Response:
    """The sign-in form (a fresh anonymous session carries its CSRF token)."""
    session = _open_session(runtime, request) or _new_session(admin=False)
    response = _render(request, "connexion.html", session, {"title": "Connexion", "bare": True})
    _keep_session(runtime, request, response, session)
    return response


@router.post("/connexion")
async def sign_in(request: Request, runtime: RuntimeDep) -> Response:
    """The admin token opens a session; a wrong one is refused (401) with the form again."""
    session = _open_session(runtime, request)
    if session is None:
        raise PanelError(403, "Formulaire expiré : rechargez la page de connexion.")
    fields = await _form(request, session)
    token = _one(fields, "jeton")
    if not hmac.compare_digest(token.encode(), runtime.admin_token.encode()):
        context = {"title": "Connexion", "bare": True, "error": "Jeton d'administration incorrect."}
        return _render(request, "connexion.html", session, context, 401)
    response = RedirectResponse(PREFIX, status_code=303)
    # A new CSRF token once signed in: the anonymous one never opens anything.
    _keep_session(runtime, request, response, _new_session(admin=True))
    return response


@router.post("/deconnexion")
async def sign_out(request: Request, runtime: RuntimeDep) -> Response:
    """End the session."""
    await _form(request, _signed_in(runtime, request))
    response = RedirectResponse(SIGN_IN, status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


# Clients -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a counters chart (SVG coordinates computed here, not in the template)."""

    label: str
    value: int
    y: int
    width: int


BAR_HEIGHT = 18
CHART_WIDTH = 220


def bars(counts: dict[str, Any]) -> list[Bar]:
    """Calls, then faults by type (largest first), scaled to the largest count."""
    values = [("appels", int(counts.get("calls", 0)))]
    faults = counts.get("faults", {}) or {}
    values += sorted(((str(k), int(v)) for k, v in faults.items()), key=lambda kv: -kv[1])
    largest = max((v for _, v in values), default=0) or 1
    return [
        Bar(label, value, y=i * (BAR_HEIGHT + 4), width=round(CHART_WIDTH * value / largest))
        for i, (label, value) in enumerate(values)
    ]


@router.get("")
async def clients_page(request: Request, runtime: RuntimeDep) -> Response:
    """Each client: its fault profile (to change), its counters, links, reset."""
    session = _signed_in(runtime, request)
    counters = runtime.journal.counters()
    assigned = runtime.faults.assignments()
    rows = [
        {
            "client": client,
            "profile": assigned.get(client.client_id),
            "bars": bars(counters.get(client.client_id, {})),
        }
        for client in runtime.clients
    ]
    profiles = sorted(runtime.faults.profiles.values(), key=lambda p: p.name)
    context = {
        "title": "Clients",
        "rows": rows,
        "profiles": profiles,
        "default": runtime.faults.default.name,
        "bar_height": BAR_HEIGHT,
        "chart_width": CHART_WIDTH,
    }
    return _render(request, "clients.html", session, context)


ClientPath = Annotated[str, Path(max_length=100)]


@router.post("/clients/{client_id}/profil")
async def change_profile(request: Request, runtime: RuntimeDep, client_id: ClientPath) -> Response:
    """Give the client a profile (empty: the instance's default)."""
    fields = await _form(request, _signed_in(runtime, request))
    _client(runtime, client_id)
    try:
        assign_profile(runtime, client_id, _one(fields, "profil") or None)
    except BackendError as exc:
        raise PanelError(400, _refusal(exc)) from None
    return _back("", "profil")


@router.get("/clients/{client_id}/remise-a-zero")
async def reset_page(request: Request, runtime: RuntimeDep, client_id: ClientPath) -> Response:
    """Ask before wiping a client's state."""
    session = _signed_in(runtime, request)
    client = _client(runtime, client_id)
    context = {"title": f"Remettre à zéro {client.client_id}", "client": client}
    return _render(request, "remise.html", session, context)


@router.post("/clients/{client_id}/remise-a-zero")
async def reset(request: Request, runtime: RuntimeDep, client_id: ClientPath) -> Response:
    """Wipe the client's writes, journal and fault stream (as POST /_sandbox/reset)."""
    await _form(request, _signed_in(runtime, request))
    _client(runtime, client_id)
    reset_client(runtime, client_id)
    return _back("", "remise")


# Clock and outages ---------------------------------------------------------------------------


def _clock_page(
    request: Request, runtime: Runtime, session: Session, error: str | None = None
) -> Response:
    outages = [
        {
            "id": rule.id,
            "client": client or "tous",
            "start": rule.windows[0].start,
            "end": rule.windows[0].end,
            "apis": ", ".join(rule.match.apis) or "toutes",
        }
        for client, rule in runtime.faults.outages()
    ]
    context = {
        "title": "Horloge et indisponibilités",
        "clock": clock_state(runtime),
        "outages": outages,
        "clients": list(runtime.clients),
        "apis": [*Api, "token"],
        "error": error,
    }
    return _render(request, "horloge.html", session, context, 400 if error else 200)


@router.get("/horloge")
async def clock_page(request: Request, runtime: RuntimeDep) -> Response:
    """Virtual now, frozen or not, scheduled jumps; outages; the forms that move them."""
    return _clock_page(request, runtime, _signed_in(runtime, request))


@router.post("/horloge")
async def clock_command(request: Request, runtime: RuntimeDep) -> Response:
    """freeze, unfreeze, advance (seconds), set (instant), reset — as POST /_sandbox/clock."""
    session = _signed_in(runtime, request)
    fields = await _form(request, session)
    command: dict[str, Any] = {"action": _one(fields, "action")}
    try:
        if seconds := _one(fields, "secondes"):
            command["seconds"] = float(seconds.replace(",", "."))
        if instant := _one(fields, "instant"):
            command["instant"] = instant
        move_clock(runtime, ClockCommand.model_validate(command))
    except ValueError as exc:
        return _clock_page(request, runtime, session, _float_or_validation(exc))
    except BackendError as exc:
        return _clock_page(request, runtime, session, _refusal(exc))
    return _back("/horloge", "horloge")


def _float_or_validation(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        return _refusal(exc)
    return "Le nombre de secondes doit être un nombre (ex. 3600 ou -60)."


@router.post("/indisponibilites")
async def schedule_outage(request: Request, runtime: RuntimeDep) -> Response:
    """Schedule an outage window (as POST /_sandbox/outages)."""
    session = _signed_in(runtime, request)
    fields = await _form(request, session)
    try:
        body = OutageRequest.model_validate(
            {
                "start": _one(fields, "debut"),
                "end": _one(fields, "fin"),
                "client_id": _one(fields, "client") or None,
                "apis": fields.get("api", []),
            }
        )
        plan_outage(runtime, body)
    except ValidationError as exc:
        return _clock_page(request, runtime, session, _refusal(exc))
    except BackendError as exc:
        return _clock_page(request, runtime, session, _refusal(exc))
    return _back("/horloge", "indispo")


@router.post("/indisponibilites/suppression")
async def clear_outages(request: Request, runtime: RuntimeDep) -> Response:
    """Remove every scheduled outage (as DELETE /_sandbox/outages)."""
    await _form(request, _signed_in(runtime, request))
    runtime.faults.clear_outages()
    return _back("/horloge", "indispo-suppr")


# Journal -----------------------------------------------------------------------------------


def journal_row(exchange: Exchange) -> dict[str, Any]:
    """One exchange as the page shows it (the journal's masked view; route templates)."""
    at = dt.datetime.fromtimestamp(exchange.at, dt.UTC)
    fault = exchange.fault_type or ""
    if exchange.fault_rule:
        fault = f"{fault} ({exchange.fault_rule})" if fault else exchange.fault_rule
    return {
        "index": exchange.index,
        "time": at.strftime("%Y-%m-%d %H:%M:%S"),
        "method": exchange.method,
        "route": exchange.route or exchange.path,
        "status": "" if exchange.status is None else str(exchange.status),
        "fault": fault,
        "duration": f"{exchange.duration_ms:.0f} ms",
        "agent": " ".join(f"{k}={v}" for k, v in sorted(exchange.agent_headers.items())),
    }


@router.get("/journal/{client_id}.json")
async def journal_json(
    request: Request,
    runtime: RuntimeDep,
    client_id: ClientPath,
    since: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """The rows after ``since`` (at most 100; ``last`` pages on), for the page's polling.

    ``generation`` names the journal the rows belong to: a reset of the client starts a new
    one (its numbers start again from 1), and the page, seeing it change, clears its table
    and polls again from 0.
    """
    session = _open_session(runtime, request)
    if session is None or not session.admin:
        return JSONResponse({"detail": "Session requise"}, status_code=401)
    if runtime.clients.get(client_id) is None:
        return JSONResponse({"detail": _NO_CLIENT}, status_code=404)
    generation, exchanges = runtime.journal.page(client_id, JOURNAL_PAGE, since)
    rows = [journal_row(e) for e in exchanges]
    last = rows[-1]["index"] if rows else since
    answer = {"generation": generation, "rows": rows, "last": last}
    return JSONResponse(answer, headers=SECURITY_HEADERS)


@router.get("/journal/{client_id}")
async def journal_page(request: Request, runtime: RuntimeDep, client_id: ClientPath) -> Response:
    """The client's last exchanges; ``static/panel.js`` appends the new ones every second."""
    session = _signed_in(runtime, request)
    client = _client(runtime, client_id)
    generation, exchanges = runtime.journal.page(client_id, JOURNAL_ROWS)
    rows = [journal_row(e) for e in exchanges]
    context = {
        "title": f"Journal de {client.client_id}",
        "client": client,
        "rows": rows,
        "last": rows[-1]["index"] if rows else 0,
        "generation": generation,
        "enabled": runtime.journal.enabled,
    }
    return _render(request, "journal.html", session, context)


# File drop ---------------------------------------------------------------------------------


@router.get("/depot/{client_id}")
async def drop_page(request: Request, runtime: RuntimeDep, client_id: ClientPath) -> Response:
    """The client's uploads still kept: name, kind, status, counts, expiry."""
    session = _signed_in(runtime, request)
    client = _client(runtime, client_id)
    context = {
        "title": f"Dépôts de {client.client_id}",
        "client": client,
        "uploads": runtime.drop.uploads(client_id),
    }
    return _render(request, "depot.html", session, context)


@router.get("/depot/{client_id}/{upload_id}")
async def report_page(
    request: Request,
    runtime: RuntimeDep,
    client_id: ClientPath,
    upload_id: Annotated[str, Path(max_length=100)],
) -> Response:
    """One upload's stored report as a table (its values are masked by the checker)."""
    session = _signed_in(runtime, request)
    client = _client(runtime, client_id)
    try:
        upload = runtime.drop.upload(client_id, upload_id)
        report = runtime.drop.report(client_id, upload_id)
    except BackendError:
        raise PanelError(
            404, "Dépôt introuvable (supprimé, expiré ou d'un autre client)."
        ) from None
    context = {
        "title": f"Rapport du dépôt {upload.name}",
        "client": client,
        "upload": upload,
        "report": report,
    }
    return _render(request, "rapport.html", session, context)


# Client-conformance reports ------------------------------------------------------------------


@router.get("/conformite/{client_id}")
async def campaigns_page(request: Request, runtime: RuntimeDep, client_id: ClientPath) -> Response:
    """The client's latest published campaigns (``ft-conformance client``), newest first."""
    session = _signed_in(runtime, request)
    client = _client(runtime, client_id)
    context = {
        "title": f"Rapports de conformité de {client.client_id}",
        "client": client,
        "reports": runtime.reports.of_client(client_id),
        "kept": MAX_REPORTS_PER_CLIENT,
    }
    return _render(request, "conformite.html", session, context)


@router.get("/conformite/{client_id}/{report_id}")
async def campaign_html(
    request: Request,
    runtime: RuntimeDep,
    client_id: ClientPath,
    report_id: Annotated[str, Path(max_length=20)],
) -> Response:
    """A published procès-verbal as sent, sandboxed (no script, nothing fetched)."""
    _signed_in(runtime, request)
    _client(runtime, client_id)
    try:
        stored = runtime.reports.get(client_id, report_id)
    except BackendError:
        raise PanelError(
            404, "Rapport introuvable (remplacé par de plus récents, ou client remis à zéro)."
        ) from None
    return untrusted_html(stored.html or "")


# Wiring ------------------------------------------------------------------------------------


def install_panel(app: FastAPI) -> None:
    """Add the panel's routes and the handlers of its sign-in redirect and refusal pages."""

    async def on_sign_in_needed(request: Request, exc: Exception) -> Response:
        return RedirectResponse(SIGN_IN, status_code=303)

    async def on_panel_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PanelError)
        runtime: Runtime = request.app.state.runtime
        session = _open_session(runtime, request) or _new_session(admin=False)
        context = {"title": "Action refusée", "message": exc.message, "bare": not session.admin}
        return _render(request, "erreur.html", session, context, exc.status)

    app.include_router(router)
    app.add_exception_handler(SignInNeeded, on_sign_in_needed)
    app.add_exception_handler(PanelError, on_panel_error)
