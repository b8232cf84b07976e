"""The space of generated NIRs: a dense numbering of (birthplace, birth year, sex, month, order).

Every point ``x`` of ``range(capacity)`` is one coherent NIR body; ``decode`` gives it and
``encode`` goes back. Birthplaces are weighted by giving a place several *slots*; a place's slots
share its NIR place code and are told apart by the order number (slot ``j`` of a place owns order
numbers ``j*ORDERS_PER_SLOT + 1 …``). Generated order numbers stay below 900, so the order numbers
900–999 are free for hand-written personas and can never collide with a generated person.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from sandbox.identifiers import CORSICA_SPLIT_YEAR
from sandbox.population.models import Birthplace, BirthplaceKind, Sex
from sandbox.population.referentials import communes, countries

TOTAL_SLOTS = 4000
MAX_SLOTS_PER_PLACE = 99
ORDERS_PER_SLOT = 899 // MAX_SLOTS_PER_PLACE
FIRST_PERSONA_ORDER = 900
AGE_MIN, AGE_MAX = 18, 64
UNKNOWN_MONTH = "20"

# Share of births per kind of place; people living in the Pas-de-Calais were mostly born there.
_SHARES = {
    "62": 0.55,
    BirthplaceKind.METROPOLE: 0.25,
    BirthplaceKind.CORSE: 0.02,
    BirthplaceKind.OUTRE_MER: 0.04,
    BirthplaceKind.ETRANGER: 0.14,
}
_UNKNOWN_MONTH_SHARE_ABROAD = 0.15


@dataclass(frozen=True, slots=True)
class PlaceGroup:
    """A birthplace with its slots; ``month_known`` is False for "unknown month" NIRs (``20``)."""

    place: Birthplace
    month_known: bool
    first_slot: int
    slots: int


@dataclass(frozen=True, slots=True)
class CivilKey:
    """What a NIR body says about a person."""

    sex: Sex
    birth_year: int
    birth_month: int | None
    place: Birthplace
    order: int

    @property
    def nir_body(self) -> str:
        """The 13-character NIR body."""
        month = f"{self.birth_month:02d}" if self.birth_month else UNKNOWN_MONTH
        code = self.place.code
        if self.place.kind is BirthplaceKind.CORSE and self.birth_year < CORSICA_SPLIT_YEAR:
            code = "20" + code[2:]
        return f"{self.sex.value}{self.birth_year % 100:02d}{month}{code}{self.order:03d}"


def _kind_of(departement: str) -> BirthplaceKind:
    if departement in ("2A", "2B"):
        return BirthplaceKind.CORSE
    if len(departement) == 3:
        return BirthplaceKind.OUTRE_MER
    return BirthplaceKind.METROPOLE


def _weighted_places() -> list[tuple[Birthplace, bool, float]]:
    """Every (place, month_known, weight), the weights of each share summing to that share."""
    by_share: dict[str, list[tuple[Birthplace, bool, float]]] = {key: [] for key in _SHARES}
    for commune in communes():
        kind = _kind_of(commune.departement)
        share = "62" if commune.departement == "62" else kind
        place = Birthplace(code=commune.code, libelle=commune.nom, kind=kind)
        by_share[share].append((place, True, float(max(commune.population, 1))))
    for country in countries():
        place = Birthplace(code=country.code, libelle=country.libelle, kind=BirthplaceKind.ETRANGER)
        by_share[BirthplaceKind.ETRANGER].append((place, True, 1 - _UNKNOWN_MONTH_SHARE_ABROAD))
        by_share[BirthplaceKind.ETRANGER].append((place, False, _UNKNOWN_MONTH_SHARE_ABROAD))
    weighted: list[tuple[Birthplace, bool, float]] = []
    for share, entries in by_share.items():
        total = sum(weight for _, _, weight in entries)
        weighted.extend((p, known, _SHARES[share] * w / total) for p, known, w in entries)
    return weighted


class NirSpace:
    """Dense, invertible numbering of every NIR body the generator can produce."""

    def __init__(self, epoch_year: int) -> None:
        self.first_year = epoch_year - AGE_MAX
        self.years = AGE_MAX - AGE_MIN + 1
        self.groups: list[PlaceGroup] = []
        self._group_by_place: dict[tuple[str, bool], PlaceGroup] = {}
        slot_group: list[PlaceGroup] = []
        capacities: list[int] = []
        for place, month_known, weight in _weighted_places():
            slots = min(MAX_SLOTS_PER_PLACE, max(1, round(weight * TOTAL_SLOTS)))
            group = PlaceGroup(place, month_known, len(slot_group), slots)
            self.groups.append(group)
            self._group_by_place[(place.code, month_known)] = group
            months = 12 if month_known else 1
            for _ in range(slots):
                slot_group.append(group)
                capacities.append(self.years * 2 * months * ORDERS_PER_SLOT)
        corsican_suffixes = [
            g.place.code[2:]
            for g in self.groups
            if g.month_known and g.place.kind is BirthplaceKind.CORSE
        ]
        if len(corsican_suffixes) != len(set(corsican_suffixes)):
            # Before 1976 both Corsican départements were "20": the suffix alone names the place.
            raise ValueError(
                "two Corsican communes share a code suffix; drop one from communes.csv"
            )
        self._slot_group = slot_group
        self._starts = [0, *accumulate(capacities)]
        self.capacity = self._starts[-1]

    def decode(self, x: int) -> CivilKey:
        """Return the civil key numbered ``x``."""
        slot = bisect.bisect_right(self._starts, x) - 1
        group = self._slot_group[slot]
        within = x - self._starts[slot]
        within, sub = divmod(within, ORDERS_PER_SLOT)
        months = 12 if group.month_known else 1
        within, month_index = divmod(within, months)
        year_index, sex_index = divmod(within, 2)
        return CivilKey(
            sex=Sex.MALE if sex_index == 0 else Sex.FEMALE,
            birth_year=self.first_year + year_index,
            birth_month=month_index + 1 if group.month_known else None,
            place=group.place,
            order=(slot - group.first_slot) * ORDERS_PER_SLOT + sub + 1,
        )

    def encode(self, body: str) -> int | None:
        """Return the number of a 13-character NIR body, or None if the generator never makes it."""
        sex, yy, mm, place_code, order_text = body[0], body[1:3], body[3:5], body[5:10], body[10:]
        if sex not in ("1", "2") or not (yy + mm + order_text).isdigit():
            return None
        year = self.first_year + (int(yy) - self.first_year) % 100
        if year >= self.first_year + self.years:
            return None
        month_known = mm != UNKNOWN_MONTH
        month = int(mm)
        if month_known and not 1 <= month <= 12:
            return None
        order = int(order_text)
        if not 1 <= order < FIRST_PERSONA_ORDER:
            return None
        group = self._group_for(place_code, year, month_known)
        if group is None:
            return None
        slot_in_group, sub = divmod(order - 1, ORDERS_PER_SLOT)
        if slot_in_group >= group.slots:
            return None
        months = 12 if month_known else 1
        within = ((year - self.first_year) * 2 + int(sex) - 1) * months
        within = (within + (month - 1 if month_known else 0)) * ORDERS_PER_SLOT + sub
        return self._starts[group.first_slot + slot_in_group] + within

    def _group_for(self, place_code: str, year: int, month_known: bool) -> PlaceGroup | None:
        before_split = year < CORSICA_SPLIT_YEAR
        if place_code.startswith("20"):
            if not before_split:
                return None
            for department in ("2A", "2B"):
                group = self._group_by_place.get((department + place_code[2:], month_known))
                if group is not None:
                    return group
            return None
        if place_code.startswith(("2A", "2B")) and before_split:
            return None
        return self._group_by_place.get((place_code, month_known))
