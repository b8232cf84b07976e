"""A typed, read-only view over a client's journal: what the conformance rules read.

The journal (``GET /_sandbox/journal/{client_id}``, ``sandbox.recording``) hands over plain dicts
of masked exchanges. ``Traffic`` parses them once into ``Call`` records — codes, the person a
call is about (the keyed hash in ``<nir … HASH>``, or the jeton / identifiant it carries), the
references Recherche answers hand out, the realm and scopes of token requests, which token each
call used — and answers the questions every rule asks: which token request issued this token,
which Recherche handed this jeton, is this the same request as that one, was this answer a
transient fault. It only ever uses what the journal holds: an entry missing a key, or holding an
unexpected type, reads as "not known", never as an error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sandbox.auth.scope_catalogue import CatalogueApi, scope_catalogue
from sandbox.auth.scopes import catalogued_api_of_path
from sandbox.auth.tokens import TOKEN_LIFETIME_SECONDS

TOKEN_PATH = "/connexion/oauth2/access_token"
RECHERCHE_V2 = "rechercher-usager-v2"
RECHERCHE_V1 = "rechercher-usager-v1"
RECHERCHE_APIS = frozenset({RECHERCHE_V2, RECHERCHE_V1})
AGENT_REALM = "/agent"
PARTENAIRE_REALM = "/partenaire"
TRANSIENT_FAULTS = frozenset({"error", "connection", "timeout", "outage"})
"""Injected fault types that are transient by nature (``latency`` only delays an answer)."""
CLIENT_DISCONNECTED = "client_disconnected"
FUNCTIONAL_CODES = frozenset({"S002", "S003", "R001", "R002", "R997", "R998"})
"""Recherche usager's definitive answers (issue 12; convention Annexe 2 §10.1)."""
JETON_ERRORS_PREFIX = "ERR_JETON_USAGER"
HEADER_OK = "ok"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

# A code the journal keeps is a short upper-case value: Recherche's codeRetour, a back end's
# codeErreur. Anything else under those names (a placeholder) is not a code.
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
_REFERENCE = re.compile(r"^<(jeton|identifiant|token) ([^\s<>]+)>$")
_NIR = re.compile(r"^<nir (\S+) ([^\s<>]+)>$")
_JETON_FIELDS = ("jetonUsager", "jeton")
_IDENTIFIANT_FIELDS = ("identifiant", "idNat")


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """What a client asked for at the token endpoint, and what it got."""

    realm: str | None
    scopes: tuple[str, ...]
    grant_type: str | None
    issued_token: str | None
    granted_scopes: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Call:
    """One exchange of the journal, parsed for the rules (virtual clock, epoch seconds)."""

    index: int
    arrived_at: float
    ended_at: float
    api: str | None
    method: str
    path: str
    route: str | None
    status: int | None
    duration_ms: float
    fault_type: str | None
    fault_rule: str | None
    retry_after: int | None
    outcome: str
    token: str | None
    jeton: str | None
    identifiant: str | None
    agent_headers: Mapping[str, str]
    query: tuple[str, ...]
    nir_in_url: bool
    secret_in_url: bool
    request: Any
    response: Any
    code_retour: str | None
    code_erreur: str | None
    nir: str | None
    """The masked NIR of the request body as the journal keeps it (``2900362********``)."""
    person_hash: str | None
    """The keyed hash of the whole NIR of the request body: the person, never the value."""
    handed_jeton: str | None
    handed_identifiant: str | None
    token_request: TokenRequest | None = None

    @property
    def is_token_request(self) -> bool:
        """A call to the OAuth2 token endpoint."""
        return self.token_request is not None or (self.route or self.path) == TOKEN_PATH

    @property
    def is_api_call(self) -> bool:
        """A call to a partner API (the token endpoint and the control plane excluded)."""
        return not self.is_token_request and (
            self.api is not None or self.path.startswith("/partenaire/")
        )

    @property
    def abandoned(self) -> bool:
        """The client left before the answer (no status, or disconnected)."""
        return self.outcome == CLIENT_DISCONNECTED or self.status is None

    @property
    def endpoint(self) -> str:
        """The route template, or the scrubbed path when no route matched."""
        return self.route or self.path

    @property
    def api_key(self) -> str:
        """What a quota counts calls under: the API, else the endpoint."""
        return self.api or self.endpoint


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    number = float(value)
    return number if number == number and abs(number) != float("inf") else default


def _integer(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _code(body: Any, name: str) -> str | None:
    if isinstance(body, dict):
        value = body.get(name)
        if isinstance(value, str) and _CODE.match(value):
            return value
    return None


def reference(value: Any, kind: str) -> str | None:
    """The keyed hash inside ``<kind HASH>``, if the value is one."""
    if isinstance(value, str):
        match = _REFERENCE.match(value)
        if match and match.group(1) == kind:
            return match.group(2)
    return None


def _field_reference(body: Any, names: Sequence[str], kind: str) -> str | None:
    if isinstance(body, dict):
        for name in names:
            found = reference(body.get(name), kind)
            if found is not None:
                return found
    return None


def nir_parts(value: Any) -> tuple[str, str] | None:
    """``(masked NIR, person hash)`` of a ``<nir MASKED HASH>`` shape."""
    if isinstance(value, str):
        match = _NIR.match(value)
        if match:
            return match.group(1), match.group(2)
    return None


def _strings(values: Any) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(v for v in values if isinstance(v, str))


def _token_request(value: Any) -> TokenRequest | None:
    if not isinstance(value, dict):
        return None
    granted = value.get("granted_scopes")
    return TokenRequest(
        realm=_text(value.get("realm")),
        scopes=_strings(value.get("scopes")),
        grant_type=_text(value.get("grant_type")),
        issued_token=_text(value.get("issued_token")),
        granted_scopes=_strings(granted) if isinstance(granted, list | tuple) else None,
    )


def parse_call(entry: Mapping[str, Any], position: int) -> Call:
    """One journal entry as a ``Call``; ``position`` (1-based) stands in for a missing index."""
    index = _integer(entry.get("index"))
    arrived = _number(entry.get("arrived_at"), _number(entry.get("at"), 0.0))
    duration = _number(entry.get("duration_ms"), 0.0)
    ended = _number(entry.get("ended_at"), arrived + duration / 1000.0)
    request, response = entry.get("request"), entry.get("response")
    nir = nir_parts(request.get("nir")) if isinstance(request, dict) else None
    headers = entry.get("agent_headers")
    path_identifiant = _text(entry.get("identifiant"))
    return Call(
        index=index if index is not None else position,
        arrived_at=arrived,
        ended_at=max(ended, arrived),
        api=_text(entry.get("api")),
        method=_text(entry.get("method")) or "?",
        path=_text(entry.get("path")) or "",
        route=_text(entry.get("route")),
        status=_integer(entry.get("status")),
        duration_ms=duration,
        fault_type=_text(entry.get("fault_type")),
        fault_rule=_text(entry.get("fault_rule")),
        retry_after=_integer(entry.get("retry_after")),
        outcome=_text(entry.get("outcome")) or "answered",
        token=_text(entry.get("token")),
        jeton=_text(entry.get("jeton")),
        identifiant=path_identifiant
        or _field_reference(request, _IDENTIFIANT_FIELDS, "identifiant"),
        agent_headers={str(k): v for k, v in (headers or {}).items() if isinstance(v, str)}
        if isinstance(headers, dict)
        else {},
        query=_strings(entry.get("query")),
        nir_in_url=entry.get("nir_in_url") is True,
        secret_in_url=entry.get("secret_in_url") is True,
        request=request,
        response=response,
        code_retour=_code(response, "codeRetour"),
        code_erreur=_code(response, "codeErreur"),
        nir=nir[0] if nir else None,
        person_hash=nir[1] if nir else None,
        handed_jeton=_field_reference(response, _JETON_FIELDS, "jeton"),
        handed_identifiant=_field_reference(response, _IDENTIFIANT_FIELDS, "identifiant"),
        token_request=_token_request(entry.get("token_request")),
    )


@cache
def _catalogue_by_id() -> dict[str, CatalogueApi]:
    return {api.id: api for api in scope_catalogue()}


def catalogue_entry(call: Call) -> CatalogueApi | None:
    """The catalogue's API a call went to (by its API id, else by its path prefix)."""
    if call.api is not None:
        found = _catalogue_by_id().get(call.api)
        if found is not None:
            return found
    return catalogued_api_of_path(call.path) if call.path.startswith("/partenaire/") else None


def api_scopes(api_id: str) -> tuple[str, ...]:
    """The catalogue scopes of an API id (empty if the id is not catalogued)."""
    found = _catalogue_by_id().get(api_id)
    return found.scopes if found is not None else ()


def iso(timestamp: float) -> str:
    """A virtual-clock instant as ISO 8601 (UTC, milliseconds)."""
    try:
        moment = dt.datetime.fromtimestamp(timestamp, dt.UTC)
    except (OverflowError, OSError, ValueError):
        moment = dt.datetime.fromtimestamp(0, dt.UTC)
    return moment.isoformat(timespec="milliseconds")


def excerpt(call: Call) -> str:
    """The exchange in one masked line, from the journal only.

    ``POST /partenaire/rechercher-usager/v2/… → 200 S001``, ``→ 503 [faute outage]``,
    ``→ (abandonné après 2.0 s)``; a token request shows its realm and the scopes asked.
    """
    target = call.endpoint
    if call.is_token_request and call.token_request is not None:
        realm = call.token_request.realm
        target += f"?realm={realm}" if realm is not None else " (sans realm)"
        if call.token_request.scopes:
            target += f" scope={' '.join(call.token_request.scopes)}"
    elif call.query:
        target += "?" + "&".join(f"{name}=…" for name in call.query)
    if call.abandoned:
        seconds = call.duration_ms / 1000.0
        outcome = f"(abandonné après {seconds:.1f} s)"
        if call.status is not None:
            outcome = f"{call.status} {outcome}"
    else:
        outcome = str(call.status)
        code = call.code_retour or call.code_erreur
        if code:
            outcome += f" {code}"
    if call.fault_type:
        outcome += f" [faute {call.fault_type}]"
    if call.retry_after is not None:
        outcome += f" Retry-After {call.retry_after}"
    return f"{call.method} {target} → {outcome}"


def is_transient(call: Call) -> bool:
    """The answer was a transient fault: 5xx, connection fault, timeout, outage, or abandoned.

    A 500 carrying Recherche's functional ``R998`` without any injected fault is the person's
    answer (no address on file), not a fault.
    """
    if call.fault_type in TRANSIENT_FAULTS or call.abandoned:
        return True
    if call.status is None or call.status < 500:
        return False
    return not (call.fault_type is None and call.code_retour == "R998")


def is_functional(call: Call) -> bool:
    """A functional outcome: a definitive answer about the person, not a fault.

    Recherche's S002, S003, R001, R002, R997, R998 when no fault was injected, or a 4xx refusal
    with a back end's ``codeErreur`` other than a rate limit or an authentication refusal (401,
    and the jeton usager's own refusals, judged by the jeton rules).
    """
    if call.fault_type is not None:
        return False
    if call.code_retour in FUNCTIONAL_CODES:
        return True
    return (
        call.status is not None
        and 400 <= call.status < 500
        and call.status not in (401, 429)
        and call.code_erreur is not None
        and not call.code_erreur.startswith(JETON_ERRORS_PREFIX)
    )


def is_rate_limited(call: Call) -> bool:
    """A 429 answer."""
    return call.status == 429


def agent_headers_fine(call: Call) -> bool:
    """No ``pa-*`` header is empty or holds ``|`` (an absent one is answered 302, not 401)."""
    return all(state in (HEADER_OK, "absent") for state in call.agent_headers.values())


def is_token_refusal(call: Call) -> bool:
    """The gateway refused the call's access token (expired, revoked, invalid, other realm).

    The gateway's 401 has no body; a 401 with a back end's body is about a jeton. An agent
    header empty or with ``|`` is also a bodiless 401: not counted as the token's refusal.
    """
    if not call.is_api_call or call.status != 401:
        return False
    if call.fault_type == "token":
        return True
    return call.response is None and agent_headers_fine(call)


def is_scope_refusal(call: Call) -> bool:
    """The gateway refused the call for a missing scope (403 without a body, no fault)."""
    return call.is_api_call and call.status == 403 and call.response is None and not call.fault_type


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


RequestKey = tuple[str, str, str | None, str | None, str]


def _request_key(call: Call) -> RequestKey:
    body = _canonical(call.request)
    if call.request is None and call.method in BODY_METHODS:
        body = f"<corps inconnu, appel {call.index}>"
    return (call.method, call.endpoint, call.jeton, call.identifiant, body)


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules know besides the traffic; the runner builds it for each scenario.

    ``scopes`` are the client's subscribed scopes (its ``fixtures/clients.yaml`` entry as the
    sandbox's ``ClientRegistry`` expands it, ``all`` included); empty means "not known", and the
    rules that need the subscription then judge nothing. ``token_lifetime`` is the
    ``expires_in`` of the platform's tokens. ``personas`` is how many distinct people (NIRs) the
    client was handed (0: not known, as in ``--watch``); ``launched`` says the runner launched
    the client, which ended with ``exit_code`` (None: stopped at the scenario's timeout).
    """

    client_id: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    scenario: str = ""
    token_lifetime: float = TOKEN_LIFETIME_SECONDS
    personas: int = 0
    launched: bool = False
    exit_code: int | None = None


class Traffic:
    """A client's journal, parsed: calls in journal order and the links between them."""

    def __init__(self, entries: Iterable[Mapping[str, Any]]) -> None:
        parsed = [parse_call(e, i) for i, e in enumerate(entries, 1) if isinstance(e, Mapping)]
        # Journal order is call order; the index is the call number a report cites.
        self.calls: tuple[Call, ...] = tuple(sorted(parsed, key=lambda c: c.index))
        # Keys computed once: rules compare requests across the whole journal.
        self._keys = {id(call): _request_key(call) for call in self.calls}
        self._next_same: list[int | None] = [None] * len(self.calls)
        last: dict[RequestKey, int] = {}
        for position in range(len(self.calls) - 1, -1, -1):
            key = self._keys[id(self.calls[position])]
            self._next_same[position] = last.get(key)
            last[key] = position
        self._issuers: dict[str, Call] = {}
        self._handed: dict[str, Call] = {}
        for call in self.calls:
            request = call.token_request
            if request is not None and request.issued_token is not None:
                self._issuers.setdefault(request.issued_token, call)
            if call.api in RECHERCHE_APIS:
                for handed in (call.handed_jeton, call.handed_identifiant):
                    if handed is not None:
                        self._handed.setdefault(handed, call)

    def __len__(self) -> int:
        return len(self.calls)

    def __iter__(self) -> Iterator[Call]:
        return iter(self.calls)

    @property
    def token_requests(self) -> tuple[Call, ...]:
        """Calls to the token endpoint, in order."""
        return tuple(c for c in self.calls if c.is_token_request)

    @property
    def api_calls(self) -> tuple[Call, ...]:
        """Calls to partner APIs, in order."""
        return tuple(c for c in self.calls if c.is_api_call)

    def issuer(self, token: str | None) -> Call | None:
        """The token request whose answer issued this token, if it is in the journal."""
        return self._issuers.get(token) if token is not None else None

    def handed_by(self, ref: str | None) -> Call | None:
        """The first Recherche answer that handed out this jeton or identifiant."""
        return self._handed.get(ref) if ref is not None else None

    def references(self, call: Call) -> tuple[str, ...]:
        """The person references (jeton, identifiant) a call carries."""
        return tuple(r for r in (call.jeton, call.identifiant) if r is not None)

    def person(self, call: Call) -> str | None:
        """Who a call is about: the NIR's keyed hash, directly or through its reference.

        A reference no Recherche answer handed out names only itself.
        """
        if call.person_hash is not None:
            return f"nir:{call.person_hash}"
        for ref in self.references(call):
            recherche = self._handed.get(ref)
            if recherche is not None and recherche.person_hash is not None:
                return f"nir:{recherche.person_hash}"
        if call.jeton is not None:
            return f"jeton:{call.jeton}"
        if call.identifiant is not None:
            return f"identifiant:{call.identifiant}"
        return None

    def request_key(self, call: Call) -> RequestKey:
        """What makes two calls "the same request": route, person reference, request shape.

        A request whose body the journal does not hold (a fault answered before the route read
        it) is the same as no other: two Recherche calls about two people must not pass for
        one request and its retry.
        """
        cached = self._keys.get(id(call))
        return cached if cached is not None else _request_key(call)

    def next_same(self, position: int) -> int | None:
        """The position in ``calls`` of the next call that is the same request, if any."""
        return self._next_same[position]

    def same_request(self, first: Call, second: Call) -> bool:
        """Whether two calls are the same request (route, person/reference, request shape)."""
        return self.request_key(first) == self.request_key(second)
