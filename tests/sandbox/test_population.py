"""The population: coherent, valid, deterministic people, found in O(1) at any size."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import nir as stdnum_nir

from sandbox.population import Population
from sandbox.population.models import BirthplaceKind, Person
from sandbox.population.nir_space import FIRST_PERSONA_ORDER, NirSpace
from sandbox.population.referentials import communes_by_code, countries

EPOCH = dt.date(2026, 1, 1)
seeds = st.integers(min_value=0, max_value=2**63)


def _assert_coherent(person: Person) -> None:
    stdnum_nir.validate(person.nir)
    body = person.nir_body
    assert body[0] == person.sex.value
    assert body[1:3] == f"{person.birth_date.year % 100:02d}"
    if person.birth_month_known:
        assert body[3:5] == f"{person.birth_date.month:02d}"
    else:
        assert body[3:5] == "20"
        assert (person.birth_date.month, person.birth_date.day) == (1, 1)
    assert 18 <= EPOCH.year - person.birth_date.year <= 64
    assert 1 <= int(body[10:13]) < FIRST_PERSONA_ORDER
    place = person.birthplace
    if place.kind is BirthplaceKind.ETRANGER:
        assert body[5:7] == "99"
        assert place.code in {c.code for c in countries()}
    elif place.kind is BirthplaceKind.CORSE:
        expected = "20" if person.birth_date.year < 1976 else place.code[:2]
        assert body[5:7] == expected
        assert body[7:10] == place.code[2:]
    else:
        assert body[5:10] == place.code
        assert place.code in communes_by_code()
    if place.kind is BirthplaceKind.OUTRE_MER:
        assert body[5:7] == "97"
    assert len(person.numero_france_travail) == 11
    assert person.numero_france_travail.isdigit()
    if person.nia:
        assert place.kind is BirthplaceKind.ETRANGER
        assert not person.identity_certified


@given(seed=seeds, index=st.integers(min_value=0, max_value=1_999_999))
def test_any_seed_and_index_gives_a_coherent_valid_person(seed: int, index: int) -> None:
    population = Population(seed, 2_000_000, EPOCH)
    person = population.generated(index)
    _assert_coherent(person)


@given(seed=seeds, index=st.integers(min_value=0, max_value=9_999))
def test_same_seed_gives_the_same_person_and_lookups_invert(seed: int, index: int) -> None:
    first = Population(seed, 10_000, EPOCH).generated(index)
    again = Population(seed, 10_000, EPOCH)
    assert again.generated(index) == first
    assert again.find_by_nir(first.nir_body) == [first]
    assert again.find_by_numero(first.numero_france_travail) == [first]
    assert again.get(first.key) == first


def test_different_seeds_give_different_people() -> None:
    a = [Population(1, 100, EPOCH).generated(i).nir for i in range(20)]
    b = [Population(2, 100, EPOCH).generated(i).nir for i in range(20)]
    assert a != b


def test_a_population_covers_every_kind_of_birthplace_and_status() -> None:
    population = Population(7, 3_000, EPOCH)
    people = [population.generated(i) for i in range(3_000)]
    kinds = {p.birthplace.kind for p in people}
    assert kinds == set(BirthplaceKind)
    assert any(not p.birth_month_known for p in people)
    assert any(p.nia for p in people)
    assert any(
        p.birthplace.code.startswith("2A") and p.birth_date.year < 1976 for p in people
    ) or any(p.nir_body[5:7] == "20" for p in people)
    assert {p.registration.status.value for p in people} == {
        "Identifié",
        "Inscrit",
        "Cessé",
        "Radié",
    }
    in_62 = sum(1 for p in people if p.address and p.address.departement == "62")
    assert 0.75 < in_62 / len(people) < 0.95
    born_62 = sum(1 for p in people if p.birthplace.code.startswith("62"))
    assert 0.45 < born_62 / len(people) < 0.65


def test_category_follows_the_orientation_as_in_convention_article_1() -> None:
    population = Population(3, 2_000, EPOCH)
    for person in (population.generated(i) for i in range(2_000)):
        category = person.registration.category
        if category is None:
            continue
        if (
            person.rsa.beneficiary
            and person.rsa.orientation
            and person.rsa.orientation.value != "pro"
        ):
            assert category.code == "5"
        else:
            assert category.code in {"1", "2", "3"}


def test_two_million_people_answer_a_lookup_without_generating_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    population = Population(42, 2_000_000, EPOCH)
    target = population.generated(1_999_999)
    built: list[int] = []
    original = population._factory.build

    def counting_build(index: int, *args: object) -> Person:
        built.append(index)
        return original(index, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(population._factory, "build", counting_build)
    assert population.find_by_nir(target.nir_body) == [target]
    assert population.find_by_numero(target.numero_france_travail) == [target]
    assert built == [1_999_999, 1_999_999]


@given(body=st.text(alphabet="0123456789AB", min_size=13, max_size=13))
def test_an_arbitrary_nir_body_never_crashes_a_lookup(body: str) -> None:
    population = Population(5, 1_000, EPOCH)
    for person in population.find_by_nir(body):
        assert person.nir_body == body


def test_the_nir_space_is_a_bijection_on_a_sample() -> None:
    space = NirSpace(2026)
    step = space.capacity // 5_000
    for x in range(0, space.capacity, step):
        assert space.encode(space.decode(x).nir_body) == x


def test_struck_off_people_are_spread_around_the_three_year_limit() -> None:
    from sandbox.population.search import is_known

    population = Population(11, 3_000, EPOCH)
    struck = [
        p
        for p in (population.generated(i) for i in range(3_000))
        if p.registration.status.value == "Radié"
    ]
    forgotten = [p for p in struck if not is_known(p, dt.date(2026, 11, 28))]
    assert 0 < len(forgotten) < len(struck)
