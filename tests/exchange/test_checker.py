"""The checker's behaviour on the inputs the committed samples do not cover."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.exchange import Limits, check, detect_kind
from sandbox.exchange.samples import sample
from sandbox.findings import MAX_FINDINGS_PER_RULE, Report

PILOT = sample("annexe4-pilotage", 40)
INSCRIPTION = sample("annexe1-inscription", 5)


def _rules(report: Report) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in report.findings]


def test_a_file_over_the_size_limit_is_reported_not_read() -> None:
    content = PILOT.to_csv()
    report = check(content, limits=Limits(max_file_bytes=len(content) - 1))
    assert _rules(report) == [("oversized-file", None)]
    assert report.readable


def test_a_stream_of_unknown_size_stops_at_the_limit() -> None:
    big = sample("annexe4-pilotage", 20_000).to_csv()
    report = check(io.BufferedReader(io.BytesIO(big)), limits=Limits(max_file_bytes=len(big) // 2))
    assert [f.rule for f in report.findings] == ["oversized-file"]
    assert 0 < report.rows < 20_000


def test_bad_bytes_after_the_sniffed_start_are_reported_at_their_line() -> None:
    rows = sample("annexe4-pilotage", 1000)
    content = rows.to_csv()
    assert len(content) > 64 * 1024
    report = check(content + b"\x81\x8d;x\n")
    # Decoding goes by blocks: the line given is the first not read, at or before the bad one.
    [(rule, line)] = _rules(report)
    assert rule == "invalid-encoding" and line is not None and 900 < line <= 1002
    assert report.rows == line - 2


def test_columns_may_come_in_any_order_and_the_kind_is_still_found() -> None:
    order = list(reversed(range(len(PILOT.header))))
    header = [PILOT.header[i] for i in order]
    rows = [[row[i] for i in order] for row in PILOT.rows]
    assert detect_kind(header) == "annexe4-pilotage"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, *rows])
    assert check(buffer.getvalue().encode()).findings == []


def test_windows_line_endings_are_read_like_any_other() -> None:
    crlf = sample("annexe3-habilitations", 5).to_csv(",", "cp1252").replace(b"\n", b"\r\n")
    report = check(crlf)
    assert (report.findings, report.rows, report.encoding) == ([], 5, "Windows-1252")


def test_a_header_matching_no_kind_well_enough_is_unknown() -> None:
    assert detect_kind(["ID_CAF", "NOM", "PRENOM", "COMMENTAIRE"]) is None


def test_a_near_miss_column_name_is_named_in_the_hint() -> None:
    header = ["id_caf" if h == "ID_CAF" else h for h in PILOT.header]
    broken = type(PILOT)(PILOT.kind, header, PILOT.rows)
    report = check(broken.to_csv())
    hints = {f.rule: f.hint for f in report.findings}
    assert set(hints) == {"missing-column", "unexpected-column"}
    assert "ID_CAF" in hints["unexpected-column"] and "id_caf" in hints["missing-column"]


def test_quoted_cells_with_separators_and_line_breaks_keep_line_numbers_right() -> None:
    rows = [list(r) for r in PILOT.rows[:3]]
    rows[0][9] = "Structure ; avec\nretour à la ligne"
    rows[2][1] = "ENF"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([PILOT.header, *rows])
    report = check(buffer.getvalue().encode())
    # Line 2 spans two physical lines: the third record starts on line 5.
    assert _rules(report) == [("code-list", 5)]


def test_a_phone_in_international_form_is_not_a_formula_but_a_leading_minus_in_text_is() -> None:
    table = type(INSCRIPTION)(
        INSCRIPTION.kind, INSCRIPTION.header, [list(r) for r in INSCRIPTION.rows]
    )
    table.rows[0][table.column("TELEPHONE")] = "+33612345678"
    table.rows[1][table.column("ADRESSE")] = "-12 rue des Écoles"
    report = check(table.to_csv())
    assert [(f.rule, f.line, f.column) for f in report.findings] == [
        ("formula-injection", 3, "ADRESSE")
    ]
    assert report.findings[0].value == "[masqué]"


def test_a_spreadsheet_with_typed_dates_and_a_formula() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(PILOT.header)
    for i, row in enumerate(PILOT.rows[:3]):
        cells: list[object] = list(row)
        cells[3] = dt.date.fromisoformat(row[3])  # a date typed as a date
        if i == 2:
            cells[9] = "=1+1"
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = check(buffer.getvalue(), name="f.xlsx")
    assert report.encoding == "XLSX"
    assert _rules(report) == [("formula-injection", 4)]


def test_findings_are_bounded_per_rule_and_the_rest_counted() -> None:
    rows = [list(r) for r in sample("annexe4-pilotage", 300).rows]
    for row in rows:
        row[1] = "ENF"
    report = check(type(PILOT)(PILOT.kind, PILOT.header, rows).to_csv())
    assert report.by_rule == {"code-list": 300}
    assert len(report.findings) == MAX_FINDINGS_PER_RULE
    assert report.omitted == {"code-list": 300 - MAX_FINDINGS_PER_RULE}


def test_rows_without_error_reach_the_sink_for_ingestion() -> None:
    rows = [list(r) for r in INSCRIPTION.rows]
    rows[1][0] = "XX"
    received: list[int] = []
    check(
        type(INSCRIPTION)(INSCRIPTION.kind, INSCRIPTION.header, rows).to_csv(),
        on_row=lambda line, row: received.append(line),
    )
    assert received == [2, 4, 5, 6]


def test_a_nir_of_13_characters_needs_no_key_and_a_nia_its_sex_digit() -> None:
    rows = [list(r) for r in INSCRIPTION.rows[:2]]
    nir = rows[0][4]
    rows[0][4] = nir[:13]
    sex = rows[1][5]
    rows[1][4] = ("7" if sex == "1" else "8") + rows[1][4][1:13]
    report = check(type(INSCRIPTION)(INSCRIPTION.kind, INSCRIPTION.header, rows).to_csv())
    assert report.findings == []


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.integers(0, 6000))
def test_broken_spreadsheets_get_a_report(tail: bytes, cut: int) -> None:
    """Random bytes behind a zip signature, and a real workbook cut anywhere."""
    workbook = sample("annexe4-pilotage", 3).to_xlsx()
    for data in (b"PK\x03\x04" + tail, workbook[:cut] + tail):
        report = check(data)
        assert report.findings or report.rows == 3


_CELL = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "DEM", "2024-02-29", "2023-02-29", "62041", "=1", "+33", "-1", "O"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_always_get_a_report(data: bytes) -> None:
    report = check(data)
    assert isinstance(report, Report)
    assert report.counts or report.rows >= 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=14, max_size=18), min_size=1, max_size=6))
def test_arbitrary_cells_get_the_same_verdict_quoted_or_not(rows: list[list[str]]) -> None:
    """Unquoted lines take the one-regex fast path, fully quoted ones the csv module and the
    cell-by-cell drill-down: both must find the same things."""
    plain, quoted = io.StringIO(), io.StringIO()
    csv.writer(plain, delimiter=";", lineterminator="\n").writerows([PILOT.header, *rows])
    csv.writer(quoted, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [PILOT.header, *rows]
    )
    fast, slow = check(plain.getvalue().encode()), check(quoted.getvalue().encode())
    key = [(f.rule, f.column, f.value) for f in fast.findings]
    if "\r" in plain.getvalue() or "\n" in "".join(c for r in rows for c in r):
        return  # line breaks in cells move line numbers; the quoted file is then the right one
    assert key == [(f.rule, f.column, f.value) for f in slow.findings]
