"""The profil de compétences: deterministic, coherent métiers and CREF projects from real data."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sandbox.careers import Careers, baseline
from sandbox.careers.models import Mobility
from sandbox.careers.referentiel import COMMON_FICHES, nomenclatures, rome_by_code
from sandbox.population import Population
from sandbox.population.models import Person
from sandbox.population.personas import load_personas
from sandbox.population.referentials import communes_by_code
from sandbox.resources import fixtures_dir

EPOCH = dt.date(2026, 1, 1)
SEED = 2024253
POPULATION = Population(SEED, 10_000, EPOCH)
seeds = st.integers(min_value=0, max_value=2**63)
indices = st.integers(min_value=0, max_value=9_999)


def _assert_real_mobility(mobility: Mobility, person: Person) -> None:
    commune = communes_by_code()[mobility.place.code]
    assert mobility.place.libelle == commune.nom
    assert (mobility.place.type.code, mobility.place.type.libelle) == ("5", "Commune")
    assert mobility.radius is not None and mobility.radius > 0
    assert mobility.unit is not None and mobility.unit.code in {"KM", "MN"}
    if person.address is not None:
        assert commune.departement == person.address.departement


def _assert_coherent(careers: Careers, person: Person) -> None:
    names = nomenclatures()
    for job in careers.jobs:
        fiche = rome_by_code()[job.rome.code]
        assert job.rome.libelle == fiche.libelle
        assert job.appellation in fiche.appellations
        assert names.typologies[job.typology.code] == job.typology.libelle
        assert [c.priority for c in job.contracts] == list(range(len(job.contracts)))
        assert len({c.type.code for c in job.contracts}) == len(job.contracts)
        for contract in job.contracts:
            assert names.contract_types[contract.type.code] == contract.type
        for hours in job.weekly_hours:
            if hours.working_time.code == "2":
                assert hours.min_hours is not None and hours.max_hours is not None
                assert 1 <= hours.min_hours <= hours.max_hours <= 35
            else:
                assert (hours.min_hours, hours.max_hours) == (None, None)
        if job.experience is not None:
            assert job.experience.value >= 1
        assert job.mobilities
        for mobility in job.mobilities:
            _assert_real_mobility(mobility, person)
        if job.salary is not None:
            assert job.salary.scale in names.salary_scales and job.salary.amount >= 1
        assert (job.home_mobility is None) == (person.address is None)
    for project in careers.projects:
        assert project.creation or project.takeover or project.franchise
        assert project.appellation in rome_by_code()[project.rome.code].appellations
        for mobility in project.mobilities:
            _assert_real_mobility(mobility, person)
    own_business = [job for job in careers.jobs if job.typology.code == "EF"]
    assert {job.appellation for job in own_business} <= {p.appellation for p in careers.projects}


@given(seed=seeds, index=indices)
def test_the_same_seed_gives_the_same_profile(seed: int, index: int) -> None:
    first = Population(seed, 10_000, EPOCH).generated(index)
    again = Population(seed, 10_000, EPOCH).generated(index)
    assert baseline(seed, first) == baseline(seed, again)


@given(seed=seeds, index=indices)
def test_every_profile_is_coherent_with_the_reference_data(seed: int, index: int) -> None:
    person = Population(seed, 10_000, EPOCH).generated(index)
    _assert_coherent(baseline(seed, person), person)


def test_personas_get_a_profile_from_their_key_like_everyone_else() -> None:
    personas, _ = load_personas(fixtures_dir() / "personas")
    assert personas
    for persona in personas:
        careers = baseline(SEED, persona)
        _assert_coherent(careers, persona)
        assert careers == baseline(SEED, persona)


def test_some_people_have_filled_in_nothing_and_some_have_projects() -> None:
    profiles = [baseline(SEED, POPULATION.generated(i)) for i in range(600)]
    empty = sum(1 for p in profiles if not p.jobs)
    with_projects = sum(1 for p in profiles if p.projects)
    assert 0.1 < empty / len(profiles) < 0.3
    assert 0.05 < with_projects / len(profiles) < 0.2
    assert all(p.jobs for p in profiles if p.projects)


def test_the_profile_depends_on_the_seed() -> None:
    person = POPULATION.generated(42)
    profiles = {repr(baseline(seed, person)) for seed in range(20)}
    assert len(profiles) > 10


def test_most_jobs_are_common_fiches_and_some_come_from_the_whole_referential() -> None:
    jobs = [
        job
        for i in range(600)
        for job in baseline(SEED, POPULATION.generated(i)).jobs
        if job.typology.code != "EF"
    ]
    common = sum(job.rome.code in COMMON_FICHES for job in jobs)
    assert 0.7 < common / len(jobs) < 0.9
    assert len({job.rome.code for job in jobs}) > 100


def test_code_lists_are_the_specification_ones() -> None:
    names = nomenclatures()
    assert list(names.contract_types) == [
        "CDI", "CDD", "DIN", "MIS", "SAI", "LIB", "CCE", "FS", "E2", "PS"
    ]  # fmt: skip
    assert names.contract_types["SAI"].libelle_long == "Contrat travail saisonnier"
    assert names.contract_types["E2"].libelle == "Contrat d'apprentissage"
    assert names.typologies == {
        "MR": "Métier Recherché",
        "PM": "Projet de Métier",
        "EF": "Création ou Reprise d'Entreprise ou de Franchiseaire",
    }
    assert names.place_types["5"] == "Commune"
    assert names.salary_scales == ("Annuel", "Mensuel", "Cachet", "Horaire", "Autre")
