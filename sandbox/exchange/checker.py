"""The exchange-file checker: ``check(source, kind=None) -> Report``, whatever the input.

Every input gets a report, never an exception: binary garbage, an empty or header-only file,
ragged rows, oversized lines or files, broken spreadsheets. The kind is detected from the header
when not given (the kind whose columns the header holds the largest share of, if at least half).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
import os
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import IO, Any

from sandbox.exchange.columns import ColumnType, DateFormat, Masking
from sandbox.exchange.compiled import (
    DATE_SHAPES,
    INJECTION_STARTS,
    Column,
    CompiledKind,
    compile_kind,
)
from sandbox.exchange.masking import mask_value
from sandbox.exchange.models import ROW_MODELS, ExchangeRow
from sandbox.exchange.reader import CsvRecords, Limits, ReadError, Table, open_table
from sandbox.exchange.rules import RULES, Rule
from sandbox.findings import Finding, Report, Severity
from sandbox.identifiers import check_birthplace_year, nir_key

Progress = Callable[[int, int | None], None]
"""Called now and then with (bytes read, total bytes if known)."""
RowSink = Callable[[int, dict[str, str]], None]
"""Receives ``(line, {column: value})`` for every row without an error (for ingestion)."""

PROGRESS_EVERY = 8192
"""Rows between two progress calls (and two file-size checks)."""
DETECTION_SHARE = 0.5
_FILE_RULES = (
    "unreadable-file",
    "binary-input",
    "invalid-encoding",
    "oversized-file",
    "oversized-line",
    "empty-file",
    "header-only",
    "unknown-kind",
    "csv-syntax",
    "missing-column",
    "duplicate-column",
    "unexpected-column",
    "ragged-row",
    "duplicate-row-key",
)
_READABLE_FAILURES = frozenset({"empty-file", "oversized-file"})
"""Reader failures that still describe a file (a finding, not an unreadable input)."""
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_SEX_DIGITS = {"1": "17", "2": "28"}


@cache
def compiled(kind: str) -> CompiledKind:
    """The compiled checks of one kind."""
    return compile_kind(ROW_MODELS[kind])


def rules_for(kind: str) -> list[str]:
    """The rule ids that apply to a kind (a JUnit report has one test case each)."""
    kind_checks = compiled(kind)
    rules = set(_FILE_RULES)
    for column in kind_checks.columns.values():
        spec = column.spec
        if column.required:
            rules.add("required-value")
        kind_rule = {
            ColumnType.TEXT: "formula-injection",
            ColumnType.DATE: "invalid-date",
            ColumnType.NIR: "nir-format",
            ColumnType.COMMUNE: "unknown-commune",
            ColumnType.DEPARTEMENT: "unknown-departement",
            ColumnType.CODE: "code-list",
            ColumnType.FLAG: "code-list",
        }.get(spec.type, "invalid-format")
        rules.add(kind_rule)
        if spec.type in (ColumnType.TEXT,):
            rules.add("value-too-long")
        if spec.type in (ColumnType.PATTERN, ColumnType.EMAIL, ColumnType.PHONE):
            rules.add("invalid-format")
        if spec.type in (ColumnType.COMMUNE, ColumnType.DEPARTEMENT):
            rules.add("invalid-format")
        if spec.first_of_month:
            rules.add("birth-date-first-of-month")
    model = kind_checks.model
    if model.NIR_COHERENCE:
        rules.update({"nir-key", "nir-sex", "nir-birth-date"})
    rules.update(order.rule for order in model.DATE_ORDERS)
    return sorted(rules)


def _normalised(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return _NON_ALNUM.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


def detect_kind(header: list[str]) -> str | None:
    """The kind whose columns the header holds the largest share of (at least half), if any."""
    names = {_normalised(h) for h in header}
    best, best_share = None, 0.0
    for kind, model in ROW_MODELS.items():
        expected = {_normalised(f.alias or "") for f in model.model_fields.values()}
        share = len(names & expected) / len(expected)
        if share > best_share:
            best, best_share = kind, share
    return best if best_share >= DETECTION_SHARE else None


def check(
    source: str | Path | bytes | IO[bytes],
    kind: str | None = None,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    on_row: RowSink | None = None,
) -> Report:
    """Check one exchange file (a path, its bytes or a binary stream) and return the report."""
    limits = limits or Limits()
    if isinstance(source, bytes):
        raw: IO[bytes] = io.BytesIO(source)
        size: int | None = len(source)
        label = name or "(données)"
    elif isinstance(source, str | Path):
        label = name or str(source)
        try:
            raw = open(source, "rb")  # noqa: SIM115 - closed below, whatever happens
            size = os.fstat(raw.fileno()).st_size
        except OSError as exc:
            report = Report(source=label, kind=kind, readable=False)
            report.add(RULES["unreadable-file"].finding(detail=_os_error(exc)))
            return report
    else:
        raw, size = source, None
        label = name or str(getattr(source, "name", "(flux)"))
    try:
        return _Checker(label, kind, limits, progress, on_row).run(raw, size)
    finally:
        if raw is not source:  # a stream the caller gave stays open
            raw.close()


class _Stopped(Exception):
    """The row loop cannot go on (bad bytes, broken CSV): the rows read and the finding."""

    def __init__(self, rows: int, line: int, finding: Finding) -> None:
        super().__init__(finding.rule)
        self.rows, self.line, self.finding = rows, line, finding


class _Checker:
    def __init__(
        self,
        label: str,
        kind: str | None,
        limits: Limits,
        progress: Progress | None,
        on_row: RowSink | None,
    ) -> None:
        self.report = Report(source=label, kind=kind)
        self.limits = limits
        self.progress = progress
        self.on_row = on_row

    def add(self, finding: Finding) -> None:
        self.report.add(finding)

    def stop(self, rule: str, line: int | None = None, detail: str = "") -> Report:
        self.add(RULES[rule].finding(line=line, detail=detail))
        return self.report

    def run(self, raw: IO[bytes], size: int | None) -> Report:
        report = self.report
        if size is not None and size > self.limits.max_file_bytes:
            return self.stop("oversized-file", detail=_mebibytes(self.limits.max_file_bytes))
        try:
            table = open_table(raw, size, self.limits)
        except ReadError as exc:
            report.readable = exc.rule in _READABLE_FAILURES
            return self.stop(exc.rule, line=exc.line, detail=exc.detail)
        except (UnicodeDecodeError, csv.Error) as exc:
            report.readable = False
            return self.stop("unreadable-file", detail=type(exc).__name__)
        try:
            return self._table(table)
        finally:
            table.close()

    def _table(self, table: Table) -> Report:
        report = self.report
        report.encoding = {
            "utf-8-sig": "UTF-8 (BOM)",
            "utf-8": "UTF-8",
            "cp1252": "Windows-1252",
        }.get(table.encoding, table.encoding.upper())
        report.delimiter = table.delimiter
        header = [cell.strip() for cell in table.header]
        kind = report.kind or detect_kind(header)
        if kind is None or kind not in ROW_MODELS:
            shown = ", ".join(mask_value(h, Masking.NONE) for h in header[:6])
            detail = f"colonnes lues : {shown}" if kind is None else f"type inconnu « {kind} »"
            return self.stop("unknown-kind", line=table.header_line, detail=detail)
        report.kind = kind
        report.rules = rules_for(kind)
        checks = compiled(kind)
        model = checks.model
        table.date_format = "%Y-%m-%d" if model.DATE_FORMAT is DateFormat.ISO else "%d/%m/%Y"
        mapped = self._header(checks, header, table.header_line)
        self._names = [c.name if c else h for c, h in zip(mapped, header, strict=True)]
        self._rows(checks, model, table, header, mapped)
        return report

    def _header(self, checks: CompiledKind, header: list[str], line: int) -> list[Column | None]:
        clause = checks.model.CLAUSE
        mapped: list[Column | None] = []
        seen: set[str] = set()
        by_normal = {_normalised(n): n for n in checks.columns}
        for number, name in enumerate(header, start=1):
            column = checks.columns.get(name)
            if column is not None and name not in seen:
                seen.add(name)
                mapped.append(column)
                continue
            mapped.append(None)
            shown = mask_value(name, Masking.NONE) if name else "(sans nom)"
            if column is not None:
                self.add(
                    RULES["duplicate-column"].finding(
                        line=line, column=shown, column_number=number, clause=clause
                    )
                )
            else:
                near = by_normal.get(_normalised(name))
                expected = f" (ou renommez-la « {near} » si c'est elle)" if near else ""
                self.add(
                    RULES["unexpected-column"].finding(
                        line=line, column=shown, column_number=number, expected=expected
                    )
                )
        normal_header = {_normalised(h): h for h in header}
        for name, column in checks.columns.items():
            if name not in seen:
                near = normal_header.get(_normalised(name))
                expected = (
                    f" : « {mask_value(near, Masking.NONE)} » semble en être une variante"
                    if near
                    else ""
                )
                self.add(
                    RULES["missing-column"].finding(
                        line=line,
                        column=name,
                        detail=column.description,
                        expected=expected,
                        clause=clause,
                    )
                )
        return mapped

    def _rows(
        self,
        checks: CompiledKind,
        model: type[ExchangeRow],
        table: Table,
        header: list[str],
        mapped: list[Column | None],
    ) -> None:
        report = self.report
        width = len(header)
        index = {c.name: i for i, c in enumerate(mapped) if c is not None}
        clause = model.CLAUSE
        members = [(i, c) for i, c in enumerate(mapped) if c is not None and c.members]
        french = model.DATE_FORMAT is DateFormat.FRENCH
        orders = [
            (RULES[o.rule], tuple(index[n] for n in o.columns if n in index))
            for o in model.DATE_ORDERS
        ]
        key_columns = [index[n] for n in model.ROW_KEY if n in index]
        key_of = (
            operator.itemgetter(*key_columns)
            if key_columns and len(key_columns) == len(model.ROW_KEY)
            else None
        )
        nir = model.NIR_COHERENCE
        nir_columns = (
            (index.get(nir.nir), index.get(nir.sex), index.get(nir.birth_date)) if nir else None
        )
        seen_keys: set[int] = set()
        duplicate = RULES["duplicate-row-key"]
        key_names = ", ".join(model.ROW_KEY)
        errors = report.counts
        on_row = self.on_row
        add = self.add
        empty: frozenset[int] = frozenset()

        def semantic(line: int, cells: list[str], bad: frozenset[int] | set[int]) -> None:
            """The checks a cell pattern cannot make; ``bad`` cells are already reported."""
            before = errors.get(Severity.ERROR, 0)
            for i, column in members:
                value = cells[i]
                if value and value not in column.members and i not in bad:  # type: ignore[operator]
                    bad = bad | {i}
                    self._member(line, i, column, value, clause)
            if nir_columns is not None:
                self._nir(line, cells, nir_columns, mapped, bad, french)
            for rule, chain in orders:
                previous = ""
                for i in chain:
                    value = cells[i]
                    if value and i not in bad:
                        sortable = value[6:] + value[3:5] + value[:2] if french else value
                        if sortable < previous:
                            self._order(rule, line, cells, chain, i, french)
                            break
                        previous = sortable
            if key_of is not None:
                key = key_of(cells)
                if all(key) if isinstance(key, tuple) else key:
                    digest = hash(key)
                    count = len(seen_keys)
                    seen_keys.add(digest)
                    if len(seen_keys) == count:
                        first = key_columns[0]
                        add(
                            duplicate.finding(
                                line=line,
                                column=header[first],
                                column_number=first + 1,
                                detail=key_names,
                                clause=clause,
                            )
                        )
            # Cell findings (``bad``) are all errors; the checks above may add more.
            if on_row is not None and not bad and errors.get(Severity.ERROR, 0) == before:
                on_row(line, {c.name: cells[i] for i, c in enumerate(mapped) if c})

        pairs = [
            (chain[j], chain[k])
            for _, chain in orders
            for j in range(len(chain))
            for k in range(j + 1, len(chain))
        ]
        member_sets = [(i, c.members) for i, c in members]
        seen_add = seen_keys.add

        def quick(line: int, cells: list[str]) -> None:
            """``semantic`` for a well-formed row of an AAAA-MM-JJ kind without NIR: the same
            verdicts, fewer steps; anything odd is handed to ``semantic``."""
            for i, allowed in member_sets:
                value = cells[i]
                if value and value not in allowed:  # type: ignore[operator]
                    semantic(line, cells, empty)
                    return
            for a, b in pairs:
                later = cells[b]
                # An empty later date compares as "" and is skipped; an empty earlier one too.
                if later and later < cells[a]:
                    semantic(line, cells, empty)
                    return
            if key_of is not None:
                count = len(seen_keys)
                seen_add(hash(key_of(cells)))
                if len(seen_keys) == count:
                    first = key_columns[0]
                    add(
                        duplicate.finding(
                            line=line,
                            column=header[first],
                            column_number=first + 1,
                            detail=key_names,
                            clause=clause,
                        )
                    )

        def checked(line: int, cells: list[str]) -> None:
            semantic(line, cells, empty)

        well_formed = checked if french or nir_columns or on_row else quick

        def ragged(line: int, cells: list[str]) -> None:
            add(RULES["ragged-row"].finding(line=line, detail=str(len(cells)), expected=str(width)))

        rows = 0
        line = table.header_line
        try:
            if table.csv is not None:
                rows, line = self._csv_rows(
                    checks, table, table.csv, mapped, width, clause, semantic, well_formed, ragged
                )
            else:
                fast = checks.row_regex(mapped, "\x1f").fullmatch
                for line, row in table.rows:
                    rows += 1
                    if rows % PROGRESS_EVERY == 0 and self._pause(table, line):
                        rows -= 1
                        break
                    cells = row
                    if len(cells) != width:
                        if not (table.pad_short_rows and len(cells) < width):
                            ragged(line, cells)
                            continue
                        cells = cells + [""] * (width - len(cells))
                    bad = (
                        empty
                        if fast("\x1f".join(cells))
                        else self._drill(line, cells, mapped, clause)
                    )
                    semantic(line, cells, bad)
        except _Stopped as stopped:
            rows, line = stopped.rows, stopped.line
            self.add(stopped.finding)
        except ReadError as exc:
            self.add(RULES[exc.rule].finding(line=line + 1, detail=exc.detail))
        self._flush_oversized(table)
        report.rows = rows
        if rows == 0 and not report.by_rule.get("oversized-line"):
            self.add(RULES["header-only"].finding(line=table.header_line))
        if self.progress is not None:
            self.progress(table.position(), table.size)

    def _csv_rows(
        self,
        checks: CompiledKind,
        table: Table,
        records: CsvRecords,
        mapped: list[Column | None],
        width: int,
        clause: str,
        semantic: Callable[[int, list[str], frozenset[int] | set[int]], None],
        well_formed: Callable[[int, list[str]], None],
        ragged: Callable[[int, list[str]], None],
    ) -> tuple[int, int]:
        """The hot loop: one regex match per unquoted line, csv only for quoted ones."""
        delimiter = records.delimiter
        fast = checks.row_regex(mapped, delimiter).fullmatch
        oversized = table.oversized_lines
        drill = self._drill
        rows = 0
        number = records.line
        line = number
        try:
            for text in records.lines:
                number += 1
                line = number
                if '"' in text:
                    records.line = number
                    cells = records.quoted(text)
                    number = records.line
                    if not cells:
                        continue
                    matched = False
                else:
                    body = text.rstrip("\r\n")
                    if not body:
                        if oversized:
                            self._flush_oversized(table)
                        continue
                    cells = body.split(delimiter)
                    matched = len(cells) == width and fast(body) is not None
                rows += 1
                if rows % PROGRESS_EVERY == 0 and self._pause(table, line):
                    return rows - 1, line
                if matched:
                    well_formed(line, cells)
                elif len(cells) != width:
                    ragged(line, cells)
                else:
                    semantic(line, cells, drill(line, cells, mapped, clause))
        except UnicodeDecodeError:
            raise _Stopped(
                rows,
                line,
                RULES["invalid-encoding"].finding(
                    line=number + 1, detail=self.report.encoding or ""
                ),
            ) from None
        except csv.Error as exc:
            message = str(exc)
            rule = RULES["oversized-line"] if "field larger" in message else RULES["csv-syntax"]
            detail = (
                str(self.limits.max_line_chars)
                if "field larger" in message
                else _csv_detail(message)
            )
            raise _Stopped(rows, line, rule.finding(line=line, detail=detail)) from None
        return rows, line

    def _flush_oversized(self, table: Table) -> None:
        for number in table.oversized_lines:
            self.add(
                RULES["oversized-line"].finding(line=number, detail=str(self.limits.max_line_chars))
            )
        table.oversized_lines.clear()

    def _order(
        self, rule: Rule, line: int, cells: list[str], chain: tuple[int, ...], at: int, french: bool
    ) -> None:
        """Report the first date of ``chain`` that comes before the previous filled one."""
        mapped_names = self._names
        previous: tuple[str, int] | None = None
        for i in chain:
            value = cells[i]
            if not value:
                continue
            sortable = value[6:] + value[3:5] + value[:2] if french else value
            if previous is not None and sortable < previous[0]:
                j = previous[1]
                self.add(
                    rule.finding(
                        line=line,
                        column=mapped_names[i],
                        column_number=i + 1,
                        value=value,
                        detail=mapped_names[j],
                        expected=cells[j],
                    )
                )
                return
            previous = (sortable, i)

    def _pause(self, table: Table, line: int) -> bool:
        """Report progress; True (and a finding) once the file passes its size limit."""
        position = table.position()
        if self.progress is not None:
            self.progress(position, table.size)
        if position > self.limits.max_file_bytes:
            self.add(
                RULES["oversized-file"].finding(
                    line=line, detail=_mebibytes(self.limits.max_file_bytes)
                )
            )
            return True
        return False

    def _drill(
        self, line: int, cells: list[str], mapped: list[Column | None], clause: str
    ) -> set[int]:
        """Find which cells of a row that failed the row regex are wrong, and why."""
        bad: set[int] = set()
        for i, column in enumerate(mapped):
            if column is None:
                continue
            finding = _cell_finding(column, cells[i], line, i + 1, clause)
            if finding is not None:
                bad.add(i)
                self.add(finding)
        return bad

    def _member(self, line: int, i: int, column: Column, value: str, clause: str) -> None:
        spec_type = column.spec.type
        rule = {
            ColumnType.COMMUNE: "unknown-commune",
            ColumnType.DEPARTEMENT: "unknown-departement",
        }.get(spec_type, "code-list")
        self.add(
            RULES[rule].finding(
                line=line,
                column=column.name,
                column_number=i + 1,
                value=mask_value(value, column.spec.masking),
                detail=_allowed(column),
                clause=clause,
            )
        )

    def _nir(
        self,
        line: int,
        cells: list[str],
        columns: tuple[int | None, int | None, int | None],
        mapped: list[Column | None],
        bad: frozenset[int] | set[int],
        french: bool,
    ) -> None:
        nir_i, sex_i, birth_i = columns
        if nir_i is None or nir_i in bad or not cells[nir_i]:
            return
        nir = cells[nir_i]
        column = mapped[nir_i]
        assert column is not None
        where: dict[str, Any] = {
            "line": line,
            "column": column.name,
            "column_number": nir_i + 1,
            "value": mask_value(nir, column.spec.masking),
        }
        if len(nir) == 15 and nir[13:] != nir_key(nir[:13]):
            self.add(RULES["nir-key"].finding(**where))
        sex = cells[sex_i] if sex_i is not None and sex_i not in bad else ""
        if sex in _SEX_DIGITS and nir[0] not in _SEX_DIGITS[sex]:
            self.add(RULES["nir-sex"].finding(**where, detail=nir[0], expected=sex))
        if birth_i is not None and birth_i not in bad and cells[birth_i]:
            value = cells[birth_i]
            iso = value[6:] + "-" + value[3:5] + "-" + value[:2] if french else value
            problem = _nir_birth_problem(nir, dt.date.fromisoformat(iso))
            if problem:
                self.add(RULES["nir-birth-date"].finding(**where, detail=problem))


def _nir_birth_problem(nir: str, birth: dt.date) -> str | None:
    if nir[1:3] != f"{birth.year % 100:02d}":
        return f"année {nir[1:3]} dans le NIR/NIA, {birth.year} pour la date de naissance"
    month = int(nir[3:5])
    if 1 <= month <= 12 and month != birth.month:
        return f"mois {nir[3:5]} dans le NIR/NIA, {birth.month:02d} pour la date de naissance"
    try:
        check_birthplace_year(nir[:13], birth)
    except ValueError:
        return "la Corse s'écrit 20 avant 1976 et 2A/2B ensuite"
    return None


def _cell_finding(
    column: Column, value: str, line: int, number: int, clause: str
) -> Finding | None:
    """The finding a cell earns on its own (format, type, list, formula), if any."""
    spec = column.spec
    where: dict[str, Any] = {
        "line": line,
        "column": column.name,
        "column_number": number,
        "clause": clause,
    }
    if value == "":
        if column.required:
            return RULES["required-value"].finding(**where, detail=column.description)
        return None
    if column.cell.fullmatch(value):
        return None
    shown = mask_value(value, spec.masking)
    kind = spec.type
    if kind is ColumnType.TEXT:
        if value.startswith(INJECTION_STARTS):
            return RULES["formula-injection"].finding(
                **where, value=shown, detail=repr(value[0])[1:-1]
            )
        limit = spec.max_length or 200
        if len(value) > limit:
            return RULES["value-too-long"].finding(**where, value=shown, detail=str(limit))
        return RULES["invalid-format"].finding(
            **where, value=shown, detail="texte sans caractère de contrôle"
        )
    if kind is ColumnType.DATE:
        return _date_finding(column, value, shown, where)
    if kind in (ColumnType.CODE, ColumnType.FLAG):
        return RULES["code-list"].finding(**where, value=shown, detail=_allowed(column))
    if kind is ColumnType.NIR:
        return RULES["nir-format"].finding(
            **{**where, "clause": ""},
            value=shown,
            detail=f"{len(value)} caractères lus"
            if len(value) not in (13, 15)
            else "caractère ou position impossible",
        )
    return RULES["invalid-format"].finding(**where, value=shown, detail=_format_of(column))


def _date_finding(column: Column, value: str, shown: str, where: dict[str, Any]) -> Finding:
    date_format = column.date_format
    iso = date_format is DateFormat.ISO
    expected = date_format.value
    if DATE_SHAPES[date_format].fullmatch(value):
        text = value if iso else value[6:] + "-" + value[3:5] + "-" + value[:2]
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return RULES["invalid-date"].finding(
                **where, value=shown, detail="date impossible", expected=expected
            )
        if not 1900 <= day.year <= 2099:
            return RULES["invalid-date"].finding(
                **where, value=shown, detail="année hors de 1900-2099", expected=expected
            )
        if column.spec.first_of_month and day.day != 1:
            first = day.replace(day=1)
            example = first.isoformat() if iso else first.strftime("%d/%m/%Y")
            return RULES["birth-date-first-of-month"].finding(
                **where, value=shown, expected=example
            )
    return RULES["invalid-date"].finding(
        **where, value=shown, detail=f"format attendu {expected}", expected=expected
    )


def _allowed(column: Column) -> str:
    if column.spec.type is ColumnType.COMMUNE:
        return "codes INSEE des communes (COG 2026)"
    if column.spec.type is ColumnType.DEPARTEMENT:
        return "codes INSEE des départements"
    codes = column.codes or {}
    if len(codes) > 12:
        return f"{len(codes)} codes, voir contracts/files/{column.name}"
    return ", ".join(f"{code} ({label})" for code, label in codes.items())


def _format_of(column: Column) -> str:
    return {
        ColumnType.EMAIL: "adresse électronique (nom@domaine.fr)",
        ColumnType.PHONE: "téléphone à 10 chiffres (0612345678) ou international (+33612345678)",
        ColumnType.COMMUNE: "code INSEE de commune à 5 caractères (ex. 62041)",
        ColumnType.DEPARTEMENT: "code INSEE de département (62, 2A, 971…)",
        ColumnType.PATTERN: f"motif {column.pattern}",
    }.get(column.spec.type, column.pattern)


def _csv_detail(message: str) -> str:
    if "EOF" in message or "end of data" in message:
        return "guillemet non fermé en fin de fichier"
    return "guillemet ou séparateur mal placé"


def _mebibytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} Mio"


def _os_error(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    if isinstance(exc, PermissionError):
        return "accès refusé"
    return f"erreur d'entrée-sortie ({type(exc).__name__})"
