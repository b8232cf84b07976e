"""The dossier France Travail holds for a person before any partner writes: a pure function.

``baseline(seed, person, epoch)`` draws from ``derive_rng(seed, "diagnostic", person.key)`` only,
so a person's dossier never changes when other facets or people are added. Dates are laid out
before the population epoch, like the registration dates of the population.

Who has what (the diagnostic is opened at registration):
- registered people (Inscrit) have 1 to 3 diagnostics EN_COURS, the first one prioritaire;
- people whose registration ended (Cessé, Radié) have one ARCHIVE diagnostic, or nothing (half);
- people never registered (Identifié) have no dossier at all: every GET answers 204.
A person with a diagnostic also has explored contraintes and an explored pouvoir d'agir, and an
autonomie numérique: explored for some, "not explored" for the others. France Travail's published
examples always show both parts as objects and no source says they may be null, so a generated
dossier never leaves them null: the référentiel has no "not explored" answer to the pouvoir
d'agir questions (OUI, NON, NE_SAIT_PAS), and a not explored autonomie numérique is an
``AutonomieNumerique`` with nothing explored, which reads besoin 7 ``NON_EXPLORE`` and
contrainte 22 ``NON_ABORDEE`` with a null agent and date. Only a persona's
``diagnostic.partiesNulles`` leaves a part null, for clients that test that case.
Each diagnostic names an appellation of the ROME 4.0 referential, drawn like the métiers
recherchés (``careers.referentiel.draw_fiche``).
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import string
import uuid

from sandbox.careers.referentiel import draw_fiche
from sandbox.diagnostics.models import (
    Agent,
    AutonomieNumerique,
    BesoinValeur,
    CodeTypologie,
    Contrainte,
    Contraintes,
    ContrainteValeur,
    Diagnostic,
    Dossier,
    Explored,
    Impact,
    ObjectifValeur,
    PouvoirAgir,
    Reponse,
    SituationValeur,
    StatutDiagnostic,
)
from sandbox.diagnostics.referentiel import ContrainteRef, Referentiel, referentiel
from sandbox.population.models import DossierPart, Person, RegistrationStatus
from sandbox.population.referentials import nomenclatures
from sandbox.randomness import derive_rng

_ARCHIVED_WITHOUT_DOSSIER = 0.5
_SECOND_DIAGNOSTIC = 0.35
_THIRD_DIAGNOSTIC = 0.1
_PROJET_DE_METIER = 0.25
_AUTONOMIE = 0.4
_IMPACTS = (Impact.FORT, Impact.MOYEN, Impact.FAIBLE)


def random_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from ``rng``."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def baseline(seed: int, person: Person, epoch: dt.date) -> Dossier:
    """The dossier of a person nobody has written to."""
    rng = derive_rng(seed, "diagnostic", person.key)
    status = person.registration.status
    if status is RegistrationStatus.IDENTIFIE:
        return Dossier()
    archived = status is not RegistrationStatus.INSCRIT
    if archived and rng.random() < _ARCHIVED_WITHOUT_DOSSIER:
        return Dossier()
    ref = referentiel()
    agent = _conseiller(rng, ref, person)
    anchor = dt.datetime.combine(epoch, dt.time(9), tzinfo=dt.UTC)
    opened = anchor - dt.timedelta(days=rng.randint(60, 700), minutes=rng.randint(0, 480))
    count = (
        1
        if archived
        else 1 + (rng.random() < _SECOND_DIAGNOSTIC) + (rng.random() < _THIRD_DIAGNOSTIC)
    )
    diagnostics = [
        _diagnostic(rng, ref, agent, opened + dt.timedelta(days=7 * n), n == 0, archived)
        for n in range(count)
    ]
    explored = opened + dt.timedelta(days=rng.randint(1, 40))
    dossier = Dossier(diagnostics=diagnostics, contraintes=_contraintes(rng, ref, agent, explored))
    dossier.pouvoir_agir = PouvoirAgir(
        confiance=rng.choice(list(Reponse)),
        accompagnement=rng.choice(list(Reponse)),
        at=explored,
        agent=agent,
    )
    dossier.autonomie = (
        _autonomie(rng, ref, agent, explored) if rng.random() < _AUTONOMIE else AutonomieNumerique()
    )
    if DossierPart.POUVOIR_AGIR in person.null_dossier_parts:
        dossier.pouvoir_agir = None
    if DossierPart.AUTONOMIE_NUMERIQUE in person.null_dossier_parts:
        dossier.autonomie = None
    return dossier


def _conseiller(rng: random.Random, ref: Referentiel, person: Person) -> Agent:
    who = rng.choice(ref.conseillers)
    letters = "".join(rng.choice(string.ascii_lowercase) for _ in range(4))
    agency = nomenclatures()["agences_safir"].get(person.safir_agency)
    return Agent(
        identifiant=f"{letters}{rng.randint(0, 9999):04d}",
        nom=who.nom,
        prenom=who.prenom,
        structure=f"France Travail {agency}" if agency else "France Travail",
        type="AGENT",
    )


def _diagnostic(
    rng: random.Random,
    ref: Referentiel,
    agent: Agent,
    opened: dt.datetime,
    first: bool,
    archived: bool,
) -> Diagnostic:
    fiche = draw_fiche(rng)
    appellation = rng.choice(fiche.appellations)
    typologie = CodeTypologie.PM if rng.random() < _PROJET_DE_METIER else CodeTypologie.MR
    explored = opened + dt.timedelta(days=rng.randint(0, 30))
    codes = [b.code for t in ref.besoins_diagnostic for b in t.besoins]
    besoins: dict[str, Explored[BesoinValeur]] = {
        code: Explored(
            valeur=rng.choice((BesoinValeur.BESOIN, BesoinValeur.POINT_FORT)),
            at=explored,
            agent=agent,
        )
        for code in sorted(rng.sample(codes, rng.randint(2, 6)), key=int)
    }
    sealed = base64.urlsafe_b64encode(rng.randbytes(32)).rstrip(b"=").decode()
    return Diagnostic(
        id=random_uuid(rng),
        id_metier_chiffre=f"{random_uuid(rng)}#{sealed}",
        nom_metier=appellation.libelle,
        typologie=ref.typologies[typologie.value],
        code_typologie=typologie,
        code_rome=fiche.code,
        code_appellation=appellation.code,
        statut=StatutDiagnostic.ARCHIVE if archived else StatutDiagnostic.EN_COURS,
        prioritaire=first and not archived,
        agent=agent,
        updated_at=opened,
        project_updated_at=opened,
        besoins=besoins,
        besoins_at=explored,
        besoins_agent=agent,
    )


def _explored_contrainte(
    rng: random.Random, ref: ContrainteRef, agent: Agent, at: dt.datetime
) -> Contrainte:
    situations = rng.sample(ref.situations, rng.randint(1, min(2, len(ref.situations))))
    objectif = rng.choice(ref.objectifs)
    return Contrainte(
        valeur=ContrainteValeur.OUI,
        impact=rng.choice(_IMPACTS),
        at=at,
        situations={
            s.code: Explored(valeur=SituationValeur.OUI, at=at, agent=agent) for s in situations
        },
        objectifs={objectif.code: Explored(valeur=ObjectifValeur.EN_COURS, at=at, agent=agent)},
    )


def _contraintes(
    rng: random.Random, ref: Referentiel, agent: Agent, at: dt.datetime
) -> Contraintes:
    chosen = rng.sample(ref.contraintes_thematique, rng.randint(0, 3))
    items = {c.code: _explored_contrainte(rng, c, agent, at) for c in chosen}
    if items and rng.random() < 0.5:
        items[rng.choice(sorted(items))].prioritaire = True
    return Contraintes(
        at=at,
        agent=agent,
        sans_contrainte=not items,
        sans_contrainte_at=at,
        items=dict(sorted(items.items(), key=lambda item: int(item[0]))),
    )


def _autonomie(
    rng: random.Random, ref: Referentiel, agent: Agent, at: dt.datetime
) -> AutonomieNumerique:
    numerique = ref.contrainte(ref.contrainte_numerique)
    assert numerique is not None
    contrainte = _explored_contrainte(rng, numerique, agent, at)
    if rng.random() < 0.3:
        contrainte.valeur = ContrainteValeur.CLOTUREE
    return AutonomieNumerique(
        at=at,
        agent=agent,
        besoin=Explored(
            valeur=rng.choice((BesoinValeur.BESOIN, BesoinValeur.POINT_FORT)), at=at, agent=agent
        ),
        contrainte=contrainte,
    )
