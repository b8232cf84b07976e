"""`ft-conformance files`: exit codes, report formats, samples, and privacy of every report."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from conformance.cli import main
from conformance.files.render import render_console, render_html, render_json, render_junit
from sandbox.exchange import check
from sandbox.exchange.samples import Sample, sample
from sandbox.findings import Severity

FILES = Path(__file__).resolve().parents[2] / "fixtures" / "files"
VALID = FILES / "valid" / "annexe4-pilotage.csv"
WARNING_ONLY = FILES / "invalid" / "date-order-cer.csv"
ERROR = FILES / "invalid" / "code-list.csv"


def test_exit_codes_follow_the_worst_finding_and_fail_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["files", "check", str(VALID)]) == 0
    assert main(["files", "check", str(ERROR)]) == 1
    assert main(["files", "check", str(WARNING_ONLY)]) == 0
    assert main(["files", "check", str(WARNING_ONLY), "--fail-on", "avertissement"]) == 1
    assert main(["files", "check", str(VALID), str(ERROR)]) == 1
    assert "non conforme" in capsys.readouterr().out


def test_unreadable_input_and_bad_usage_exit_2(tmp_path: Path) -> None:
    assert main(["files", "check", str(tmp_path / "absent.csv")]) == 2
    assert main(["files", "check", str(FILES / "invalid" / "binary-input.csv")]) == 2
    assert main(["files", "check", str(FILES / "invalid" / "unreadable-file.csv")]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["files", "check", str(VALID), "--kind", "annexe9"])
    assert usage.value.code == 2


def test_json_report_lists_findings_with_line_column_rule_message_hint(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["files", "check", str(ERROR), "--format", "json", "--output", str(out)]) == 1
    [report] = json.loads(out.read_text("utf-8"))["rapports"]
    [finding] = report["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("code-list", 3, "ROLE_CAF")
    assert finding["severity"] == "erreur" and finding["message"] and finding["hint"]
    assert report["counts"] == {"erreur": 1}


def test_junit_has_one_test_case_per_rule_and_fails_the_broken_one(tmp_path: Path) -> None:
    out = tmp_path / "r.xml"
    main(["files", "check", str(ERROR), "--format", "junit", "--output", str(out)])
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert len(cases) == int(suite.get("tests", "0")) > 20
    assert [name for name, case in cases.items() if case.find("failure") is not None] == [
        "code-list"
    ]


def test_html_is_french_and_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    main(["files", "check", str(ERROR), str(VALID), "--format", "html", "--output", str(out)])
    page = out.read_text("utf-8")
    assert '<html lang="fr">' in page and "Non conforme" in page and "Conforme" in page
    assert "Valeurs autorisées" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_sample_writes_a_valid_file_or_one_breaking_the_named_rule(tmp_path: Path) -> None:
    valid, broken = tmp_path / "v.xlsx", tmp_path / "b.csv"
    assert (
        main(
            [
                "files",
                "sample",
                "--kind",
                "annexe1-inscription",
                "--rows",
                "7",
                "--seed",
                "5",
                "--format",
                "xlsx",
                "--output",
                str(valid),
            ]
        )
        == 0
    )
    report = check(valid)
    assert (report.kind, report.rows, report.findings) == ("annexe1-inscription", 7, [])
    assert (
        main(["files", "sample", "--rows", "6", "--break", "nir-key", "--output", str(broken)]) == 0
    )
    assert [f.rule for f in check(broken).findings] == ["nir-key"]
    assert (
        main(
            ["files", "sample", "--kind", "annexe4-pilotage", "--rows", "2", "--break", "code-list"]
        )
        == 2
    )


def test_the_same_seed_gives_the_same_file(tmp_path: Path) -> None:
    for name in ("a", "b"):
        main(
            [
                "files",
                "sample",
                "--kind",
                "annexe4-pilotage",
                "--rows",
                "20",
                "--seed",
                "3",
                "--output",
                str(tmp_path / name),
            ]
        )
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()
    main(
        [
            "files",
            "sample",
            "--kind",
            "annexe4-pilotage",
            "--rows",
            "20",
            "--seed",
            "4",
            "--output",
            str(tmp_path / "c"),
        ]
    )
    assert (tmp_path / "a").read_bytes() != (tmp_path / "c").read_bytes()


PEOPLE = sample("annexe1-inscription", 12)
_NIRS = [row[PEOPLE.column("NIR")][:13] for row in PEOPLE.rows]
_NAMES = [
    name
    for row in PEOPLE.rows
    for name in (row[PEOPLE.column("NOM")], row[PEOPLE.column("PRENOM")])
    if len(name)
    > 3  # shorter runs of letters are shown, as codes are (sandbox/exchange/masking.py)
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.permutations(list(range(len(PEOPLE.header)))), min_size=12, max_size=12),
    st.lists(st.integers(0, len(PEOPLE.header)), min_size=12, max_size=12),
    st.booleans(),
)
def test_no_report_shows_a_full_nir_or_a_full_name(
    orders: list[list[int]], cuts: list[int], names_in_header: bool
) -> None:
    """People's cells moved into any column, rows cut short, names as column names: whatever the
    rule that fires, no renderer writes a 13-character NIR body or a name."""
    rows = [
        [row[i] for i in order][: max(cut, 1)] if cut % 3 == 0 else [row[i] for i in order]
        for row, order, cut in zip(PEOPLE.rows, orders, cuts, strict=True)
    ]
    header = list(PEOPLE.header)
    if names_in_header:
        header += [PEOPLE.rows[0][PEOPLE.column("NOM")], _NIRS[1]]
    report = check(Sample(PEOPLE.kind, header, rows).to_csv(), kind="annexe1-inscription")
    console = io.StringIO()
    render_console([report], Console(file=console, width=200, no_color=True))
    outputs = [
        console.getvalue(),
        render_json([report]),
        render_html([report]),
        render_junit([report], Severity.ERROR).decode("utf-8"),
    ]
    for text in outputs:
        folded = text.casefold()
        for nir in _NIRS:
            assert nir not in text
        for name in _NAMES:
            assert name.casefold() not in folded, name
