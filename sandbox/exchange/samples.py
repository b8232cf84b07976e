"""Sample exchange files built from the synthetic population, valid or breaking exactly one rule.

``sample(kind, rows, seed)`` lists people the sandbox knows (RSA beneficiaries with an
orientation, in index order of the population of ``Settings``) and writes one row per person,
in the kind's columns; Annexe 4 pilot rows cycle over them when more rows are asked than there
are people, each with its own ID_CAF, so a million-row file stays valid. Everything is a pure
function of (seed, kind, rows). ``break_sample(sample, rule)`` makes the second data row (line 3)
or the header break one rule, and nothing else; ``BREAKABLE`` says which kind shows which rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from sandbox.exchange.models import ROW_MODELS
from sandbox.identifiers import nir_key
from sandbox.population import Person, Population
from sandbox.randomness import derive_rng
from sandbox.settings import Settings

BREAK_ROW = 1
"""Index of the data row a broken sample changes: line 3 of the file (the header is line 1)."""
_CAF_MULTIPLIER = 7919  # prime to 10**7: i → i·7919 mod 10**7 is a bijection on 7-digit ids


@dataclass
class Sample:
    """A table ready to write: header and rows of text cells."""

    kind: str
    header: list[str]
    rows: list[list[str]]

    def to_csv(self, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
        """The CSV bytes (``encoding`` ``utf-8``, ``utf-8-sig`` or ``cp1252``), CRLF-free."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue().encode(encoding)

    def to_xlsx(self) -> bytes:
        """An XLSX workbook with one sheet, every cell written as text."""
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Feuille1")
        sheet.append(self.header)
        for row in self.rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def column(self, name: str) -> int:
        """Index of a column."""
        return self.header.index(name)


def _people(settings: Settings) -> Iterator[Person]:
    population = Population(settings.seed, settings.population_size, settings.population_epoch)
    for index in range(population.size):
        person = population.generated(index)
        if person.rsa.beneficiary and person.rsa.orientation and person.address:
            yield person


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "-")).lower()


def _day(rng: random.Random, start: dt.date, low: int, high: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(low, high))


def _fr(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _pilot_row(person: Person, i: int, seed: int) -> list[str]:
    rng = derive_rng(seed, "file-pilotage", i)
    notification = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    invitation = _day(rng, notification, 1, 10) if rng.random() < 0.7 else None
    rdv = _day(rng, invitation or notification, 3, 20)
    oriented = rng.random() < 0.8
    orientation = _day(rng, rdv, 0, 5) if oriented else None
    accompaniment = _day(rng, orientation, 5, 30) if orientation else None
    parcours = person.rsa.orientation.value if person.rsa.orientation else ""
    cer = _day(rng, orientation, 5, 40) if orientation and parcours != "pro" else None
    contract = "CER" if cer else ("PPAE" if orientation else "")
    referent = person.rsa.referent_structure
    return [
        f"{(seed + i * _CAF_MULTIPLIER) % 10**7:07d}",
        "CJT" if rng.random() < 0.2 else "DEM",
        person.address.commune_code if person.address else "62041",
        person.birth_date.replace(day=1).isoformat(),
        notification.isoformat(),
        invitation.isoformat() if invitation else "",
        rdv.isoformat(),
        orientation.isoformat() if orientation else "",
        accompaniment.isoformat() if accompaniment else "",
        referent.libelle if referent and orientation else "",
        parcours if orientation else "",
        cer.isoformat() if cer else "",
        contract,
        "62",
        "621",
        "O" if rng.random() < 0.5 else "N",
    ]


def _inscription_row(person: Person, i: int, seed: int) -> list[str]:
    rng = derive_rng(seed, "file-inscription", i)
    entry = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 500))
    orientation = _day(rng, entry, 10, 90)
    parcours = person.rsa.orientation.value if person.rsa.orientation else "social"
    address = person.address
    assert address is not None
    referent = person.rsa.referent_structure
    return [
        "MR" if person.sex.value == "1" else "MME",
        person.last_name,
        person.first_name,
        _fr(person.birth_date),
        person.nir,
        person.sex.value,
        "A" if person.birthplace.code.startswith("99") else "F",
        "CJT" if rng.random() < 0.2 else "DEM",
        f"06{rng.randint(0, 99_999_999):08d}",
        f"{_ascii(person.first_name)}.{_ascii(person.last_name)}@exemple.fr",
        address.ligne,
        address.code_postal,
        address.commune_nom,
        _fr(entry),
        "CAF",
        "FT" if parcours == "pro" else "CD",
        parcours,
        referent.libelle if referent else "Conseil départemental",
        _fr(orientation),
    ]


def _habilitation_row(person: Person, i: int, seed: int) -> list[str]:
    rng = derive_rng(seed, "file-habilitation", i)
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    contract = ("TITULAIRE", "CDD", "CDI")[rng.randint(0, 2)]
    end = _day(rng, start, 90, 700) if contract == "CDD" else None
    return [
        "MR" if person.sex.value == "1" else "MME",
        person.last_name,
        person.first_name,
        _fr(person.birth_date),
        f"{_ascii(person.first_name)}.{_ascii(person.last_name)}.{i}@pasdecalais.fr",
        contract,
        _fr(start),
        _fr(end) if end else "",
        ("Travailleur social", "Conseiller insertion", "Référent RSA")[rng.randint(0, 2)],
        "Pas-de-Calais",
        _fr(start),
        "Responsable du service insertion",
        "Cheffe de service",
        "service.insertion@pasdecalais.fr",
        "0321212121",
    ]


_TRANCHES = ((26, "Moins de 26 ans"), (50, "26 à 49 ans"), (200, "50 ans et plus"))
_ROMES = ("K2204", "K1304", "N1103", "G1603", "D1507", "A1203", "F1703", "M1607")


def _indicator_row(person: Person, i: int, seed: int) -> list[str]:
    rng = derive_rng(seed, "file-indicateurs", i)
    age = 2024 - person.birth_date.year
    tranche = next(label for limit, label in _TRANCHES if age < limit)
    address = person.address
    assert address is not None
    entry = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    exit_day = _day(rng, entry, 30, 300) if rng.random() < 0.3 else None
    parcours = {"social": "Sociale", "socio_pro": "Socio-professionnelle", "pro": "Professionnelle"}
    label = parcours[person.rsa.orientation.value] if person.rsa.orientation else ""
    return [
        person.last_name,
        person.first_name,
        person.birth_date.isoformat(),
        tranche,
        "N",
        person.registration.status.value,
        _ROMES[rng.randint(0, len(_ROMES) - 1)],
        "oui" if rng.random() < 0.6 else "non",
        address.commune_code,
        address.commune_code,
        address.commune_nom,
        "Pas-de-Calais",
        "Pas-de-Calais",
        address.departement,
        "O",
        person.safir_agency,
        "DT Pas-de-Calais",
        entry.isoformat(),
        exit_day.isoformat() if exit_day else "",
        "Reprise d'emploi" if exit_day else "",
        label,
        label,
        ("SUIVI", "GUIDE", "RENFORCE")[rng.randint(0, 2)],
        "",
        "",
        "O" if rng.random() < 0.4 else "N",
    ]


ROW_BUILDERS: dict[str, Callable[[Person, int, int], list[str]]] = {
    "annexe1-inscription": _inscription_row,
    "annexe4-pilotage": _pilot_row,
    "annexe4-indicateurs": _indicator_row,
    "annexe3-habilitations": _habilitation_row,
}
"""One row of each kind for (person, row index, seed): the cells in the model's column order."""


def sample(
    kind: str, rows: int, seed: int | None = None, settings: Settings | None = None
) -> Sample:
    """A valid sample of ``rows`` rows; raises ``ValueError`` beyond the population's people."""
    settings = settings or Settings()
    seed = settings.seed if seed is None else seed
    settings = settings.model_copy(update={"seed": seed})
    model = ROW_MODELS[kind]
    header = [field.alias or "" for field in model.model_fields.values()]
    build = ROW_BUILDERS[kind]
    people: list[Person] = []
    for person in _people(settings):
        if len(people) == rows:
            break
        people.append(person)
    if not people:
        raise ValueError("la population ne compte aucun bénéficiaire du RSA orienté")
    if len(people) < rows and kind != "annexe4-pilotage":
        raise ValueError(
            f"{len(people)} lignes au plus avec cette population (FT_SANDBOX_POPULATION_SIZE)"
        )
    table = [build(people[i % len(people)], i, seed) for i in range(rows)]
    return Sample(kind=kind, header=header, rows=table)


def write_large_pilot(
    handle: IO[str], rows: int, seed: int | None = None, chunk: int = 10_000
) -> None:
    """Write a valid Annexe 4 pilot CSV of ``rows`` rows without holding it in memory: the first
    ``chunk`` rows are built from the population, then repeated with fresh ID_CAF (bench)."""
    first = sample("annexe4-pilotage", min(rows, chunk), seed)
    seed = Settings().seed if seed is None else seed
    writer = csv.writer(handle, delimiter=";", lineterminator="\n")
    writer.writerow(first.header)
    for start in range(0, rows, chunk):
        block = first.rows[: min(chunk, rows - start)]
        for offset, row in enumerate(block):
            i = start + offset
            writer.writerow([f"{(seed + i * _CAF_MULTIPLIER) % 10**7:07d}", *row[1:]])


def _shift(value: str, days: int, french: bool) -> str:
    day = dt.datetime.strptime(value, "%d/%m/%Y" if french else "%Y-%m-%d").date()
    moved = day + dt.timedelta(days=days)
    return _fr(moved) if french else moved.isoformat()


def _set_chain(s: Sample, row: list[str], first: str, second: str, french: bool = False) -> None:
    """Make ``second`` one day before ``first`` in ``row``."""
    if not row[s.column(first)]:
        row[s.column(first)] = "15/06/2024" if french else "2024-06-15"
    row[s.column(second)] = _shift(row[s.column(first)], -1, french)


def _pilot_oriented(s: Sample, row: list[str]) -> None:
    """Give the pilot row a full, ordered orientation (so one date can then be moved)."""
    c = s.column
    row[c("DATE_NOTIFICATION_DEPARTEMENT")] = "2024-03-01"
    row[c("DATE_INVITATION")] = "2024-03-05"
    row[c("DATE_RDV_ORIENTATION")] = "2024-03-15"
    row[c("DATE_ORIENTATION")] = "2024-03-15"
    row[c("DATE_1ER_RDV_ACCOMPAGNEMENT")] = "2024-04-01"
    row[c("C_TYPEPARCOURS")] = "social"
    row[c("DATE_CER")] = "2024-04-10"
    row[c("TYPE_CONTRAT")] = "CER"


def _cell(column: str, value: str) -> Callable[[Sample], None]:
    def change(s: Sample) -> None:
        s.rows[BREAK_ROW][s.column(column)] = value

    return change


def _missing(s: Sample) -> None:
    i = s.column("STOCK")
    del s.header[i]
    for row in s.rows:
        del row[i]


def _duplicate_column(s: Sample) -> None:
    s.header.append(s.header[0])
    for row in s.rows:
        row.append(row[0])


def _unexpected(s: Sample) -> None:
    s.header.append("NIR")
    for i, row in enumerate(s.rows):
        body = f"2900362{i:06d}"
        row.append(body + nir_key(body))


def _ragged(s: Sample) -> None:
    s.rows[BREAK_ROW].pop()


def _nir_key(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    nir = row[s.column("NIR")]
    row[s.column("NIR")] = nir[:13] + f"{(int(nir[13:]) % 97) + 1:02d}"


def _nir_sex(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    sex = row[s.column("SEXE")]
    row[s.column("SEXE")] = "2" if sex == "1" else "1"
    row[s.column("CIVILITE")] = "MME" if sex == "1" else "MR"


def _nir_birth(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    day = dt.datetime.strptime(row[s.column("DATE_NAISSANCE")], "%d/%m/%Y").date()
    row[s.column("DATE_NAISSANCE")] = _fr(day.replace(year=day.year - 1, day=min(day.day, 28)))


def _first_of_month(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    row[s.column("DATE_NAISSANCE")] = row[s.column("DATE_NAISSANCE")][:8] + "15"


def _duplicate_key(s: Sample) -> None:
    s.rows[BREAK_ROW][0] = s.rows[0][0]
    s.rows[BREAK_ROW][1] = s.rows[0][1]


def _order_invitation(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    _pilot_oriented(s, row)
    row[s.column("DATE_INVITATION")] = "2024-02-28"


def _order_accompaniment(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    _pilot_oriented(s, row)
    row[s.column("DATE_1ER_RDV_ACCOMPAGNEMENT")] = "2024-03-14"


def _order_cer(s: Sample) -> None:
    row = s.rows[BREAK_ROW]
    _pilot_oriented(s, row)
    row[s.column("DATE_CER")] = "2024-03-14"


def _order_habilitation(s: Sample) -> None:
    _set_chain(s, s.rows[BREAK_ROW], "DATE_DEBUT", "DATE_FIN", french=True)


def _order_parcours(s: Sample) -> None:
    _set_chain(s, s.rows[BREAK_ROW], "Date Entree Parcours", "Date Sortie")


_P, _I, _H, _N = (
    "annexe4-pilotage",
    "annexe1-inscription",
    "annexe3-habilitations",
    "annexe4-indicateurs",
)
_TEXT_BREAKERS: dict[str, tuple[str, Callable[[Sample], None]]] = {
    "missing-column": (_P, _missing),
    "duplicate-column": (_P, _duplicate_column),
    "unexpected-column": (_P, _unexpected),
    "ragged-row": (_P, _ragged),
    "required-value": (_P, _cell("DATE_NOTIFICATION_DEPARTEMENT", "")),
    "invalid-format": (_P, _cell("ID_CAF", "12345")),
    "invalid-date": (_P, _cell("DATE_NOTIFICATION_DEPARTEMENT", "2024-02-30")),
    "value-too-long": (_P, _cell("STRUCTURE_REFERENTE", "Structure " * 11)),
    "code-list": (_P, _cell("ROLE_CAF", "ENF")),
    "formula-injection": (_P, _cell("STRUCTURE_REFERENTE", '=HYPERLINK("http://x")')),
    "nir-format": (_I, _cell("NIR", "29003620")),
    "nir-key": (_I, _nir_key),
    "nir-sex": (_I, _nir_sex),
    "nir-birth-date": (_I, _nir_birth),
    "birth-date-first-of-month": (_P, _first_of_month),
    "unknown-commune": (_P, _cell("COMMUNE", "62000")),
    "unknown-departement": (_P, _cell("DEPARTEMENT", "96")),
    "duplicate-row-key": (_P, _duplicate_key),
    "date-order-invitation": (_P, _order_invitation),
    "date-order-accompaniment": (_P, _order_accompaniment),
    "date-order-cer": (_P, _order_cer),
    "date-order-habilitation": (_H, _order_habilitation),
    "date-order-parcours": (_N, _order_parcours),
}
_BYTE_BREAKERS: dict[str, Callable[[Sample], bytes]] = {
    "empty-file": lambda s: b"",
    "header-only": lambda s: Sample(s.kind, s.header, []).to_csv(),
    "unknown-kind": lambda s: b"colonne_a;colonne_b\n1;2\n",
    "binary-input": lambda s: bytes(range(256)) * 4,
    "unreadable-file": lambda s: b"PK\x03\x04" + b"\xff" * 200,
    "invalid-encoding": lambda s: s.to_csv() + b"\x81\x8d\n",
    "csv-syntax": lambda s: s.to_csv() + b'"cellule sans fin;2\n',
    "oversized-line": lambda s: _insert_line(s.to_csv(), b"x" * 70_000 + b"\n"),
}
BREAKABLE: dict[str, str] = {
    **{rule: kind for rule, (kind, _) in _TEXT_BREAKERS.items()},
    **dict.fromkeys(_BYTE_BREAKERS, _P),
}
"""Every rule a sample can break, with the kind its committed invalid sample is of."""


def _insert_line(content: bytes, line: bytes) -> bytes:
    header, first, rest = content.split(b"\n", 2)
    return header + b"\n" + first + b"\n" + line + rest


def break_sample(s: Sample, rule: str) -> Sample | bytes:
    """The sample changed to break ``rule`` (a changed ``Sample``, or raw bytes for rules about
    the bytes themselves); raises ``KeyError`` for a rule no sample can break."""
    if rule in _BYTE_BREAKERS:
        return _BYTE_BREAKERS[rule](s)
    _, change = _TEXT_BREAKERS[rule]
    broken = Sample(s.kind, list(s.header), [list(row) for row in s.rows])
    change(broken)
    return broken
