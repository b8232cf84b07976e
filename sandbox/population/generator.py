"""Person *i* as a pure function of (seed, i): civil data, address, RSA follow-up, registration.

Each facet draws from its own stream (``derive_rng(seed, facet, i)``) so that adding a facet
later (diagnostics, métiers…) never reshuffles the existing ones. Names and street words come from
Faker's ``fr_FR`` word lists (Faker is pinned: its lists are part of the population).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import random
from itertools import accumulate

from faker.providers.address.fr_FR import Provider as FrenchAddresses
from faker.providers.person.fr_FR import Provider as FrenchNames

from sandbox.identifiers import full_nir
from sandbox.population.models import (
    Address,
    BirthplaceKind,
    Coded,
    Orientation,
    Person,
    Registration,
    RegistrationStatus,
    RsaFollowUp,
    Sex,
)
from sandbox.population.nir_space import CivilKey
from sandbox.population.referentials import Commune, communes, label, nomenclatures
from sandbox.randomness import derive_rng, weighted_choice

_RESIDENCE_IN_62 = 0.85
_NO_ADDRESS = 0.005
_NOT_CERTIFIED = 0.03
_NIA_ABROAD = 0.35
_RSA_BENEFICIARY = 0.92
_ORIENTATIONS = ((Orientation.SOCIAL, 0.30), (Orientation.SOCIO_PRO, 0.25), (Orientation.PRO, 0.45))
_STATUSES = (
    (RegistrationStatus.INSCRIT, 0.62),
    (RegistrationStatus.IDENTIFIE, 0.06),
    (RegistrationStatus.CESSE, 0.12),
    (RegistrationStatus.RADIE, 0.20),
)
_FT_CATEGORIES = (("1", 0.6), ("2", 0.15), ("3", 0.25))
_CLOSURE_BY_STATUS = {RegistrationStatus.CESSE: ("25",), RegistrationStatus.RADIE: ("MV", "5")}
# People built are kept, up to this many (about 1.5 kB each): a CI run asks for the same few
# people again and again, and building one costs tens of microseconds.
_RECENT_PEOPLE = 8192


class _WeightedCommunes:
    def __init__(self, items: list[Commune]) -> None:
        self.items = items
        self.cumulative = list(accumulate(max(c.population, 1) for c in items))

    def pick(self, rng: random.Random) -> Commune:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


class PersonFactory:
    """Builds generated people; holds shared tables and a bounded cache of recent people."""

    def __init__(self, seed: int, epoch: dt.date) -> None:
        self.seed = seed
        self.epoch = epoch
        self._in_62 = _WeightedCommunes([c for c in communes() if c.departement == "62"])
        self._elsewhere = _WeightedCommunes([c for c in communes() if c.departement != "62"])
        agencies = nomenclatures()["agences_safir"]
        self._agencies_62 = tuple(sorted(agencies))
        self._motifs = tuple(nomenclatures()["motifs_inscription"])
        self._recent: dict[int, Person] = {}

    def build(self, index: int, civil: CivilKey, numero: str) -> Person:
        """Return generated person ``index`` whose NIR body is ``civil``."""
        # The index alone is the key: one population gives each index one civil key and numéro.
        person = self._recent.get(index)
        if person is None:
            person = self._generate(index, civil, numero)
            if len(self._recent) >= _RECENT_PEOPLE:
                # Clearing is atomic: threads (sync routes) share the cache without a lock.
                self._recent.clear()
            self._recent[index] = person
        return person

    def _generate(self, index: int, civil: CivilKey, numero: str) -> Person:
        rng = derive_rng(self.seed, "civil", index)
        first_names = (
            FrenchNames.first_names_male
            if civil.sex is Sex.MALE
            else FrenchNames.first_names_female
        )
        abroad = civil.place.kind is BirthplaceKind.ETRANGER
        nia = abroad and rng.random() < _NIA_ABROAD
        certified = not nia and rng.random() >= _NOT_CERTIFIED
        if civil.birth_month is None:
            # Only the year is on the civil-status document: by convention the 1st of January.
            birth_date = dt.date(civil.birth_year, 1, 1)
        else:
            last_day = calendar.monthrange(civil.birth_year, civil.birth_month)[1]
            birth_date = dt.date(civil.birth_year, civil.birth_month, rng.randint(1, last_day))
        address = self._address(derive_rng(self.seed, "contact", index))
        journey = derive_rng(self.seed, "parcours", index)
        rsa = self._rsa(journey, address)
        return Person(
            key=f"g{index}",
            nir=full_nir(civil.nir_body),
            nia=nia,
            sex=civil.sex,
            last_name=rng.choice(FrenchNames.last_names).upper(),
            first_name=rng.choice(first_names),
            birth_date=birth_date,
            birth_month_known=civil.birth_month is not None,
            birthplace=civil.place,
            numero_france_travail=numero,
            identity_certified=certified,
            address=address,
            safir_agency=self._agency(journey, address),
            rsa=rsa,
            registration=self._registration(journey, rsa),
        )

    def _address(self, rng: random.Random) -> Address | None:
        if rng.random() < _NO_ADDRESS:
            return None
        table = self._in_62 if rng.random() < _RESIDENCE_IN_62 else self._elsewhere
        commune = table.pick(rng)
        street = (
            f"{rng.choice(FrenchAddresses.street_prefixes)} {rng.choice(FrenchNames.last_names)}"
        )
        return Address(
            ligne=f"{rng.randint(1, 180)} {street}",
            code_postal=commune.code_postal,
            commune_code=commune.code,
            commune_nom=commune.nom,
            departement=commune.departement,
        )

    def _agency(self, rng: random.Random, address: Address | None) -> str:
        if address is not None and address.departement == "62":
            return rng.choice(self._agencies_62)
        prefix = address.departement if address and address.departement.isdigit() else "00"
        return (prefix + f"{rng.randrange(1000):03d}")[:5]

    def _rsa(self, rng: random.Random, address: Address | None) -> RsaFollowUp:
        if rng.random() >= _RSA_BENEFICIARY:
            return RsaFollowUp(beneficiary=False, orientation=None, referent_structure=None)
        orientation = weighted_choice(rng, _ORIENTATIONS)
        departement = address.departement if address else "62"
        if orientation is Orientation.PRO:
            structure = Coded("FT", "France Travail")
        else:
            structure = Coded(f"CD{departement}", f"Conseil départemental ({departement})")
        return RsaFollowUp(beneficiary=True, orientation=orientation, referent_structure=structure)

    def _registration(self, rng: random.Random, rsa: RsaFollowUp) -> Registration:
        status = weighted_choice(rng, _STATUSES)
        if status is RegistrationStatus.IDENTIFIE:
            since = self.epoch - dt.timedelta(days=rng.randint(10, 600))
            return Registration(status, since, None, None, None, None, None, None)
        registered = self.epoch - dt.timedelta(days=rng.randint(30, 8 * 365))
        oriented_to_ft = not rsa.beneficiary or rsa.orientation is Orientation.PRO
        category = weighted_choice(rng, _FT_CATEGORIES) if oriented_to_ft else "5"
        situation = "ADR" if rng.random() < 0.1 else "SAN"
        motif = rng.choice(self._motifs)
        ended: dt.date | None = None
        closure: Coded | None = None
        if status in _CLOSURE_BY_STATUS:
            span = max(1, (self.epoch - registered).days - 1)
            ended = registered + dt.timedelta(days=rng.randint(1, span))
            code = rng.choice(_CLOSURE_BY_STATUS[status])
            closure = Coded(code, label("motifs_cloture", code))
        return Registration(
            status=status,
            status_date=ended or registered,
            registered_on=registered,
            ended_on=ended,
            category=Coded(category, label("categories_inscription", category)),
            reason=Coded(motif, label("motifs_inscription", motif)),
            employment_situation=Coded(situation, label("situations_regard_emploi", situation)),
            closure_reason=closure,
        )
