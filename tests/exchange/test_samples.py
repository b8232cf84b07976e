"""The committed samples: each invalid one yields exactly its rule, where it was broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.exchange import RULES, check
from sandbox.exchange.samples import BREAKABLE

FILES = Path(__file__).resolve().parents[2] / "fixtures" / "files"

# (rule, line, column, column number), from how each sample is built: the header is line 1 and
# the broken row is the second data row, line 3 (samples.BREAK_ROW); header rules name their
# column; file-level rules have no line; a pilot file has 16 columns, so an added one is n° 17;
# the csv-syntax and invalid-encoding samples append their bad line after 5 rows (line 7).
EXPECTED: dict[str, tuple[int | None, str | None, int | None]] = {
    "binary-input": (None, None, None),
    "birth-date-first-of-month": (3, "DATE_NAISSANCE", 4),
    "code-list": (3, "ROLE_CAF", 2),
    "csv-syntax": (7, None, None),
    "date-order-accompaniment": (3, "DATE_1ER_RDV_ACCOMPAGNEMENT", 9),
    "date-order-cer": (3, "DATE_CER", 12),
    "date-order-habilitation": (3, "DATE_FIN", 8),
    "date-order-invitation": (3, "DATE_INVITATION", 6),
    "date-order-parcours": (3, "Date Sortie", 19),
    "duplicate-column": (1, "ID_CAF", 17),
    "duplicate-row-key": (3, "ID_CAF", 1),
    "empty-file": (None, None, None),
    "formula-injection": (3, "STRUCTURE_REFERENTE", 10),
    "header-only": (1, None, None),
    "invalid-date": (3, "DATE_NOTIFICATION_DEPARTEMENT", 5),
    "invalid-encoding": (7, None, None),
    "invalid-format": (3, "ID_CAF", 1),
    "missing-column": (1, "STOCK", None),
    "nir-birth-date": (3, "NIR", 5),
    "nir-format": (3, "NIR", 5),
    "nir-key": (3, "NIR", 5),
    "nir-sex": (3, "NIR", 5),
    "oversized-line": (3, None, None),
    "ragged-row": (3, None, None),
    "required-value": (3, "DATE_NOTIFICATION_DEPARTEMENT", 5),
    "unexpected-column": (1, "NIR", 17),
    "unknown-commune": (3, "COMMUNE", 3),
    "unknown-departement": (3, "DEPARTEMENT", 14),
    "unknown-kind": (1, None, None),
    "unreadable-file": (None, None, None),
    "value-too-long": (3, "STRUCTURE_REFERENTE", 10),
}
VALID = sorted((FILES / "valid").iterdir())


def test_every_rule_but_the_file_size_has_a_committed_invalid_sample() -> None:
    committed = {p.stem for p in (FILES / "invalid").iterdir()}
    assert committed == set(EXPECTED) == set(BREAKABLE)
    # A sample over 512 MiB cannot be committed: test_checker.py lowers the limit instead.
    assert set(RULES) - committed == {"oversized-file"}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_an_invalid_sample_yields_exactly_its_rule_where_it_was_broken(rule: str) -> None:
    report = check(FILES / "invalid" / f"{rule}.csv")
    found = [(f.rule, f.line, f.column, f.column_number) for f in report.findings]
    assert found == [(rule, *EXPECTED[rule])]
    assert report.by_rule == {rule: 1}


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_a_valid_sample_yields_no_finding(path: Path) -> None:
    report = check(path)
    assert report.findings == []
    assert report.kind == path.stem.split("-")[0] + "-" + path.stem.split("-")[1]
    assert report.rows == 10


def test_the_variants_are_read_as_what_they_are() -> None:
    seen = {
        p.name: (check(p).encoding, check(p).delimiter)
        for p in VALID
        if p.stem.startswith("annexe4-pilotage")
    }
    assert seen == {
        "annexe4-pilotage.csv": ("UTF-8", ";"),
        "annexe4-pilotage-bom.csv": ("UTF-8 (BOM)", ";"),
        "annexe4-pilotage-virgule.csv": ("UTF-8", ","),
        "annexe4-pilotage-windows-1252.csv": ("Windows-1252", ";"),
        "annexe4-pilotage.xlsx": ("XLSX", None),
    }
    utf8 = (FILES / "valid" / "annexe4-pilotage.csv").read_bytes()
    # The Windows-1252 variant really carries accented letters in that encoding.
    assert "é".encode() in utf8
    cp1252 = (FILES / "valid" / "annexe4-pilotage-windows-1252.csv").read_bytes()
    assert cp1252 == utf8.decode().encode("cp1252")


def test_the_reports_name_the_clause_each_rule_enforces() -> None:
    report = check(FILES / "invalid" / "unexpected-column.csv")
    assert "Art. 4" in report.findings[0].clause and "Annexe 3 §3" in report.findings[0].clause
    report = check(FILES / "invalid" / "birth-date-first-of-month.csv")
    assert report.findings[0].clause.startswith("Annexe 4")
    json.dumps(report.model_dump(mode="json"))
