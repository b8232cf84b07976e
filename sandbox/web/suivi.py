"""Pages of the « Suivi de parcours » tool (Annexe 3), for habilitated département professionals.

Thin HTTP layer over ``sandbox.suivi`` (accounts, sessions, search, edits, audit) and the same
services the APIs use (population, ingested people, diagnostics, rendez-vous, parcours): a
diagnostic ticked here is what Diagnostic argumenté v4 and v1 of the account's OAuth client read.

Rules the pages enforce: sign-in for an active habilitation only (virtual clock), the second
factor as ``FT_SANDBOX_SUIVI_MFA`` says, a signed HttpOnly SameSite=Strict session cookie, an
anti-forgery token on every POST form, people of the account's département only, a file opened
for an RSA beneficiary only, the NIR shown as its first 7 characters, opaque references in URLs
(never a NIR; searches are POSTed), checkboxes as the only edit control, and every view and edit
in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sandbox.admin.suivi_parcours import DemarcheVue, EntretienVue, SuiviIntensiteVue
from sandbox.auth.clients import Client
from sandbox.careers.baseline import baseline as careers_baseline
from sandbox.diagnostics.models import Agent
from sandbox.diagnostics.referentiel import referentiel
from sandbox.diagnostics.service import DiagnosticService
from sandbox.parcours import demarches_of, entretiens_of, suivi_intensite_of
from sandbox.population.models import Person
from sandbox.privacy import mask_nir
from sandbox.rendezvous.service import RendezVousService
from sandbox.runtime import Runtime
from sandbox.suivi import LOCK_DURATION, MAX_ATTEMPTS, Account, AccountState, SignInStep
from sandbox.suivi.accounts import NOT_HABILITATED, REFUSALS
from sandbox.suivi.edits import (
    UnknownCodeError,
    besoins_ticked,
    contraintes_ticked,
    current_diagnostic,
    diagnostic_edit,
    profil_edit,
)
from sandbox.suivi.search import Criteria, CriteriaError, search
from sandbox.suivi.sessions import Session, Stage
from sandbox.web import page

PREFIX = "/suivi-de-parcours"
SERVICE = "Suivi de parcours"
SESSION_COOKIE = "suivi_session"
FORM_COOKIE = "suivi_formulaire"
NOT_RSA = "Dossier non consultable : la personne n'est pas allocataire du RSA"
SECTIONS = {
    "essentiel": "L'essentiel",
    "informations": "Informations personnelles et situation",
    "profil": "Profil de compétences et CV",
    "diagnostic": "Diagnostic et actions",
    "echanges": "Échanges et contacts",
    "demarches": "Démarches",
    "rendez-vous": "Rendez-vous",
}

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The professional behind a page."""

    account: Account
    session: Session
    client: Client


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
    signed: SignedIn | None = None,
) -> HTMLResponse:
    csrf = _runtime(request).accounts.sessions.csrf_token(signed.session.nonce) if signed else ""
    return page(
        request,
        f"suivi/{template}",
        {"service": SERVICE, "prefix": PREFIX, "signed": signed, "csrf": csrf, **context},
        status_code=status_code,
    )


def _set_cookie(response: Response, name: str, value: str) -> None:
    # Local sandbox over plain HTTP: no Secure flag (a browser would drop the cookie).
    response.set_cookie(name, value, httponly=True, samesite="strict", path=PREFIX)


def _redirect(location: str) -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}{location}", status_code=303)


def _signed_in(request: Request) -> SignedIn | None:
    """The signed-in professional, if the session is valid and the account still active."""
    runtime = _runtime(request)
    session = runtime.accounts.sessions.open(request.cookies.get(SESSION_COOKIE))
    if session is None or session.stage is not Stage.SIGNED_IN:
        return None
    account = runtime.accounts.get(session.courriel)
    if account is None or account.state(runtime.accounts.today()) is not AccountState.ACTIVE:
        return None
    client = runtime.clients.get(account.client_id)
    return SignedIn(account, session, client) if client is not None else None


async def _form(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: [str(v) for v in form.getlist(key)] for key in form}


def _first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0]


def _expired_form(request: Request, signed: SignedIn | None = None) -> HTMLResponse:
    return _render(
        request,
        "message.html",
        {
            "title": "Formulaire expiré",
            "message": "Le formulaire a expiré ou ne vient pas de cette page : rechargez-la.",
        },
        400,
        signed,
    )


# Sign-in ------------------------------------------------------------------------------------


def _sign_in_page(request: Request, error: str | None, status_code: int) -> HTMLResponse:
    sessions = _runtime(request).accounts.sessions
    nonce = sessions.new_nonce()
    response = _render(
        request,
        "connexion.html",
        {"title": "Connexion", "error": error, "form_csrf": sessions.csrf_token(nonce)},
        status_code,
    )
    _set_cookie(response, FORM_COOKIE, nonce)
    return response


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """The tool's entry: the search when signed in, else the sign-in."""
    return _redirect("/recherche" if _signed_in(request) else "/connexion")


@router.get("/connexion", response_class=HTMLResponse)
async def sign_in_form(request: Request) -> Response:
    """The sign-in form (courriel, mot de passe)."""
    return _sign_in_page(request, None, 200)


@router.post("/connexion", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    """Check the habilitation and the password; then the second factor, or the search."""
    runtime = _runtime(request)
    accounts = runtime.accounts
    form = await _form(request)
    if not accounts.sessions.csrf_valid(request.cookies.get(FORM_COOKIE), _first(form, "csrf")):
        return _expired_form(request)
    courriel, password = _first(form, "courriel").strip(), _first(form, "mot_de_passe")
    account = accounts.get(courriel) if courriel else None
    if account is not None and (locked := _still_locked(runtime, account, SignInStep.PASSWORD)):
        return _sign_in_page(request, locked, 429)
    if account is None or not accounts.password_matches(account.courriel, password):
        if account is not None and (locked := _wrong(runtime, account, SignInStep.PASSWORD)):
            return _sign_in_page(request, locked, 429)
        return _sign_in_page(request, NOT_HABILITATED, 401)
    runtime.attempts.succeeded(account.courriel, SignInStep.PASSWORD)
    state = account.state(accounts.today())
    if state is not AccountState.ACTIVE:
        return _sign_in_page(request, REFUSALS[state], 403)
    if runtime.settings.suivi_mfa == "off":
        response = _redirect("/recherche")
        _set_cookie(
            response, SESSION_COOKIE, accounts.sessions.issue(account.courriel, Stage.SIGNED_IN)
        )
    else:
        response = _redirect("/connexion/code")
        _set_cookie(
            response, SESSION_COOKIE, accounts.sessions.issue(account.courriel, Stage.PASSWORD)
        )
    response.delete_cookie(FORM_COOKIE, path=PREFIX)
    return response


_LOCKED = {
    SignInStep.PASSWORD: "Trop de mots de passe incorrects à la suite : la connexion de ce compte "
    "est bloquée",
    SignInStep.CODE: "Trop de codes incorrects à la suite : la vérification par code de ce compte "
    "est bloquée",
}
_STEP_NAMES = {SignInStep.PASSWORD: "mots de passe", SignInStep.CODE: "codes"}


def _lock_message(step: SignInStep, until: dt.datetime) -> str:
    at = until.astimezone(dt.UTC)
    return (
        f"{_LOCKED[step]} pendant {LOCK_DURATION.seconds // 60} minutes, jusqu'au "
        f"{at:%d/%m/%Y} à {at:%H:%M} (UTC). Réessayez après cette heure."
    )


def _still_locked(runtime: Runtime, account: Account, step: SignInStep) -> str | None:
    """The lock message if the account's step is locked now (even a right answer waits)."""
    until = runtime.attempts.locked_until(account.courriel, step)
    return _lock_message(step, until) if until is not None else None


def _wrong(runtime: Runtime, account: Account, step: SignInStep) -> str | None:
    """Count a wrong password or code; the lock message if it locked the step (audited)."""
    until = runtime.attempts.failed(account.courriel, step)
    if until is None:
        return None
    runtime.audit.record(
        account.courriel,
        account.client_id,
        "",
        "verrouillage",
        f"Connexion : {MAX_ATTEMPTS} {_STEP_NAMES[step]} incorrects à la suite, étape "
        f"« {step.value} » bloquée jusqu'au {until.isoformat()}",
    )
    return _lock_message(step, until)


def _half_signed(request: Request) -> Session | None:
    session = _runtime(request).accounts.sessions.open(request.cookies.get(SESSION_COOKIE))
    return session if session is not None and session.stage is Stage.PASSWORD else None


def _code_page(request: Request, session: Session, error: str | None, status: int) -> HTMLResponse:
    runtime = _runtime(request)
    return _render(
        request,
        "code.html",
        {
            "title": "Code de vérification",
            "error": error,
            "form_csrf": runtime.accounts.sessions.csrf_token(session.nonce),
            "optional": runtime.settings.suivi_mfa == "optional",
        },
        status,
    )


@router.get("/connexion/code", response_class=HTMLResponse)
async def code_form(request: Request) -> Response:
    """The second factor: the 6-digit code of the authenticator application."""
    session = _half_signed(request)
    if session is None:
        return _redirect("/connexion")
    return _code_page(request, session, None, 200)


@router.post("/connexion/code", response_class=HTMLResponse)
async def code(request: Request) -> Response:
    """Check the TOTP code (RFC 6238, virtual clock); a wrong code is refused."""
    runtime = _runtime(request)
    accounts = runtime.accounts
    session = _half_signed(request)
    if session is None:
        return _redirect("/connexion")
    form = await _form(request)
    if not accounts.sessions.csrf_valid(session.nonce, _first(form, "csrf")):
        return _expired_form(request)
    account = accounts.get(session.courriel)
    if account is None or account.state(accounts.today()) is not AccountState.ACTIVE:
        return _redirect("/connexion")
    if locked := _still_locked(runtime, account, SignInStep.CODE):
        return _code_page(request, session, locked, 429)
    skipped = _first(form, "sans_code") == "1" and runtime.settings.suivi_mfa == "optional"
    if not skipped:
        if not accounts.code_matches(account.courriel, _first(form, "code")):
            if locked := _wrong(runtime, account, SignInStep.CODE):
                return _code_page(request, session, locked, 429)
            return _code_page(request, session, "Code incorrect : connexion refusée.", 401)
        runtime.attempts.succeeded(account.courriel, SignInStep.CODE)
    response = _redirect("/recherche")
    _set_cookie(
        response, SESSION_COOKIE, accounts.sessions.issue(account.courriel, Stage.SIGNED_IN)
    )
    return response


@router.post("/deconnexion", response_class=HTMLResponse)
async def sign_out(request: Request) -> Response:
    """End the session."""
    signed = _signed_in(request)
    form = await _form(request)
    if signed is not None and not _runtime(request).accounts.sessions.csrf_valid(
        signed.session.nonce, _first(form, "csrf")
    ):
        return _expired_form(request, signed)
    response = _redirect("/connexion")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


# Search -------------------------------------------------------------------------------------


def _row(runtime: Runtime, signed: SignedIn, person: Person) -> dict[str, Any]:
    return {
        "nom": person.last_name,
        "prenom": person.first_name,
        "naissance": person.birth_date,
        "nir": mask_nir(person.nir),
        "rsa": person.rsa.beneficiary,
        "ref": runtime.accounts.sessions.reference(signed.client.client_id, person.key),
    }


@router.get("/recherche", response_class=HTMLResponse)
async def search_form(request: Request) -> Response:
    """« Page d'accueil pour la recherche »."""
    signed = _signed_in(request)
    if signed is None:
        return _redirect("/connexion")
    return _render(
        request,
        "recherche.html",
        {"title": "Recherche", "criteria": Criteria(), "results": None, "error": None},
        signed=signed,
    )


@router.post("/recherche", response_class=HTMLResponse)
async def search_people(request: Request) -> Response:
    """The people of the account's département matching the criteria (POST: no NIR in a URL)."""
    runtime = _runtime(request)
    signed = _signed_in(request)
    if signed is None:
        return _redirect("/connexion")
    form = await _form(request)
    if not runtime.accounts.sessions.csrf_valid(signed.session.nonce, _first(form, "csrf")):
        return _expired_form(request, signed)
    criteria = Criteria(
        **{
            name: _first(form, name)[:40].strip()
            for name in ("nom", "prenom", "identifiant", "nir")
        }
    )
    error, results = None, None
    try:
        found = search(
            runtime.population,
            runtime.ingested,
            signed.client.client_id,
            criteria,
        )
        results = [_row(runtime, signed, p) for p in found]
    except CriteriaError as exc:
        error = str(exc)
    # The NIR typed is not shown back in full: the form comes back without it.
    shown = Criteria(criteria.nom, criteria.prenom, criteria.identifiant, "")
    return _render(
        request,
        "recherche.html",
        {"title": "Recherche", "criteria": shown, "results": results, "error": error},
        400 if error else 200,
        signed,
    )


def _no_such_page(request: Request, signed: SignedIn) -> HTMLResponse:
    """The 404 page of a section or form that does not exist."""
    return _render(
        request,
        "message.html",
        {"title": "Page introuvable", "message": "Cette page n'existe pas."},
        404,
        signed,
    )


# A person's file ----------------------------------------------------------------------------


def _person(request: Request, signed: SignedIn, ref: str) -> Person | None:
    runtime = _runtime(request)
    key = runtime.accounts.sessions.person_key(signed.client.client_id, ref)
    if key is None:
        return None
    return runtime.population.get(key) or runtime.ingested.get(key, signed.client.client_id)


def _refusal(
    request: Request, signed: SignedIn, person: Person | None, what: str
) -> HTMLResponse | None:
    """The page refusing a person's file, or None when it opens (``person`` is then set)."""
    runtime = _runtime(request)
    if person is None:
        return _render(
            request,
            "message.html",
            {"title": "Dossier introuvable", "message": "Ce dossier n'existe pas ou plus."},
            404,
            signed,
        )
    # National access to RSA beneficiaries (Annexe 3 §1.2): the département does not matter here.
    if person.rsa.beneficiary:
        return None
    message = NOT_RSA
    runtime.audit.record(
        signed.account.courriel,
        signed.client.client_id,
        mask_nir(person.nir),
        "consultation",
        f"{what} : refusé ({message})",
    )
    return _render(
        request,
        "message.html",
        {"title": "Dossier non consultable", "message": message},
        403,
        signed,
    )


def _diagnostics(runtime: Runtime) -> DiagnosticService:
    population = runtime.population
    return DiagnosticService(runtime.store, population.seed, population.epoch, runtime.clock)


def _section_data(
    runtime: Runtime, signed: SignedIn, person: Person, section: str
) -> dict[str, Any]:
    seed, epoch = runtime.settings.seed, runtime.population.epoch
    client_id = signed.client.client_id
    if section in ("essentiel", "informations", "demarches", "echanges"):
        entretiens = entretiens_of(seed, person, epoch)
        demarches = demarches_of(seed, person, epoch)
        bni = runtime.references.identifiant(person.key)
        suivi = SuiviIntensiteVue.of(suivi_intensite_of(seed, person, bni, entretiens, demarches))
        return {
            "suivi": suivi,
            "entretiens": [EntretienVue.of(e) for e in entretiens],
            "demarches": [DemarcheVue.of(d) for d in demarches],
        }
    if section == "profil":
        dossier = _diagnostics(runtime).dossier(client_id, person)
        return {"careers": careers_baseline(seed, person), "pouvoir": dossier.pouvoir_agir}
    if section == "diagnostic":
        dossier = _diagnostics(runtime).dossier(client_id, person)
        return {
            "dossier": dossier,
            "referentiel": referentiel(),
            "diagnostic": current_diagnostic(dossier),
        }
    if section == "rendez-vous":
        service = RendezVousService(runtime.store, seed, runtime.clock)
        return {"rendezvous": service.appointments(client_id, person.key)}
    return {}


def _person_context(person: Person, ref: str) -> dict[str, Any]:
    return {
        "person": person,
        "nir": mask_nir(person.nir),
        "ref": ref,
        "sections": SECTIONS,
    }


@router.get("/usagers/{ref}", response_class=HTMLResponse)
@router.get("/usagers/{ref}/{section}", response_class=HTMLResponse)
async def person_page(request: Request, ref: str, section: str = "essentiel") -> Response:
    """One page of a person's file (RSA beneficiaries of the account's département only)."""
    runtime = _runtime(request)
    signed = _signed_in(request)
    if signed is None:
        return _redirect("/connexion")
    if section not in SECTIONS:
        return _no_such_page(request, signed)
    person = _person(request, signed, ref)
    refused = _refusal(request, signed, person, SECTIONS[section])
    if refused is not None:
        return refused
    assert person is not None  # _refusal refuses a missing person
    runtime.audit.record(
        signed.account.courriel,
        signed.client.client_id,
        mask_nir(person.nir),
        "consultation",
        SECTIONS[section],
    )
    context = {
        "title": f"{SECTIONS[section]} — {person.first_name} {person.last_name}",
        "section": section,
        **_person_context(person, ref),
        **_section_data(runtime, signed, person, section),
    }
    return _render(request, "dossier.html", context, signed=signed)


# Edits (checkboxes only) --------------------------------------------------------------------


def _agent(signed: SignedIn) -> Agent:
    account = signed.account
    return Agent(
        identifiant=account.courriel,
        nom=account.nom,
        prenom=account.prenom,
        structure=signed.client.nom,
    )


def _edit_page(
    request: Request,
    signed: SignedIn,
    person: Person,
    ref: str,
    which: str,
    saved: bool,
    status: int = 200,
) -> HTMLResponse:
    runtime = _runtime(request)
    dossier = _diagnostics(runtime).dossier(signed.client.client_id, person)
    title = "Modifier le diagnostic" if which == "diagnostic" else "Modifier le profil"
    context = {
        "title": f"{title} — {person.first_name} {person.last_name}",
        "which": which,
        "saved": saved,
        "referentiel": referentiel(),
        "diagnostic": current_diagnostic(dossier),
        "besoins": besoins_ticked(dossier),
        "contraintes": contraintes_ticked(dossier),
        "pouvoir": dossier.pouvoir_agir,
        **_person_context(person, ref),
    }
    return _render(request, "modifier.html", context, status, signed)


@router.get("/usagers/{ref}/{which}/modifier", response_class=HTMLResponse)
async def edit_form(request: Request, ref: str, which: str) -> Response:
    """The checkbox form of the diagnostic or of the profile."""
    runtime = _runtime(request)
    signed = _signed_in(request)
    if signed is None:
        return _redirect("/connexion")
    if which not in ("diagnostic", "profil"):
        return _no_such_page(request, signed)
    person = _person(request, signed, ref)
    what = f"{SECTIONS[which]} (modification)"
    refused = _refusal(request, signed, person, what)
    if refused is not None:
        return refused
    assert person is not None  # _refusal refuses a missing person
    runtime.audit.record(
        signed.account.courriel, signed.client.client_id, mask_nir(person.nir), "consultation", what
    )
    return _edit_page(
        request, signed, person, ref, which, saved=request.query_params.get("enregistre") == "1"
    )


@router.post("/usagers/{ref}/{which}/modifier", response_class=HTMLResponse)
async def edit(request: Request, ref: str, which: str) -> Response:
    """Write the ticked items through the diagnostics service, for the account's client."""
    runtime = _runtime(request)
    signed = _signed_in(request)
    if signed is None:
        return _redirect("/connexion")
    form = await _form(request)
    if not runtime.accounts.sessions.csrf_valid(signed.session.nonce, _first(form, "csrf")):
        return _expired_form(request, signed)
    if which not in ("diagnostic", "profil"):
        return _no_such_page(request, signed)
    person = _person(request, signed, ref)
    refused = _refusal(request, signed, person, f"{SECTIONS[which]} (modification)")
    if refused is not None:
        return refused
    assert person is not None  # _refusal refuses a missing person
    service = _diagnostics(runtime)
    client_id = signed.client.client_id
    dossier = service.dossier(client_id, person)
    summary: list[str]
    if which == "diagnostic":
        try:
            change = diagnostic_edit(
                dossier,
                referentiel(),
                form.get("besoin", []),
                form.get("contrainte", []),
                runtime.clock.now(),
            )
        except UnknownCodeError:
            return _render(
                request,
                "message.html",
                {
                    "title": "Formulaire invalide",
                    "message": "Une case cochée n'appartient pas au référentiel.",
                },
                400,
                signed,
            )
        if not change.is_empty():
            service.edit(client_id, person, _agent(signed), change.apply)
        summary = change.summary
    else:
        answers = profil_edit(dossier, "confiance" in form, "accompagnement" in form)
        if answers is not None:
            service.edit(
                client_id, person, _agent(signed), lambda e: e.record_pouvoir_agir(*answers)
            )
        summary = (
            [f"pouvoir d'agir : confiance {answers[0].value}, accompagnement {answers[1].value}"]
            if answers
            else []
        )
    runtime.audit.record(
        signed.account.courriel,
        client_id,
        mask_nir(person.nir),
        "modification",
        f"{SECTIONS[which]} : {'; '.join(summary) if summary else 'aucun changement'}",
    )
    return _redirect(f"/usagers/{ref}/{which}/modifier?enregistre=1")
