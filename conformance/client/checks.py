"""One check per client-conformance rule, and ``evaluate``: a scenario's traffic → its Report.

A check reads a ``Traffic`` (the client's journal, parsed) and a ``Context`` and yields
``Violation``s: a French message and the calls that show it. ``evaluate`` runs the checks of the
rules that have something to judge, in registry order, and builds the scenario's
``sandbox.findings.Report`` (kind ``client``), each finding carrying the masked excerpts of the
calls that show it. It only uses what the journal holds: same entries, same report.

Thresholds are named below with where they come from. Two differ from the issue's first
sketch, so that a client behaving as the platform recommends passes: the outage rate is judged
over 10 s windows (a call and its three retries backed off 0.5 s, 1 s, 2 s, for two people
before the circuit opens, already make 6 calls in 5 s), and the calls per person during an
outage allow the probes of a circuit breaker (one every 5 s for the minute a batch persists).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.client.rules import RULE_IDS, RULES, ClientRule
from conformance.client.traffic import (
    AGENT_REALM,
    JETON_ERRORS_PREFIX,
    PARTENAIRE_REALM,
    RECHERCHE_APIS,
    RECHERCHE_V1,
    RECHERCHE_V2,
    Call,
    Context,
    Traffic,
    api_scopes,
    catalogue_entry,
    excerpt,
    is_functional,
    is_rate_limited,
    is_scope_refusal,
    is_token_refusal,
    is_transient,
    iso,
    nir_parts,
)
from sandbox.auth.scopes import Realm, scopes_of_realm
from sandbox.findings import Evidence, Finding, Report

__all__ = ["CHECKS", "Context", "Violation", "evaluate"]

TOKEN_RENEWAL_MARGIN_SECONDS = 60.0
"""A token is renewed within its last 60 s (issue 12; rdv-insertion caches ``expires_in`` − 60,
reference §1.2). Earlier, and not refused, the renewal is a wasted token."""
MAX_TOKEN_REQUESTS_AFTER_REFUSAL = 2
"""Token requests allowed after a 401 of the token before the next call (issue 12: one
renewal, and one more if that request itself failed)."""
STORM_GAP_SECONDS = 1.0
"""Token requests in a row closer than this form a storm (issue 12: « faster than 1 per
second »)."""
STORM_MIN_REQUESTS = 3
"""A storm is at least 3 token requests in a row, each within ``STORM_GAP_SECONDS`` of the
previous: two may be one failed request and its retry."""
NO_CONTENT_RETRY_SECONDS = 5.0
"""The same request within 5 s of a 204 is a retry of "no data" (issue 12)."""
MAX_RETRIES = 3
"""Retries of one request after transient faults (issue 12; the good client's 0.5, 1, 2 s)."""
MIN_RETRY_GAP_SECONDS = 0.2
"""A retry sooner than this after a transient fault is no back-off at all (issue 12)."""
BACKOFF_GROWTH = 1.25
"""Each retry's wait must be at least this many times the previous one: exponential back-off
doubles it; 1.25 leaves room for timing noise while refusing a constant pause."""
CIRCUIT_PAUSE_SECONDS = 5.0
"""A pause this long before the same request starts a new attempt (a circuit breaker's wait,
the good client's 5 s), not one more retry."""
RETRY_AFTER_SLACK_SECONDS = 1.0
"""A request repeated within its Retry-After and 1 s more is still a retry of that request (the
Retry-After may be longer than ``CIRCUIT_PAUSE_SECONDS``)."""
TIMING_TOLERANCE_SECONDS = 0.05
"""The journal stamps an answer's end just after its last byte is handed to the server, the
client's wait starts when it reads it: a few milliseconds either way."""
PATIENCE_SECONDS = 6.0
"""Convention Annexe 2 §3: « Temps de réponse pouvant atteindre 6 secondes »."""
OUTAGE_WINDOW_SECONDS = 10.0
"""Outage call rate window (see the module's docstring for why not 5 s)."""
OUTAGE_MAX_CALLS_PER_SECOND = 1.0
"""More than one call per second on average over a window during an outage (issue 12)."""
OUTAGE_MAX_CALLS_PER_PERSON = 16
"""Calls about one person during an outage: a call and its 3 retries, then one probe every 5 s
over the 60 s a batch may persist before giving up (4 + 12)."""
NIR_LENGTH = 15
"""Convention Annexe 2 §10.1: « NIR complet », key included."""
DATE_SHAPE = "<date AAAA-MM-JJ>"
"""Convention Annexe 2 §10.1: « Date de naissance (AAAA-MM-JJ) », as the journal shapes it."""
MAX_EVIDENCE = 20
"""Calls cited per finding; the message gives the full count."""
APPLICATION_SCOPE_PREFIX = "application_"
"""The optional ``application_<client_id>`` scope (reference §1.2): never "unneeded"."""
PERSON_REFERENCE_ABSENT = frozenset({"ERR_JETON_USAGER_ABSENT", "ERR_IDENTIFIANT_ABSENT"})
OUT_OF_PERIMETER = "ERR_USAGER_HORS_PERIMETRE"
JETON_EXPIRED = "ERR_JETON_USAGER_EXPIRE"
FORMAT_REFUSAL = "ERR_DONNEE_INCORRECTE"


@dataclass(frozen=True, slots=True)
class Violation:
    """One breach of a rule: what is wrong and the calls that show it, in order."""

    message: str
    calls: tuple[Call, ...]


Check = Callable[[Traffic, Context], Iterator[Violation]]


def _seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


def _realm_of(call: Call) -> str | None:
    entry = catalogue_entry(call)
    return entry.realm if entry is not None else None


def _calls(*calls: Call) -> tuple[Call, ...]:
    return tuple(sorted({c.index: c for c in calls}.values(), key=lambda c: c.index))


# ---- Tokens ------------------------------------------------------------------------------


def check_token_realm(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A token used on an API of another realm than the one it was asked on."""
    seen: set[tuple[str, str]] = set()
    for call in traffic.api_calls:
        issuer = traffic.issuer(call.token)
        realm = _realm_of(call)
        if issuer is None or realm is None or issuer.token_request is None:
            continue
        asked = issuer.token_request.realm or "(aucun)"
        if asked == realm or (call.token or "", realm) in seen:
            continue
        seen.add((call.token or "", realm))
        yield Violation(
            f"Le jeton de l'appel {issuer.index} a été demandé sur le royaume {asked} et "
            f"présenté à une API du royaume {realm} (appel {call.index}).",
            _calls(issuer, call),
        )


def _refused_scopes(call: Call, context: Context) -> list[str] | None:
    """The scopes an ``invalid_scope`` refusal names, or None if the refusal is not about scopes."""
    request = call.token_request
    if request is None or call.status != 400 or request.grant_type != "client_credentials":
        return None
    try:
        realm = Realm(request.realm or "")
    except ValueError:
        return None  # no or unknown realm: refused invalid_client, not a scope problem
    allowed = scopes_of_realm(realm)
    if context.scopes:
        allowed = allowed & context.scopes
    refused = [
        s
        for s in request.scopes
        if s not in allowed and s != APPLICATION_SCOPE_PREFIX + context.client_id
    ]
    return refused if refused or not request.scopes else None


def _subscribed(call: Call, context: Context) -> bool:
    entry = catalogue_entry(call)
    return not context.scopes or (entry is not None and entry.api_scope in context.scopes)


def check_token_scopes_covering(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A call refused for a missing scope, or a token request refused ``invalid_scope``."""
    for call in traffic.calls:
        refused = _refused_scopes(call, context)
        if refused is not None:
            named = " ".join(refused) if refused else "(aucun scope demandé)"
            yield Violation(
                f"Demande de jeton refusée (invalid_scope) à l'appel {call.index} : scopes "
                f"non disponibles pour l'application dans ce royaume : {named}.",
                (call,),
            )
        elif is_scope_refusal(call) and _subscribed(call, context):
            # A refusal for an API the client is not subscribed to is subscribed-apis' finding.
            yield Violation(
                f"Appel {call.index} refusé 403 par la passerelle : le jeton ne porte pas les "
                f"scopes de {call.api or call.endpoint}.",
                (call,),
            )


def _needed_scopes(traffic: Traffic) -> dict[str, set[str]]:
    needed: dict[str, set[str]] = defaultdict(set)
    for call in traffic.api_calls:
        entry = catalogue_entry(call)
        if entry is not None:
            needed[entry.realm].update(entry.scopes)
            if traffic.references(call):
                # A person reference comes from Recherche usager: its scopes are needed in a
                # realm where people are called on, even by a client that skipped it (that
                # defect is recherche-first's, not a scope's).
                needed[entry.realm].update(_recherche_scopes_of(entry.realm))
    return needed


def _recherche_scopes_of(realm: str) -> frozenset[str]:
    api = RECHERCHE_V2 if realm == "/agent" else RECHERCHE_V1
    return frozenset(api_scopes(api))


def _realms_with_a_person(traffic: Traffic) -> set[str]:
    found: set[str] = set()
    for call in traffic.api_calls:
        realm = _realm_of(call)
        if realm is not None and (
            traffic.references(call) or call.handed_jeton or call.handed_identifiant
        ):
            found.add(realm)
    return found


def _recherche_scopes() -> frozenset[str]:
    return frozenset(s for api in RECHERCHE_APIS for s in api_scopes(api))


def check_token_scopes_minimal(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A scope asked for that no call of the token's realm needed.

    Needed: the catalogue scopes of every API the client called in that realm (a token per
    realm serves them all, ``profil_accedant`` included). A scope only calls about a found
    person could need is not judged in a realm where no person was found (a scenario where
    every Recherche answers S002, or fails, leaves no chance to call the others).
    """
    needed = _needed_scopes(traffic)
    with_person = _realms_with_a_person(traffic)
    recherche = _recherche_scopes()
    used = {c.token for c in traffic.api_calls if c.token is not None}
    for call in traffic.token_requests:
        request = call.token_request
        if request is None or request.issued_token is None or request.issued_token not in used:
            continue
        realm = request.realm or ""
        unneeded = [
            s
            for s in request.scopes
            if s not in needed.get(realm, set())
            and not s.startswith(APPLICATION_SCOPE_PREFIX)
            and (realm in with_person or s in recherche)
        ]
        if unneeded:
            yield Violation(
                f"Le jeton demandé à l'appel {call.index} porte des scopes qu'aucun appel du "
                f"royaume {realm} n'a utilisés : {' '.join(unneeded)}.",
                (call,),
            )


def _refused_tokens(traffic: Traffic) -> dict[str, float]:
    """When each token was first refused (401 of the token, or 403 for a scope)."""
    refused: dict[str, float] = {}
    for call in traffic.api_calls:
        if call.token and (is_token_refusal(call) or is_scope_refusal(call)):
            refused.setdefault(call.token, call.ended_at)
    return refused


def check_token_reuse(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A new token asked while the previous one of its realm was valid > 60 s, not refused."""
    refused = _refused_tokens(traffic)
    previous: dict[str | None, Call] = {}
    for call in traffic.token_requests:
        request = call.token_request
        realm = request.realm if request is not None else None
        before = previous.get(realm)
        if before is not None and before.token_request is not None:
            token = before.token_request.issued_token or ""
            left = before.ended_at + context.token_lifetime - call.arrived_at
            refused_at = refused.get(token)
            if left > TOKEN_RENEWAL_MARGIN_SECONDS and (
                refused_at is None or refused_at > call.arrived_at
            ):
                yield Violation(
                    f"Nouveau jeton demandé (appel {call.index}) alors que celui de l'appel "
                    f"{before.index} valait encore {_seconds(left)} et n'avait pas été refusé.",
                    _calls(before, call),
                )
        if request is not None and request.issued_token is not None:
            previous[realm] = call


def check_token_renewal(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """More than 2 token requests after a token's 401 before the next call; or a storm."""
    calls = traffic.calls
    for position, call in enumerate(calls):
        if not is_token_refusal(call):
            continue
        asked: list[Call] = []
        for later in calls[position + 1 :]:
            if later.is_token_request:
                asked.append(later)
            elif later.is_api_call:
                break
        if len(asked) > MAX_TOKEN_REQUESTS_AFTER_REFUSAL:
            yield Violation(
                f"Après le refus du jeton à l'appel {call.index}, {len(asked)} demandes de jeton "
                f"avant l'appel suivant (au plus {MAX_TOKEN_REQUESTS_AFTER_REFUSAL}).",
                _calls(call, *asked[:MAX_EVIDENCE]),
            )
    yield from _storms(traffic)


def _storms(traffic: Traffic) -> Iterator[Violation]:
    runs: dict[str | None, list[Call]] = {}

    def close(realm: str | None) -> Iterator[Violation]:
        run = runs.pop(realm, [])
        if len(run) >= STORM_MIN_REQUESTS:
            yield Violation(
                f"{len(run)} demandes de jeton à la suite (appels {run[0].index} à "
                f"{run[-1].index}), à moins d'une seconde l'une de l'autre.",
                tuple(run[:MAX_EVIDENCE]),
            )

    for call in traffic.calls:
        if call.is_api_call:
            for realm in list(runs):
                yield from close(realm)
            continue
        if not call.is_token_request:
            continue
        realm = call.token_request.realm if call.token_request is not None else None
        run = runs.get(realm)
        if run and call.arrived_at - run[-1].arrived_at >= STORM_GAP_SECONDS:
            yield from close(realm)
        runs.setdefault(realm, []).append(call)
    for realm in list(runs):
        yield from close(realm)


# ---- URLs and headers --------------------------------------------------------------------


def check_no_secret_in_url(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A client secret, access token or jeton in a URL."""
    for call in traffic.calls:
        if call.secret_in_url:
            yield Violation(
                f"L'URL de l'appel {call.index} contient un secret (secret client ou jeton).",
                (call,),
            )


def check_no_nir_in_url(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A NIR in a URL."""
    for call in traffic.calls:
        if call.nir_in_url:
            yield Violation(f"L'URL de l'appel {call.index} contient un NIR.", (call,))


_HEADER_STATES = {
    "absent": "absent",
    "empty": "vide",
    "forbidden_character": "avec le caractère |",
}


def check_agent_headers(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A realm-``/agent`` API call with a ``pa-*`` header absent, empty or holding ``|``."""
    for call in traffic.api_calls:
        if _realm_of(call) != AGENT_REALM:
            continue
        wrong = [
            f"{name} {_HEADER_STATES[state]}"
            for name, state in sorted(call.agent_headers.items())
            if state in _HEADER_STATES
        ]
        if wrong:
            yield Violation(
                f"Appel {call.index} à une API du royaume /agent : {', '.join(wrong)}.",
                (call,),
            )


# ---- Jetons and people -------------------------------------------------------------------


def _handed_jetons(traffic: Traffic) -> set[str]:
    return {c.handed_jeton for c in traffic.calls if c.api == RECHERCHE_V2 and c.handed_jeton}


def _refused_as_not_genuine(call: Call) -> bool:
    """The API said the jeton is not one the platform issued to this client."""
    code = call.code_erreur or ""
    return code.startswith(JETON_ERRORS_PREFIX) and code not in (
        JETON_EXPIRED,
        *PERSON_REFERENCE_ABSENT,
    )


def check_jeton_from_recherche(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A ``ft-jeton-usager`` no Recherche handed out, that the API refused as not genuine.

    A jeton never handed out in the journal that the API accepts is a genuine one kept from an
    earlier run: that client skipped Recherche usager (``recherche-first``'s).
    """
    handed = _handed_jetons(traffic)
    for call in traffic.calls:
        if call.jeton is not None and call.jeton not in handed and _refused_as_not_genuine(call):
            yield Violation(
                f"L'appel {call.index} porte un jeton usager qu'aucune réponse de Rechercher "
                f"usager v2 de ce client n'a rendu, refusé ({call.code_erreur}) : fabriqué, "
                "modifié ou emprunté.",
                (call,),
            )


def check_jeton_expired_reuse(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A jeton used again after an answer refused it as expired."""
    expired: dict[str, Call] = {}
    for call in traffic.calls:
        if call.jeton is None:
            continue
        refusal = expired.get(call.jeton)
        if refusal is not None:
            yield Violation(
                f"L'appel {call.index} réutilise le jeton usager refusé comme expiré à l'appel "
                f"{refusal.index}, au lieu d'une nouvelle Recherche.",
                _calls(refusal, call),
            )
        elif call.code_erreur == JETON_EXPIRED:
            expired[call.jeton] = call


def check_recherche_first(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A call about a person before the Recherche answer that handed its reference.

    Judged here: a call refused for carrying no person reference at all; a reference that a
    Recherche answer hands out only later; a v1 identifiant no Recherche usager v1 answer
    handed out; a v2 jeton no Recherche of the journal handed out and the API did not refuse as
    forged (kept from an earlier run). A forged one is ``jeton-from-recherche``'s.
    """
    handed = _handed_jetons(traffic)
    for call in traffic.api_calls:
        if call.jeton is not None and call.jeton not in handed:
            if not _refused_as_not_genuine(call):
                yield Violation(
                    f"L'appel {call.index} utilise un jeton usager qu'aucune Recherche usager de "
                    "cette exécution n'a rendu (gardé d'une exécution précédente).",
                    (call,),
                )
            continue
        if call.code_erreur in PERSON_REFERENCE_ABSENT:
            yield Violation(
                f"L'appel {call.index} sur une personne ne porte ni jeton usager ni identifiant :"
                " aucune Recherche usager ne l'a précédé.",
                (call,),
            )
            continue
        for ref in traffic.references(call):
            recherche = traffic.handed_by(ref)
            if recherche is not None and recherche.index > call.index:
                yield Violation(
                    f"L'appel {call.index} utilise une référence de personne que la Recherche "
                    f"de l'appel {recherche.index} ne rend qu'ensuite.",
                    _calls(call, recherche),
                )
                break
            if (
                recherche is None
                and ref == call.identifiant
                and _realm_of(call) == PARTENAIRE_REALM
            ):
                # Only generation 1 takes Recherche v1's identifiant; an agent-realm body's
                # `identifiant` (Activités opérationnelles: a numéro France Travail) is not one.
                yield Violation(
                    f"L'appel {call.index} utilise un identifiant qu'aucune réponse de "
                    "Recherche usager v1 de ce client n'a rendu.",
                    (call,),
                )
                break


def _repeats(
    traffic: Traffic, trigger: Callable[[Call], bool], within: float | None = None
) -> Iterator[tuple[Call, Call]]:
    """(answer, the next same request) for each answer ``trigger`` selects (within seconds)."""
    calls = traffic.calls
    for position, call in enumerate(calls):
        if not trigger(call):
            continue
        following = traffic.next_same(position)
        if following is None:
            continue
        later = calls[following]
        if within is None or later.arrived_at - call.ended_at < within:
            yield call, later


def check_no_functional_retry(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """The same request repeated after a functional outcome (S002… R998, a 4xx codeErreur)."""
    for answer, repeat in _repeats(traffic, is_functional):
        code = answer.code_retour or answer.code_erreur
        yield Violation(
            f"La requête de l'appel {answer.index}, répondue {code}, est rejouée à l'appel "
            f"{repeat.index} : une réponse fonctionnelle ne change pas en la rejouant.",
            _calls(answer, repeat),
        )


def check_no_content_no_retry(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A 204 followed by the same request within 5 s."""
    no_content = _repeats(traffic, lambda c: c.status == 204, NO_CONTENT_RETRY_SECONDS)
    for answer, repeat in no_content:
        yield Violation(
            f"La requête de l'appel {answer.index}, répondue 204 (pas de donnée), est rejouée "
            f"{_seconds(max(0.0, repeat.arrived_at - answer.ended_at))} plus tard (appel "
            f"{repeat.index}).",
            _calls(answer, repeat),
        )


# ---- Retries -----------------------------------------------------------------------------


def _retry_chains(traffic: Traffic) -> list[list[Call]]:
    """Runs of one request, each call after a transient fault or a 429 of the previous.

    A pause of ``CIRCUIT_PAUSE_SECONDS`` (longer than a Retry-After asked) starts a new run.
    """
    chains: list[list[Call]] = []
    open_chains: dict[Any, list[Call]] = {}
    for call in traffic.calls:
        key = traffic.request_key(call)
        chain = open_chains.get(key)
        if chain is not None:
            last = chain[-1]
            pause = max(CIRCUIT_PAUSE_SECONDS, (last.retry_after or 0) + RETRY_AFTER_SLACK_SECONDS)
            if call.arrived_at - last.ended_at < pause - TIMING_TOLERANCE_SECONDS:
                chain.append(call)
            else:
                chain = None
        if chain is None:
            chain = [call]
            chains.append(chain)
        open_chains[key] = chain
        if not (is_transient(call) or is_rate_limited(call)):
            open_chains.pop(key, None)
    return [c for c in chains if len(c) > 1]


def _after_transient(chain: list[Call]) -> list[tuple[Call, Call]]:
    return [(a, b) for a, b in zip(chain, chain[1:], strict=False) if is_transient(a)]


def check_retry_bounded(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """More than 3 retries of the same request after transient faults."""
    for chain in _retry_chains(traffic):
        retries = _after_transient(chain)
        if len(retries) > MAX_RETRIES:
            yield Violation(
                f"La requête de l'appel {chain[0].index} est rejouée {len(retries)} fois après "
                f"des pannes (au plus {MAX_RETRIES}), jusqu'à l'appel {chain[-1].index}.",
                tuple(chain[:MAX_EVIDENCE]),
            )


def check_retry_backoff(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """Retries after transient faults whose waits are under 0.2 s or do not grow."""
    for chain in _retry_chains(traffic):
        previous_gap: float | None = None
        for failed, retry in _after_transient(chain):
            gap = retry.arrived_at - failed.ended_at
            asked = failed.retry_after
            honours = asked is not None and gap >= asked - TIMING_TOLERANCE_SECONDS
            problem = None
            if gap < MIN_RETRY_GAP_SECONDS - TIMING_TOLERANCE_SECONDS:
                problem = f"après {_seconds(max(0.0, gap))} (moins de 0,2 s)"
            elif (
                previous_gap is not None
                and not honours
                and gap < previous_gap * BACKOFF_GROWTH - TIMING_TOLERANCE_SECONDS
            ):
                problem = (
                    f"après {_seconds(gap)}, sans allonger l'attente précédente "
                    f"({_seconds(previous_gap)})"
                )
            previous_gap = gap
            if problem is not None:
                yield Violation(
                    f"L'appel {retry.index} rejoue la requête en panne de l'appel "
                    f"{failed.index} {problem}.",
                    _calls(failed, retry),
                )
                break


def check_retry_after_honoured(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A call to the same API sooner than a 429's Retry-After."""
    calls = traffic.calls
    for position, call in enumerate(calls):
        if not is_rate_limited(call) or call.retry_after is None:
            continue
        until = call.ended_at + call.retry_after - TIMING_TOLERANCE_SECONDS
        for later in calls[position + 1 :]:
            if later.arrived_at >= until:
                break
            if later.api_key == call.api_key:
                yield Violation(
                    f"L'appel {later.index} rappelle {call.api_key} "
                    f"{_seconds(max(0.0, later.arrived_at - call.ended_at))} après le 429 de "
                    f"l'appel {call.index}, qui demandait d'attendre {call.retry_after} s.",
                    _calls(call, later),
                )
                break


def check_patience_6s(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A call the client abandoned before 6 s."""
    for call in traffic.calls:
        if call.abandoned and call.duration_ms < PATIENCE_SECONDS * 1000.0:
            yield Violation(
                f"L'appel {call.index} est abandonné après {_seconds(call.duration_ms / 1000)}, "
                "avant les 6 s que les niveaux de service prévoient.",
                (call,),
            )


def _outage_streaks(traffic: Traffic) -> list[list[Call]]:
    """Runs of API calls answered 503 (one outage fault, or two 503 in a row, make an outage)."""
    streaks: list[list[Call]] = []
    current: list[Call] = []
    for call in traffic.api_calls:
        if call.fault_type == "outage" or call.status == 503:
            current.append(call)
            continue
        if current:
            streaks.append(current)
        current = []
    if current:
        streaks.append(current)
    return [s for s in streaks if len(s) > 1 or s[0].fault_type == "outage"]


def _window(calls: Sequence[Call], until: float) -> list[Call]:
    """The calls, in journal order, up to the first that arrived at or after ``until``."""
    return list(itertools.takewhile(lambda c: c.arrived_at < until, calls))


def check_outage_rate(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """During an outage, more than 1 call/s over a window, or too many calls about one person."""
    limit = int(OUTAGE_WINDOW_SECONDS * OUTAGE_MAX_CALLS_PER_SECOND)
    for streak in _outage_streaks(traffic):
        for start, first in enumerate(streak):
            window = _window(streak[start:], first.arrived_at + OUTAGE_WINDOW_SECONDS)
            if len(window) > limit:
                yield Violation(
                    f"Pendant l'indisponibilité, {len(window)} appels en moins de "
                    f"{OUTAGE_WINDOW_SECONDS:.0f} s (appels {window[0].index} à "
                    f"{window[-1].index}) : plus d'un par seconde en moyenne.",
                    tuple(window[:MAX_EVIDENCE]),
                )
                break
        people: dict[str, list[Call]] = defaultdict(list)
        for call in streak:
            person = traffic.person(call)
            if person is not None:
                people[person].append(call)
        for about in sorted(people.values(), key=lambda calls: calls[0].index):
            if len(about) > OUTAGE_MAX_CALLS_PER_PERSON:
                yield Violation(
                    f"Pendant l'indisponibilité, {len(about)} appels sur une même personne "
                    f"(appels {about[0].index} à {about[-1].index} ; au plus "
                    f"{OUTAGE_MAX_CALLS_PER_PERSON}).",
                    tuple(about[:MAX_EVIDENCE]),
                )


def check_subscribed_apis(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A call to an API the client is not subscribed to, or that is not in the catalogue."""
    if not context.scopes:
        return
    for call in traffic.api_calls:
        entry = catalogue_entry(call)
        if entry is None:
            yield Violation(
                f"L'appel {call.index} vise une API absente du catalogue de francetravail.io "
                f"({call.endpoint}).",
                (call,),
            )
        elif entry.api_scope not in context.scopes:
            yield Violation(
                f"L'appel {call.index} vise {call.api or call.endpoint} ({entry.title}), que "
                "l'application n'a pas souscrite.",
                (call,),
            )


def check_rsa_only(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A call about a person after an answer said the person is out of the perimeter."""
    out: dict[str, Call] = {}
    for call in traffic.calls:
        person = traffic.person(call)
        if person is None:
            continue
        refusal = out.get(person)
        if refusal is not None and not traffic.same_request(refusal, call):
            # The same request again is no-functional-retry's finding.
            yield Violation(
                f"L'appel {call.index} porte sur une personne déclarée hors périmètre (non "
                f"allocataire du RSA) à l'appel {refusal.index}.",
                _calls(refusal, call),
            )
            out.pop(person)
        elif refusal is None and (
            (call.api in RECHERCHE_APIS and call.code_retour == "R001")
            or call.code_erreur == OUT_OF_PERIMETER
        ):
            out[person] = call


def _format_problems(body: Any, problems: list[str], depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(body, dict):
        for name, value in body.items():
            if name == "dateNaissance" and isinstance(value, str) and value != DATE_SHAPE:
                problems.append(f"dateNaissance {value}")
            elif name == "nir" and value is not None:
                parts = nir_parts(value)
                if parts is None:
                    problems.append(f"nir {value}" if isinstance(value, str) else "nir non texte")
                elif len(parts[0]) != NIR_LENGTH:
                    problems.append(f"nir de {len(parts[0])} caractères")
            else:
                _format_problems(value, problems, depth + 1)
    elif isinstance(body, list):
        for item in body:
            _format_problems(item, problems, depth + 1)


def check_formats(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """A request refused for its format, or a date / NIR not in the documented format."""
    for call in traffic.api_calls:
        problems: list[str] = []
        if call.fault_type is None and call.code_retour == "R997":
            problems.append("refusée R997")
        if call.status == 400 and call.code_erreur == FORMAT_REFUSAL:
            problems.append(f"refusée {FORMAT_REFUSAL}")
        _format_problems(call.request, problems)
        if problems:
            yield Violation(
                f"Requête de l'appel {call.index} hors des formats documentés : "
                f"{' ; '.join(problems)}.",
                (call,),
            )


def check_batch_completes(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """The launched client exited 0 within the scenario's time."""
    if context.exit_code == 0:
        return
    last = traffic.calls[-1:]
    if context.exit_code is None:
        yield Violation("Le client n'a pas fini dans le temps du scénario ; il a été arrêté.", last)
    else:
        yield Violation(f"Le client s'est arrêté avec le code de sortie {context.exit_code}.", last)


def check_personas_processed(traffic: Traffic, context: Context) -> Iterator[Violation]:
    """As many distinct people looked up by Recherche usager as the batch holds."""
    searched = {
        call.person_hash
        for call in traffic.api_calls
        if call.api in RECHERCHE_APIS and call.person_hash is not None
    }
    if len(searched) < context.personas:
        yield Violation(
            f"{len(searched)} personne(s) distincte(s) recherchée(s) sur {context.personas} "
            "remise(s) au client.",
            (),
        )


CHECKS: Mapping[str, Check] = {
    "batch-completes": check_batch_completes,
    "personas-processed": check_personas_processed,
    "token-realm": check_token_realm,
    "token-scopes-covering": check_token_scopes_covering,
    "token-scopes-minimal": check_token_scopes_minimal,
    "token-reuse": check_token_reuse,
    "token-renewal": check_token_renewal,
    "no-secret-in-url": check_no_secret_in_url,
    "no-nir-in-url": check_no_nir_in_url,
    "agent-headers": check_agent_headers,
    "jeton-from-recherche": check_jeton_from_recherche,
    "jeton-expired-reuse": check_jeton_expired_reuse,
    "recherche-first": check_recherche_first,
    "no-functional-retry": check_no_functional_retry,
    "no-content-no-retry": check_no_content_no_retry,
    "retry-bounded": check_retry_bounded,
    "retry-backoff": check_retry_backoff,
    "retry-after-honoured": check_retry_after_honoured,
    "patience-6s": check_patience_6s,
    "outage-rate": check_outage_rate,
    "subscribed-apis": check_subscribed_apis,
    "rsa-only": check_rsa_only,
    "formats": check_formats,
}
"""The check of each rule id, in registry order."""

if tuple(CHECKS) != RULE_IDS:  # pragma: no cover - a registry edit without its check
    raise RuntimeError("every client rule needs exactly one check, in registry order")


def _finding(rule: ClientRule, violation: Violation) -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message=violation.message,
        hint=rule.hint,
        clause=rule.clause,
        evidence=[
            Evidence(call=call.index, at=iso(call.arrived_at), excerpt=excerpt(call))
            for call in violation.calls
        ],
    )


def evaluate(
    entries: Sequence[Mapping[str, Any]],
    context: Context,
    rules: Sequence[str] | None = None,
) -> Report:
    """Grade a scenario's journal entries: the scenario's Report (kind ``client``).

    ``rules`` narrows the rules evaluated (unknown ids raise ``KeyError``); a rule with nothing
    to judge in this traffic is left out of ``Report.rules``. Findings come in registry order,
    then by their first call.
    """
    wanted = set(RULE_IDS if rules is None else rules)
    unknown = wanted - set(RULE_IDS)
    if unknown:
        raise KeyError(f"unknown client rule(s): {', '.join(sorted(unknown))}")
    traffic = Traffic(entries)
    report = Report(source=context.scenario, kind="client", rows=len(traffic))
    for rule in RULES:
        if rule.id not in wanted or not rule.applies(traffic, context):
            continue
        report.rules.append(rule.id)
        violations = sorted(
            CHECKS[rule.id](traffic, context),
            key=lambda v: (v.calls[0].index if v.calls else 0, v.message),
        )
        for violation in violations:
            report.add(_finding(rule, violation))
    return report
