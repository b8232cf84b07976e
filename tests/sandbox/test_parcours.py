"""Suivi de parcours data (Annexe 3): entretiens, démarches and the suivi d'intensité.

Properties over the generated population: what Annexe 3 lists (états Actif/Réalisé/Annulé, the
four actors, the twelve applications, libellés court et long), the readings the contract states
(dates within the registration, the EDO first for a RSA beneficiary, the advisers of the view
holding the entretiens) and determinism.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from sandbox.careers.baseline import baseline
from sandbox.parcours import demarches_of, entretiens_of, suivi_intensite_of
from sandbox.parcours.conseillers import advisers_of
from sandbox.parcours.demarches import MAX_DEMARCHES
from sandbox.parcours.entretiens import MAX_ENTRETIENS
from sandbox.population import Population
from sandbox.population.models import Orientation

EPOCH = dt.date(2026, 1, 1)
SEED = 2024253
POPULATION = Population(SEED, 10_000, EPOCH)
REFERENTIEL = yaml.safe_load(
    (
        Path(__file__).resolve().parents[2] / "sandbox" / "data" / "demarches-referentiel.yaml"
    ).read_text(encoding="utf-8")
)
CODES = {
    (p["code"], q["code"], c["code"] if c else None)
    for p in REFERENTIEL["pourquoi"]
    for q in p["quoi"]
    for c in (q["comment"] or [None])
} | {(p["code"], q["code"], None) for p in REFERENTIEL["pourquoi"] for q in p["quoi"]}
# Annexe 3, « Accès aux démarches »: the actors and applications, as the PE Connect item codes them.
ACTEURS = {"INDIVIDU", "CONSEILLER", "PARTENAIRE", "ENTREPRISE"}
APPLICATIONS = {
    "ACTION", "ACTUALISATION", "CANDIDATURE", "JRE_CONSEILLER", "JRE_DE", "CV", "LM",
    "PUBLICATION_PROFIL", "ENTRETIEN", "RECHERCHE_ENREGISTREE", "SUGGESTION", "PASS_EMPLOI",
}  # fmt: skip
indexes = st.integers(min_value=0, max_value=9_999)


@given(index=indexes)
def test_entretiens_fall_within_the_registration(index: int) -> None:
    person = POPULATION.generated(index)
    entretiens = entretiens_of(SEED, person, EPOCH)
    registration = person.registration
    assert len(entretiens) <= MAX_ENTRETIENS
    if registration.registered_on is None:
        assert entretiens == ()
        return
    end = min(registration.ended_on or EPOCH, EPOCH)
    for entretien in entretiens:
        assert registration.registered_on <= entretien.date <= end
        assert entretien.code_agence == person.safir_agency
        assert entretien.origine == ("Individu" if entretien.type.code == "USA" else "Conseiller")
    oldest = list(reversed(entretiens))
    if oldest and person.rsa.beneficiary:
        assert oldest[0].type.code == "EDO"
        if person.rsa.orientation is Orientation.PRO and len(oldest) > 1:
            assert oldest[1].type.code == "EDA"


@given(index=indexes)
def test_demarches_follow_annexe_3_and_the_referentiel(index: int) -> None:
    person = POPULATION.generated(index)
    demarches = demarches_of(SEED, person, EPOCH)
    assert len(demarches) <= MAX_DEMARCHES
    if person.registration.registered_on is None:
        assert demarches == ()
    careers = baseline(SEED, person)
    metiers = {job.appellation.libelle for job in careers.jobs}
    for d in demarches:
        assert (d.pourquoi.code, d.quoi.code, d.comment.code if d.comment else None) in CODES
        assert person.registration.registered_on is not None
        assert person.registration.registered_on <= d.date_creation <= EPOCH
        assert d.date_debut <= d.date_fin
        assert d.origine_createur.value in ACTEURS
        assert d.origine_demarche.value in APPLICATIONS
        assert d.libelle_court == d.quoi.libelle
        assert d.libelle_long.startswith(d.quoi.libelle)
        if d.date_fin >= EPOCH:
            assert d.etat.value == "AC"  # not over yet
        assert (d.date_annulation is not None) == (d.etat.value == "AN")
        assert d.droits.annulation == (d.etat.value == "AC")
        if d.metier is not None:
            assert d.metier in metiers
        if d.pourquoi.code == "P05":
            assert careers.projects  # création d'entreprise only with a CREF project
        assert (d.nombre is not None) == (d.quoi.code == "Q14")  # candidatures are counted
    created = [d.date_creation for d in demarches]
    assert created == sorted(created, reverse=True)


@given(index=indexes)
def test_the_suivi_d_intensite_names_the_advisers_and_the_demarches_since_entry(
    index: int,
) -> None:
    person = POPULATION.generated(index)
    entretiens = entretiens_of(SEED, person, EPOCH)
    demarches = demarches_of(SEED, person, EPOCH)
    view = suivi_intensite_of(SEED, person, "BNI", entretiens, demarches)
    assert (view.nom, view.prenom, view.bni) == (person.last_name, person.first_name, "BNI")
    assert view.statut is person.registration.status
    assert len(view.identifiant_local) == 8 and view.identifiant_local[:7].isdigit()
    if person.registration.registered_on is None:
        assert view.type_parcours is None and view.conseiller_principal is None
        return
    assert view.date_entree_parcours is not None
    assert view.date_entree_parcours == min(
        [e.date for e in entretiens], default=person.registration.registered_on
    )
    assert list(view.demarches) == [
        d.libelle_court for d in demarches if d.date_creation >= view.date_entree_parcours
    ]
    principal = advisers_of(SEED, person).principal
    assert view.conseiller_principal == principal
    assert all(e.agent == principal for e in entretiens)
    assert person.safir_agency in view.codes_safir
    expected = {
        Orientation.SOCIAL: {"SOCIAL"},
        Orientation.SOCIO_PRO: {"SOCIO_PRO"},
        Orientation.PRO: {"EMPLOI", "EMPLOI_DIRECT"},
        None: {"EMPLOI", "EMPLOI_DIRECT"},
    }[person.rsa.orientation]
    assert view.type_parcours is not None and view.type_parcours.code in expected


def test_the_same_seed_gives_the_same_file_and_another_seed_another() -> None:
    people = [POPULATION.generated(i) for i in range(200)]
    again = [Population(SEED, 10_000, EPOCH).generated(i) for i in range(200)]
    first = [(entretiens_of(SEED, p, EPOCH), demarches_of(SEED, p, EPOCH)) for p in people]
    assert first == [(entretiens_of(SEED, p, EPOCH), demarches_of(SEED, p, EPOCH)) for p in again]
    other = [(entretiens_of(SEED + 1, p, EPOCH), demarches_of(SEED + 1, p, EPOCH)) for p in people]
    assert other != first


def test_every_annexe_3_state_actor_and_objective_occurs_in_the_population() -> None:
    found = [d for i in range(3_000) for d in demarches_of(SEED, POPULATION.generated(i), EPOCH)]
    assert {d.etat.value for d in found} == {"AC", "RE", "AN"}
    assert {d.origine_createur.value for d in found} == ACTEURS
    assert {d.pourquoi.code for d in found} == {p["code"] for p in REFERENTIEL["pourquoi"]}
