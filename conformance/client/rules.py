"""The client-conformance rules, as data: one ``ClientRule`` per stable id.

Each rule names the convention clause or the platform rule it enforces, says in French what it
checks and how to fix a failure, and carries ``applies``: whether a scenario's traffic gives it
something to judge (a rule with nothing to judge is not listed as passed). The check functions
are in ``conformance.client.checks``; reports, JUnit cases and the reference clients' defects
refer to the ids, which never change.

Clauses cite the convention n° 2024-253 (``/work/shared/seed``: Art. 1, 4, 5, Annexe 2 §1, §3,
§5, §10, Annexe 3 §1.2) and the platform's documentation as gathered in the project's reference
(``francetravail-partner-apis.md``: §1.2 OAuth2 token endpoint, §1.3 headers, §1.4 jeton
usager, §1.5 quotas and service levels, §7.2 statuses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from conformance.client.traffic import (
    RECHERCHE_APIS,
    Call,
    Context,
    Traffic,
    catalogue_entry,
    is_functional,
    is_rate_limited,
    is_token_refusal,
    is_transient,
)
from sandbox.findings import Severity

Applies = Callable[[Traffic, Context], bool]


@dataclass(frozen=True, slots=True)
class ClientRule:
    """One rule of a client's conformance."""

    id: str
    title: str
    severity: Severity
    clause: str
    explanation: str
    hint: str
    applies: Applies
    judges: str
    """When the rule has something to judge, in French (the report's "non évaluée" reason)."""


def _token_requests(traffic: Traffic, context: Context) -> bool:
    return bool(traffic.token_requests)


def _tokens_or_calls(traffic: Traffic, context: Context) -> bool:
    return bool(traffic.calls)


def _issued_tokens_used(traffic: Traffic, context: Context) -> bool:
    return any(traffic.issuer(c.token) is not None for c in traffic.api_calls)


def _issued_tokens(traffic: Traffic, context: Context) -> bool:
    return any(
        c.token_request is not None and c.token_request.issued_token is not None
        for c in traffic.calls
    )


def _renewals(traffic: Traffic, context: Context) -> bool:
    return len(traffic.token_requests) > 1 or any(is_token_refusal(c) for c in traffic.calls)


def _agent_realm_calls(traffic: Traffic, context: Context) -> bool:
    return any(_realm(c) == "/agent" for c in traffic.api_calls)


def _realm(call: Call) -> str | None:
    entry = catalogue_entry(call)
    return entry.realm if entry is not None else None


def _jetons(traffic: Traffic, context: Context) -> bool:
    return any(c.jeton is not None for c in traffic.calls)


def _expired_jetons(traffic: Traffic, context: Context) -> bool:
    return any(c.code_erreur == "ERR_JETON_USAGER_EXPIRE" for c in traffic.calls)


def _person_calls(traffic: Traffic, context: Context) -> bool:
    return any(
        traffic.references(c)
        or c.code_erreur in ("ERR_JETON_USAGER_ABSENT", "ERR_IDENTIFIANT_ABSENT")
        for c in traffic.api_calls
    )


def _functional_outcomes(traffic: Traffic, context: Context) -> bool:
    return any(is_functional(c) for c in traffic.calls)


def _no_content(traffic: Traffic, context: Context) -> bool:
    return any(c.status == 204 for c in traffic.calls)


def _transients(traffic: Traffic, context: Context) -> bool:
    return any(is_transient(c) for c in traffic.calls)


def _rate_limits(traffic: Traffic, context: Context) -> bool:
    return any(is_rate_limited(c) and c.retry_after is not None for c in traffic.calls)


def _outages(traffic: Traffic, context: Context) -> bool:
    return any(c.fault_type == "outage" or c.status == 503 for c in traffic.api_calls)


def _subscription_known(traffic: Traffic, context: Context) -> bool:
    return bool(context.scopes) and bool(traffic.api_calls)


def _out_of_perimeter(traffic: Traffic, context: Context) -> bool:
    return any(
        (c.api in RECHERCHE_APIS and c.code_retour == "R001")
        or c.code_erreur == "ERR_USAGER_HORS_PERIMETRE"
        for c in traffic.calls
    )


def _person_data(traffic: Traffic, context: Context) -> bool:
    return any(
        c.request is not None or c.code_retour == "R997" or c.code_erreur == "ERR_DONNEE_INCORRECTE"
        for c in traffic.api_calls
    )


E = Severity.ERROR
_OAUTH = "Plateforme francetravail.io, jeton d'accès OAuth2 « client credentials » (référence §1.2)"


def _launched(traffic: Traffic, context: Context) -> bool:
    return context.launched


def _personas_known(traffic: Traffic, context: Context) -> bool:
    return context.personas > 0


RULES: tuple[ClientRule, ...] = (
    ClientRule(
        id="batch-completes",
        title="Lot mené à son terme",
        severity=E,
        clause="Convention Annexe 2 §3 : une disponibilité de 98 % et des réponses jusqu'à 6 s "
        "sont le service normal ; un client doit traverser une faute passagère sans s'arrêter.",
        explanation="Le client lancé s'est arrêté en erreur (code de sortie non nul) ou n'a pas "
        "fini dans le temps du scénario : un lot qui meurt sur une erreur OAuth, un 503 ou un "
        "délai laisse des personnes non traitées.",
        hint="Traitez chaque réponse documentée (codes retour, 204, 429, 5xx, coupures) sans "
        "interrompre le lot ; n'abandonnez qu'après une indisponibilité prolongée, en le "
        "signalant.",
        applies=_launched,
        judges="un client lancé par le kit",
    ),
    ClientRule(
        id="personas-processed",
        title="Chaque personne du lot recherchée",
        severity=E,
        clause="Convention Annexe 2 §1 : la Recherche usager est le point d'entrée de chaque "
        "personne du lot, avant toute autre API.",
        explanation="Moins de personnes distinctes ont été recherchées que le lot n'en "
        "contenait : le client en a sauté, ou s'est arrêté avant la fin.",
        hint="Recherchez chaque personne du fichier remis (`FT_PERSONAS`), même après une erreur "
        "sur la précédente.",
        applies=_personas_known,
        judges="un lot de personnes connu du kit",
    ),
    ClientRule(
        id="token-realm",
        title="Jeton demandé sur le royaume de l'API appelée",
        severity=E,
        clause=f"{_OAUTH} : le `realm` passé en paramètre de la requête de jeton est celui de "
        "l'API — `/agent` pour la génération 2 et la famille usager, `/partenaire` pour la "
        "génération 1 (référence §0, §1.1).",
        explanation="Un jeton d'accès ne vaut que dans son royaume : la passerelle refuse (401) "
        "un jeton `/partenaire` présenté à une API `/agent`, et inversement.",
        hint="Demandez un jeton par royaume (`?realm=/agent` pour Rechercher usager v2, Statut "
        "usager v2… ; `?realm=/partenaire` pour les API v1) et présentez à chaque API le jeton "
        "de son royaume.",
        applies=_issued_tokens_used,
        judges="des appels faits avec un jeton délivré dans le journal",
    ),
    ClientRule(
        id="token-scopes-covering",
        title="Jeton portant les scopes des API appelées",
        severity=E,
        clause=f"{_OAUTH} : `scope` liste les scopes techniques et applicatifs de chaque API "
        "appelée ; un scope inconnu ou non souscrit est refusé `invalid_scope`.",
        explanation="Un appel refusé 403 par la passerelle (scope manquant) ou une demande de "
        "jeton refusée `invalid_scope` montre un client qui demande trop peu, ou les mauvais "
        "scopes.",
        hint="Demandez, dans le royaume de l'API, tous les scopes de sa fiche du catalogue "
        "(par exemple `api_rechercher-usagerv2 rechercheusager profil_accedant`), et seulement "
        "des scopes souscrits par l'application.",
        applies=_tokens_or_calls,
        judges="des demandes de jeton ou des appels d'API",
    ),
    ClientRule(
        id="token-scopes-minimal",
        title="Jeton limité aux scopes nécessaires",
        severity=E,
        clause="Convention Art. 5 (confidentialité : procédés d'authentification adaptés) et "
        "Annexe 2 §1 (le partenaire est responsable des codes d'accès et de leur usage) : un "
        "jeton ne porte que les habilitations dont ses appels ont besoin.",
        explanation="Un scope demandé dont aucun appel fait avec ce jeton n'a eu besoin élargit "
        "sans raison ce qu'un jeton dérobé ouvrirait.",
        hint="Construisez `scope` à partir des API que le traitement appelle réellement avec ce "
        "jeton ; retirez les autres.",
        applies=_issued_tokens,
        judges="des jetons délivrés",
    ),
    ClientRule(
        id="token-reuse",
        title="Jeton réutilisé jusqu'à son expiration",
        severity=E,
        clause=f"{_OAUTH} : un jeton vaut `expires_in` secondes (1499) et se réutilise jusque-là ;"
        " les clients de référence le gardent en cache jusqu'à 60 s de son expiration.",
        explanation="Demander un nouveau jeton alors que le précédent vaut encore plus de 60 s et "
        "n'a pas été refusé (un jeton par appel, ou par personne) multiplie les appels au "
        "service d'authentification.",
        hint="Gardez le jeton en cache (par royaume) jusqu'à `expires_in` − 60 s ; n'en demandez "
        "un nouveau qu'à son expiration ou après un refus 401.",
        applies=_token_requests,
        judges="des demandes de jeton",
    ),
    ClientRule(
        id="token-renewal",
        title="Jeton renouvelé sans rafale",
        severity=E,
        clause=f"{_OAUTH} : un jeton expiré ou révoqué (401) se remplace par un seul nouveau "
        "jeton ; Annexe 2 §3 (capacité du service).",
        explanation="Après un refus 401 du jeton, plus de 2 demandes de jeton avant l'appel "
        "suivant, ou des demandes de jeton à la suite plus rapprochées qu'une par seconde, "
        "forment une rafale contre le service d'authentification.",
        hint="Sur un 401 de la passerelle : oubliez le jeton, demandez-en un seul nouveau, "
        "rejouez l'appel une fois ; sur un échec de la demande de jeton, attendez avant de "
        "réessayer.",
        applies=_renewals,
        judges="un refus du jeton ou plusieurs demandes de jeton",
    ),
    ClientRule(
        id="no-secret-in-url",
        title="Aucun secret dans une URL",
        severity=E,
        clause="Annexe 2 §1 : « Le partenaire est responsable des codes d'accès à l'API […] Il "
        "veille notamment à ce que ces codes ne puissent pas être « aspirés » » ; Art. 5 "
        "(confidentialité).",
        explanation="Un secret client, un jeton d'accès ou un jeton usager dans une URL finit "
        "dans les journaux des serveurs et des proxys.",
        hint="Envoyez `client_secret` dans le corps du formulaire de la demande de jeton, le "
        "jeton d'accès dans `Authorization: Bearer`, le jeton usager dans `ft-jeton-usager`.",
        applies=_tokens_or_calls,
        judges="des appels",
    ),
    ClientRule(
        id="no-nir-in-url",
        title="Aucun NIR dans une URL",
        severity=E,
        clause="Convention Art. 4 (données personnelles ; décret n° 2019-341 sur l'usage du NIR) "
        "et Art. 5 (confidentialité) : le NIR voyage dans le corps des requêtes.",
        explanation="Un NIR dans le chemin ou la chaîne de requête est écrit en clair dans les "
        "journaux de chaque serveur traversé.",
        hint='Passez le NIR dans le corps JSON de Recherche usager (`{"nir", '
        '"dateNaissance"}`), puis le jeton usager rendu, jamais le NIR.',
        applies=_tokens_or_calls,
        judges="des appels",
    ),
    ClientRule(
        id="agent-headers",
        title="En-têtes pa-* présents, non vides, sans |",
        severity=E,
        clause="Plateforme francetravail.io : `pa-nom-agent`, `pa-prenom-agent`, "
        "`pa-identifiant-agent` « obligatoires en mode Client Credentials », caractère | "
        "interdit (référence §1.3) ; Art. 5 (traçabilité des opérations).",
        explanation="Les API du royaume `/agent` tracent l'agent (ou le traitement) pour qui "
        "l'appel est fait : en-tête absent → 302, vide ou avec | → 401.",
        hint="Envoyez les trois en-têtes à chaque appel du royaume `/agent` ; un traitement "
        "envoie son nom logique et `BATCH` en `pa-identifiant-agent`.",
        applies=_agent_realm_calls,
        judges="des appels d'API du royaume /agent",
    ),
    ClientRule(
        id="jeton-from-recherche",
        title="Jeton usager obtenu par Rechercher usager",
        severity=E,
        clause="Plateforme francetravail.io : `ft-jeton-usager` est le `jetonUsager` rendu par "
        "Rechercher usager v2 (référence §1.3, §1.4) ; Annexe 2 §10.1 (l'identifiant chiffré "
        "rendu par Recherche usager permet la consommation des autres services).",
        explanation="Un jeton usager qu'aucune réponse de Rechercher usager v2 de ce client n'a "
        "rendu est fabriqué, ou emprunté à une autre application ou à un autre lancement.",
        hint="Utilisez tel quel le `jetonUsager` de la réponse S001 de Rechercher usager v2 pour "
        "cette personne ; ne le construisez pas, ne le partagez pas entre applications.",
        applies=_jetons,
        judges="des appels portant un jeton usager",
    ),
    ClientRule(
        id="jeton-expired-reuse",
        title="Jeton usager expiré non réutilisé",
        severity=E,
        clause="Plateforme francetravail.io : le jeton usager est « volatile », valable un jour "
        "(référence §1.4) ; expiré, il se remplace par une nouvelle Recherche.",
        explanation="Réutiliser un jeton usager après une réponse qui l'a refusé comme expiré "
        "n'aboutira jamais.",
        hint="Sur `ERR_JETON_USAGER_EXPIRE`, oubliez ce jeton et refaites Rechercher usager "
        "pour la personne (une fois), puis rejouez l'appel avec le nouveau jeton.",
        applies=_expired_jetons,
        judges="un jeton usager refusé comme expiré",
    ),
    ClientRule(
        id="recherche-first",
        title="Recherche usager avant tout appel sur une personne",
        severity=E,
        clause="Annexe 2 §10.1 : l'identifiant rendu par Recherche usager « permet la "
        "consommation d'autres services API nécessitant un identifiant individu en clé "
        "d'appel ».",
        explanation="Un appel sur une personne sans référence (jeton usager ou identifiant), "
        "ou avec une référence qu'une Recherche ne rend que plus tard, ou un identifiant v1 "
        "qu'aucune Recherche usager v1 n'a rendu, saute l'étape qui identifie la personne.",
        hint="Pour chaque personne : Recherche usager d'abord (NIR et date de naissance), puis "
        "les autres API avec le jeton usager (v2) ou l'identifiant (v1) rendu.",
        applies=_person_calls,
        judges="des appels sur une personne",
    ),
    ClientRule(
        id="no-functional-retry",
        title="Pas de rejeu d'une réponse fonctionnelle",
        severity=E,
        clause="Annexe 2 §10.1 (codes retour fonctionnels SXXX / RXXX) : S002, S003, R001, R002, "
        "R997, R998 sont des réponses définitives pour la personne, pas des pannes.",
        explanation="Rejouer la même requête après une réponse fonctionnelle (ou un refus 4xx "
        "avec `codeErreur`) donne la même réponse et charge le service pour rien.",
        hint="Traitez S002/S003/R001/R002/R997/R998 et les refus `codeErreur` comme le résultat "
        "pour cette personne : consignez-le et passez à la suivante.",
        applies=_functional_outcomes,
        judges="des réponses fonctionnelles",
    ),
    ClientRule(
        id="no-content-no-retry",
        title="204 traité comme « pas de donnée »",
        severity=E,
        clause="Plateforme francetravail.io : 204 signifie « aucune donnée » (référence §7.2).",
        explanation="Rejouer aussitôt (moins de 5 s) une requête répondue 204 la traite comme "
        "une panne alors que la réponse est complète.",
        hint="Sur 204, enregistrez « pas de donnée » pour la personne et continuez.",
        applies=_no_content,
        judges="des réponses 204",
    ),
    ClientRule(
        id="retry-bounded",
        title="Rejeux bornés après une panne",
        severity=E,
        clause="Convention Annexe 2 §3 (disponibilité 98 %, retour au service) et §5 (gestion "
        "des incidents) : une panne se signale, elle ne se force pas.",
        explanation="Plus de 3 rejeux de la même requête après des 5xx, des coupures ou des "
        "délais dépassés prolongent la panne qu'ils subissent.",
        hint="Rejouez au plus 3 fois (0,5 s, 1 s, 2 s), puis passez la personne en erreur et "
        "ouvrez un disjoncteur si les pannes se suivent.",
        applies=_transients,
        judges="des pannes transitoires",
    ),
    ClientRule(
        id="retry-backoff",
        title="Rejeux espacés de façon croissante",
        severity=E,
        clause="Convention Annexe 2 §3 (disponibilité et retour au service) et §5 (gestion des "
        "incidents).",
        explanation="Des rejeux après une panne dont l'intervalle ne croît pas, ou est inférieur "
        "à 0,2 s, frappent le service au moment où il se rétablit.",
        hint="Espacez les rejeux de façon exponentielle (0,5 s, 1 s, 2 s) ; un `Retry-After` "
        "plus long l'emporte.",
        applies=_transients,
        judges="des pannes transitoires",
    ),
    ClientRule(
        id="retry-after-honoured",
        title="Retry-After respecté",
        severity=E,
        clause="Plateforme francetravail.io : quota dépassé → 429 `text/plain` avec `Retry-After`"
        " (secondes à attendre) (référence §1.5).",
        explanation="Rappeler la même API avant la fin du délai `Retry-After` d'un 429 prolonge "
        "le dépassement de quota.",
        hint="Sur 429, lisez `Retry-After` (même sur un corps texte) et n'appelez plus cette API "
        "avant ce délai.",
        applies=_rate_limits,
        judges="des réponses 429 avec Retry-After",
    ),
    ClientRule(
        id="patience-6s",
        title="Patience d'au moins 6 secondes",
        severity=E,
        clause="Convention Annexe 2 §3 : « Temps de réponse pouvant atteindre 6 secondes et "
        "exceptionnellement plus, pour une requête complexe ».",
        explanation="Un client qui abandonne un appel avant 6 s abandonne des réponses que les "
        "niveaux de service prévoient.",
        hint="Réglez le délai d'attente des appels à 10 s au moins (lecture de la réponse "
        "comprise).",
        applies=_tokens_or_calls,
        judges="des appels",
    ),
    ClientRule(
        id="outage-rate",
        title="Débit borné pendant une indisponibilité",
        severity=E,
        clause="Convention Annexe 2 §3 (retour au service) et §5 (gestion des incidents).",
        explanation="Pendant une indisponibilité (503), plus d'un appel par seconde en moyenne, "
        "ou trop d'appels pour une même personne, retardent le retour au service.",
        hint="Après des pannes pour deux personnes de suite, ouvrez un disjoncteur : attendez, "
        "sondez avec un seul appel, abandonnez le lot après une minute sans succès.",
        applies=_outages,
        judges="une indisponibilité",
    ),
    ClientRule(
        id="subscribed-apis",
        title="Seulement les API souscrites",
        severity=E,
        clause="Convention Annexe 2 (API cochées) et §1 (accès par la plateforme francetravail.io "
        "pour l'application déclarée) : seules les API souscrites par l'application.",
        explanation="Un appel à une API que l'application n'a pas souscrite (ou absente du "
        "catalogue) sort du périmètre de la convention.",
        hint="Retirez ces appels, ou souscrivez l'API pour l'application sur francetravail.io "
        "(avenant à la convention si elle n'y figure pas).",
        applies=_subscription_known,
        judges="des appels d'API, la souscription du client étant connue",
    ),
    ClientRule(
        id="rsa-only",
        title="Seulement les allocataires du RSA",
        severity=E,
        clause="Convention Art. 1 et Annexe 3 §1.2 : accès au dossier d'une personne « uniquement "
        "si celle-ci est allocataire du RSA ».",
        explanation="Continuer d'appeler sur une personne après une réponse la disant hors "
        "périmètre (R001, `ERR_USAGER_HORS_PERIMETRE`) traite des personnes que la convention "
        "n'ouvre pas.",
        hint="Sur R001 ou `ERR_USAGER_HORS_PERIMETRE`, arrêtez tout traitement de la personne et "
        "retirez-la du lot.",
        applies=_out_of_perimeter,
        judges="une réponse « hors périmètre »",
    ),
    ClientRule(
        id="formats",
        title="Dates et NIR aux formats documentés",
        severity=E,
        clause="Convention Annexe 2 §10.1 : « Date de naissance (AAAA-MM-JJ) », « NIR complet » "
        "(15 caractères).",
        explanation="Une requête refusée pour son format (R997, `ERR_DONNEE_INCORRECTE`), ou "
        "dont `dateNaissance` n'est pas AAAA-MM-JJ ou le NIR pas de 15 caractères, n'identifie "
        "personne.",
        hint="Envoyez `dateNaissance` au format AAAA-MM-JJ et le NIR complet (15 caractères, clé "
        "comprise, sans espace).",
        applies=_person_data,
        judges="des requêtes portant des données",
    ),
)

RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)
_BY_ID = {rule.id: rule for rule in RULES}


def rule(rule_id: str) -> ClientRule:
    """The rule of an id; ``KeyError`` for an unknown id."""
    return _BY_ID[rule_id]


def titles() -> dict[str, str]:
    """Rule id → French title, for the reports (in registry order)."""
    return {rule.id: rule.title for rule in RULES}
