"""Renderers of exchange-file reports: console (rich), JSON, JUnit XML, HTML (French, standalone).

Every renderer shows only what the ``Report`` holds, and reports hold masked values only.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from conformance.rendering import BASE_CSS, SEVERITY_PLURALS, SEVERITY_STYLE, french_count
from conformance.rendering import escape as _e
from sandbox.exchange.rules import RULES
from sandbox.findings import MAX_FINDINGS_PER_RULE, Report, Severity


def _title(rule: str) -> str:
    known = RULES.get(rule)
    return known.title if known else rule


def _summary(report: Report) -> str:
    counts = ", ".join(
        french_count(report.counts.get(s, 0), s.value, SEVERITY_PLURALS[s]) for s in Severity
    )
    return f"{french_count(report.rows, 'ligne de données', 'lignes de données')} ; {counts}"


def _described(report: Report) -> str:
    parts = [report.kind or "type non reconnu"]
    if report.encoding:
        parts.append(report.encoding)
    if report.delimiter:
        parts.append(f"séparateur « {report.delimiter} »")
    return " · ".join(parts)


def render_console(reports: Sequence[Report], console: Console) -> None:
    """A summary per file, then a table of its findings."""
    for report in reports:
        worst = report.worst()
        status = (
            "[bold green]conforme[/]"
            if worst is None
            else (
                f"[{SEVERITY_STYLE[worst]}]{worst.value}s trouvées[/]"
                if worst is not Severity.ERROR
                else "[bold red]non conforme[/]"
            )
        )
        console.print(
            f"[bold]{report.source}[/] — {_described(report)} — {status}", highlight=False
        )
        console.print(f"  {_summary(report)}", highlight=False)
        if not report.findings:
            continue
        table = Table(show_lines=False, expand=True)
        for name in ("Ligne", "Colonne", "Gravité", "Règle", "Message", "Correction"):
            table.add_column(name, overflow="fold")
        for finding in report.findings:
            column = finding.column or ""
            if finding.column_number:
                column = f"{column} (n° {finding.column_number})"
            message = finding.message + (f" [valeur : {finding.value}]" if finding.value else "")
            table.add_row(
                "" if finding.line is None else str(finding.line),
                column,
                f"[{SEVERITY_STYLE[finding.severity]}]{finding.severity.value}[/]",
                finding.rule,
                message,
                finding.hint,
            )
        console.print(table)
        for rule, count in sorted(report.omitted.items()):
            console.print(
                f"  … et {count} autres constats « {rule} » (au-delà de {MAX_FINDINGS_PER_RULE} "
                "par règle)",
                highlight=False,
            )


def render_json(reports: Sequence[Report]) -> str:
    """One JSON document: ``{"rapports": [...]}``."""
    return (
        json.dumps(
            {"rapports": [r.model_dump(mode="json") for r in reports]}, ensure_ascii=False, indent=2
        )
        + "\n"
    )


def render_junit(reports: Sequence[Report], fail_on: Severity) -> bytes:
    """``<testsuites>``: one suite per file, one test case per rule applied; a rule fails when it
    has a finding at or above ``fail_on``."""
    suites = ET.Element("testsuites", name="ft-conformance files")
    for report in reports:
        rules = list(dict.fromkeys([*report.rules, *report.by_rule]))
        failing = {f.rule for f in report.findings if f.severity.rank >= fail_on.rank} | {
            rule for rule in report.omitted if RULES[rule].severity.rank >= fail_on.rank
        }
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=report.source,
            tests=str(len(rules)),
            failures=str(len(failing)),
            errors="0" if report.readable else "1",
        )
        for rule in rules:
            case = ET.SubElement(
                suite, "testcase", classname=f"files.{report.kind or 'inconnu'}", name=rule
            )
            found = [f for f in report.findings if f.rule == rule]
            text = "\n".join(
                f"ligne {f.line or '-'} colonne {f.column or '-'} : {f.message} — {f.hint}"
                for f in found
            )
            if report.omitted.get(rule):
                text += f"\n… et {report.omitted[rule]} autres"
            if rule in failing:
                failure = ET.SubElement(
                    case, "failure", message=found[0].message if found else rule, type=rule
                )
                failure.text = text
            elif found:
                ET.SubElement(case, "system-out").text = text
    return bytes(ET.tostring(suites, encoding="utf-8", xml_declaration=True))


def render_html(reports: Sequence[Report]) -> str:
    """A standalone French page (no script, no external resource) for a recette team."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        "<title>Vérification des fichiers d'échange</title>",
        f"<style>{BASE_CSS}</style></head><body>",
        "<h1>Vérification des fichiers d'échange — convention n° 2024-253</h1>",
        '<p class="meta">Les valeurs personnelles sont masquées : NIR réduit à 7 caractères, '
        "noms réduits aux initiales, adresses et courriels masqués. « Ligne » compte l'en-tête "
        "comme ligne 1, comme un tableur.</p>",
    ]
    for report in reports:
        worst = report.worst()
        verdict = (
            '<span class="ok">Conforme</span>'
            if worst is None
            else f'<span class="{worst.value}">'
            + ("Non conforme" if worst is Severity.ERROR else "Conforme, avec des remarques")
            + "</span>"
        )
        out.append(f"<h2>{_e(report.source)}</h2>")
        out.append(f"<p>{verdict} — {_e(_described(report))} — {_e(_summary(report))}.</p>")
        if report.by_rule:
            out.append(
                "<table><tr><th>Règle</th><th>Intitulé</th><th>Constats</th>"
                "<th>Clause de la convention</th></tr>"
            )
            for rule, count in sorted(report.by_rule.items()):
                known = RULES.get(rule)
                clause = next((f.clause for f in report.findings if f.rule == rule), "")
                severity = known.severity.value if known else ""
                out.append(
                    f'<tr><td><code>{_e(rule)}</code></td><td class="{severity}">'
                    f"{_e(_title(rule))}</td><td>{count}</td><td>{_e(clause)}</td></tr>"
                )
            out.append("</table>")
        if report.findings:
            out.append(
                "<table><tr><th>Ligne</th><th>Colonne</th><th>Gravité</th><th>Constat</th>"
                "<th>Comment corriger</th><th>Valeur (masquée)</th></tr>"
            )
            for f in report.findings:
                column = f.column or ""
                if f.column_number:
                    column += f" (n° {f.column_number})"
                out.append(
                    f"<tr><td>{_e(f.line if f.line is not None else '')}</td><td>{_e(column)}</td>"
                    f'<td class="{f.severity.value}">{_e(f.severity.value)}</td>'
                    f"<td>{_e(f.message)}</td><td>{_e(f.hint)}</td>"
                    f"<td>{_e(f.value or '')}</td></tr>"
                )
            out.append("</table>")
        for rule, count in sorted(report.omitted.items()):
            out.append(
                f"<p>… et {count} autres constats <code>{_e(rule)}</code> non détaillés "
                f"(au-delà de {MAX_FINDINGS_PER_RULE} par règle).</p>"
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
