"""Streaming reader of exchange files: CSV (UTF-8, UTF-8 with BOM, Windows-1252; ``;`` or ``,``)
and XLSX (first sheet, openpyxl read-only). Rows are produced one at a time, so memory does not
grow with the file.

Encoding and separator are detected from the first 64 KiB: a UTF-8 BOM means UTF-8; otherwise
text that decodes as UTF-8 is UTF-8, anything else Windows-1252. The separator is the one of
``;`` and ``,`` that appears most in the header line (outside quotes). Lines are read with a
length bound (``Limits.max_line_chars``), so one huge line never loads whole into memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

SNIFF_BYTES = 64 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds the reader keeps (README "Limits")."""

    max_file_bytes: int = 512 * 1024 * 1024
    max_line_chars: int = 65_536


class ReadError(Exception):
    """The input cannot be read as a table: ``rule`` is the finding to report."""

    def __init__(self, rule: str, detail: str = "", line: int | None = None) -> None:
        super().__init__(detail or rule)
        self.rule = rule
        self.detail = detail
        self.line = line


class OversizedLine(Exception):
    """A physical line longer than the limit (carried out of the csv module's iteration)."""


@dataclass
class Table:
    """An open table: its header, then its rows as ``(line, cells)``."""

    encoding: str
    delimiter: str | None
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str]]]
    position: Callable[[], int]
    """Bytes consumed so far (for progress and the file-size limit)."""
    size: int | None
    oversized_lines: list[int] = field(default_factory=list)
    csv: CsvRecords | None = None
    """For a CSV file, the records (the checker reads their lines itself, faster)."""
    pad_short_rows: bool = False
    """Spreadsheets drop trailing empty cells: a short row is padded, not ragged."""
    date_format: str = "%Y-%m-%d"
    """How a spreadsheet's date cells are written back as text (set once the kind is known)."""

    closer: Callable[[], None] | None = None

    def close(self) -> None:
        """Release the underlying file."""
        if self.closer is not None:
            self.closer()


def open_table(raw: IO[bytes], size: int | None, limits: Limits) -> Table:
    """Detect the format of ``raw`` and return the table; raises ``ReadError``."""
    head = raw.read(SNIFF_BYTES)
    if not head:
        raise ReadError("empty-file")
    if head.startswith(_XLSX_MAGIC):
        rest = raw.read()
        return _open_xlsx(head + rest, limits)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError("unreadable-file", "fichier en UTF-16, enregistrez-le en UTF-8")
    if any(byte in _CONTROL for byte in head[:4096]) or b"\x00" in head:
        raise ReadError("binary-input")
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
            try:
                head.decode("cp1252")
            except UnicodeDecodeError as exc:
                line = head[: exc.start].count(b"\n") + 1
                raise ReadError("invalid-encoding", "UTF-8 ou Windows-1252", line) from None
    return _open_csv(head, raw, encoding, size, limits)


def _open_csv(
    head: bytes, raw: IO[bytes], encoding: str, size: int | None, limits: Limits
) -> Table:
    source = _Prefixed(head, raw)
    stream = io.BufferedReader(source, buffer_size=SNIFF_BYTES)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    oversized: list[int] = []
    lines = _bounded_lines(text, limits.max_line_chars, oversized)
    first = _first_line(head, encoding)
    if not head.strip():
        raise ReadError("empty-file")
    delimiter = ";" if _unquoted(first).count(";") > _unquoted(first).count(",") else ","
    records = CsvRecords(lines, delimiter)
    iterator = iter(records)
    first_record = next(iterator, None)
    if first_record is None:
        raise ReadError("empty-file")
    header_line, header = first_record
    table = Table(
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        header_line=header_line,
        rows=iterator,
        position=lambda: source.consumed,
        size=size,
        oversized_lines=oversized,
        csv=records,
    )
    table.closer = text.close
    return table


class CsvRecords:
    """CSV records over bounded physical lines, counting them.

    A line without a double quote is split on the separator (what the csv module would do, at C
    speed); a line with one goes through the csv module, which may take further lines for a
    quoted cell holding a line break. ``line`` is the number of the last physical line read.
    """

    def __init__(self, lines: Iterator[str], delimiter: str) -> None:
        self.lines = lines
        self.delimiter = delimiter
        self.line = 0

    def quoted(self, text: str) -> list[str]:
        """Parse the record starting with ``text`` (already counted); raises ``csv.Error``."""
        reader = csv.reader(
            itertools.chain((text,), self.lines), delimiter=self.delimiter, strict=True
        )
        try:
            cells = next(reader)
        finally:
            self.line += max(reader.line_num - 1, 0)
        return cells

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for text in self.lines:
            self.line += 1
            start = self.line
            if '"' in text:
                cells = self.quoted(text)
            else:
                body = text.rstrip("\r\n")
                if not body:
                    continue
                cells = body.split(self.delimiter)
            if cells:
                yield start, cells


def _first_line(head: bytes, encoding: str) -> str:
    text = head.decode(encoding, errors="replace")
    stripped = text.lstrip("\r\n")
    return stripped.split("\n", 1)[0]


def _unquoted(line: str) -> str:
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


def _bounded_lines(text: io.TextIOWrapper, max_chars: int, oversized: list[int]) -> Iterator[str]:
    """Physical lines of at most ``max_chars``; a longer one is consumed, noted and replaced by
    an empty line, so that line numbers stay right."""
    readline = text.readline
    number = 0
    while True:
        line = readline(max_chars + 1)
        if not line:
            return
        number += 1
        if len(line) > max_chars and line[-1] not in "\r\n":
            while True:
                rest = readline(max_chars)
                if not rest or rest[-1] in "\r\n":
                    break
            oversized.append(number)
            yield "\n"
            continue
        yield line


class _Prefixed(io.RawIOBase):
    """A raw stream that first gives back the bytes already sniffed."""

    def __init__(self, head: bytes, raw: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            self.consumed += n
            return n
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def _open_xlsx(content: bytes, limits: Limits) -> Table:
    import openpyxl  # only for spreadsheets: keeps CSV checks light

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(
            "unreadable-file", f"archive XLSX invalide ({type(exc).__name__})"
        ) from None
    if unpacked > limits.max_file_bytes:
        raise ReadError(
            "oversized-file", f"{limits.max_file_bytes // (1024 * 1024)} Mio décompressés"
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ReadError(
            "unreadable-file", f"classeur XLSX invalide ({type(exc).__name__})"
        ) from None
    table = Table(
        encoding="xlsx",
        delimiter=None,
        header=[],
        header_line=0,
        rows=iter(()),
        position=lambda: 0,
        size=None,
        pad_short_rows=True,
    )

    def cell_text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.strftime(table.date_format)
        if isinstance(value, dt.date):
            return value.strftime(table.date_format)
        if isinstance(value, bool):
            return "O" if value else "N"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(values, start=1):
                cells = [cell_text(v) for v in row]
                while cells and cells[-1] == "":
                    cells.pop()
                if cells:
                    yield number, cells
        except Exception as exc:  # a broken sheet part shows up while streaming
            raise ReadError(
                "unreadable-file", f"feuille XLSX invalide ({type(exc).__name__})"
            ) from None
        finally:
            workbook.close()

    iterator = rows()
    for table.header_line, table.header in iterator:
        break
    else:
        workbook.close()
        raise ReadError("empty-file")
    table.rows = iterator
    table.closer = workbook.close
    return table
