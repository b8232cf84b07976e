"""Renderers of a client campaign: console (rich), JSON, JUnit XML, HTML procès-verbal de recette.

Everything is rendered from a ``Campaign`` and nothing else, and deterministically: the same
Campaign gives byte-identical outputs (no clock read, no set or dict insertion order shown as is),
so the same seed and the same client behaviour give the same reports. Campaigns hold masked
values only (evidence excerpts are journal shapes); renderers add none and escape everything.

A rule's verdict in a scenario: evaluated (in ``report.rules``) with no finding → conforme; with an
``erreur`` finding → non conforme; with lesser findings only → conforme, with remarks. Rule titles
are the runner's (``titles``, the rules registry's: rule id → French title); a rule missing from
``titles`` is shown by its id.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from rich.console import Console
from rich.markup import escape as markup
from rich.table import Table

from conformance.client.results import Campaign, ScenarioResult
from conformance.rendering import BASE_CSS, SEVERITY_STYLE, escape, french_count, xml_text
from sandbox.findings import MAX_FINDINGS_PER_RULE, Evidence, Finding, Report, Severity

CONSOLE_EVIDENCE = 3
"""Evidence lines the console shows under a failed rule (the other formats show them all)."""

PV_TITLE = "Procès-verbal de recette — raccordement aux API France Travail"


@dataclass(frozen=True)
class RuleOutcome:
    """One rule in one scenario: its findings kept, how many were found, its worst severity."""

    rule: str
    findings: tuple[Finding, ...]
    found: int
    omitted: int

    @property
    def worst(self) -> Severity | None:
        """The most serious severity among the rule's findings, None when it has none."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    @property
    def failed(self) -> bool:
        """True when the rule has an error-severity finding (the campaign's pass criterion)."""
        return self.worst is Severity.ERROR

    @property
    def verdict(self) -> str:
        """``conforme``, ``non conforme`` or ``conforme, avec remarques``."""
        if self.worst is None:
            return "conforme"
        return "non conforme" if self.failed else "conforme, avec remarques"

    @property
    def leading(self) -> Finding:
        """The finding that names the rule's verdict: its first of the worst severity (a rule
        with findings only)."""
        return next(f for f in self.findings if f.severity is self.worst)

    @property
    def evidence(self) -> list[Evidence]:
        """Every evidence of the rule's kept findings, in order."""
        return [e for f in self.findings for e in f.evidence]


def rule_outcomes(report: Report) -> list[RuleOutcome]:
    """The rules of a scenario's report, in the order they were evaluated; a rule that has
    findings without being listed as evaluated comes after, by id."""
    extra = sorted({*report.by_rule, *(f.rule for f in report.findings)} - set(report.rules))
    outcomes = []
    for rule in dict.fromkeys([*report.rules, *extra]):
        kept = tuple(f for f in report.findings if f.rule == rule)
        outcomes.append(
            RuleOutcome(
                rule=rule,
                findings=kept,
                found=max(report.by_rule.get(rule, 0), len(kept)),
                omitted=report.omitted.get(rule, 0),
            )
        )
    return outcomes


def _failed(scenario: ScenarioResult) -> bool:
    return scenario.report.fails(Severity.ERROR)


def _title(rule: str, titles: Mapping[str, str]) -> str:
    return titles.get(rule, rule)


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


def _exit_code(scenario: ScenarioResult) -> str:
    code = scenario.client_exit_code
    return "non lancé (observation)" if code is None else str(code)


def _evidence_line(evidence: Evidence) -> str:
    return f"appel n° {evidence.call} · {evidence.at} · {evidence.excerpt}"


def _stated(finding: Finding) -> str:
    """A finding's message, with its masked value when it names one."""
    return finding.message + (f" [valeur : {finding.value}]" if finding.value else "")


def _distinct(values: Iterable[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def _tally(campaign: Campaign) -> tuple[int, int, int]:
    """(rules evaluated, rules failed, scenarios failed) over the campaign."""
    evaluated = failed = scenarios = 0
    for scenario in campaign.scenarios:
        outcomes = rule_outcomes(scenario.report)
        evaluated += len(outcomes)
        failed += sum(o.failed for o in outcomes)
        scenarios += _failed(scenario)
    return evaluated, failed, scenarios


def _overall(campaign: Campaign) -> str:
    evaluated, failed, scenarios = _tally(campaign)
    total = len(campaign.scenarios)
    ran = french_count(total, "scénario", "scénarios")
    if not failed and not scenarios:
        return (
            f"conforme — {french_count(evaluated, 'règle évaluée', 'règles évaluées')} "
            f"dans {ran}, aucune en échec"
        )
    return (
        f"non conforme — {french_count(failed, 'règle en échec', 'règles en échec')} "
        f"sur {evaluated} évaluées, dans {french_count(scenarios, 'scénario', 'scénarios')} "
        f"sur {total}"
    )


# --- console ---------------------------------------------------------------------------------

_VERDICT_STYLE = {
    "conforme": "bold green",
    "non conforme": "bold red",
    "conforme, avec remarques": SEVERITY_STYLE[Severity.WARNING],
}


def render_console(campaign: Campaign, console: Console, titles: Mapping[str, str]) -> None:
    """Per scenario: a line (verdict, exchanges, client exit code, duration), a table of the
    rules' verdicts, the first evidence lines of each failed rule; then the campaign's verdict."""
    console.print(
        f"[bold]Client {markup(campaign.client_id)}[/] — graine {campaign.seed} — bac à sable "
        f"{markup(campaign.sandbox_version)}",
        highlight=False,
    )
    for scenario in campaign.scenarios:
        failed = _failed(scenario)
        status = "[bold red]non conforme[/]" if failed else "[bold green]conforme[/]"
        console.print(
            f"\n[bold]{markup(scenario.name)}[/] — {markup(scenario.title)} : {status} · "
            f"{french_count(scenario.report.rows, 'échange', 'échanges')} · code de sortie "
            f"{markup(_exit_code(scenario))} · {_seconds(scenario.duration_seconds)}",
            highlight=False,
        )
        outcomes = rule_outcomes(scenario.report)
        if not outcomes:
            continue
        table = Table()
        for name in ("Règle", "Intitulé", "Verdict"):
            table.add_column(name, overflow="fold")
        for outcome in outcomes:
            verdict = outcome.verdict + (f" ({outcome.found})" if outcome.found else "")
            table.add_row(
                markup(outcome.rule),
                markup(_title(outcome.rule, titles)),
                f"[{_VERDICT_STYLE[outcome.verdict]}]{verdict}[/]",
            )
        console.print(table)
        for outcome in (o for o in outcomes if o.failed):
            console.print(
                f"  [bold red]✗ {markup(outcome.rule)}[/] — {markup(_stated(outcome.leading))}",
                highlight=False,
            )
            evidence = outcome.evidence
            for item in evidence[:CONSOLE_EVIDENCE]:
                console.print(f"      {markup(_evidence_line(item))}", highlight=False)
            if len(evidence) > CONSOLE_EVIDENCE or outcome.found > 1:
                console.print(
                    f"      … {french_count(outcome.found, 'constat', 'constats')}, "
                    f"{french_count(len(evidence), 'échange en preuve', 'échanges en preuve')}"
                    " en tout",
                    highlight=False,
                )
    style = "bold red" if not campaign.passed() else "bold green"
    console.print(f"\n[{style}]Verdict : {_overall(campaign)}[/]", highlight=False)


# --- JSON ------------------------------------------------------------------------------------


def render_json(campaign: Campaign) -> str:
    """The Campaign model, keys sorted (two equal Campaigns give the same bytes whatever order
    their maps were filled in), non-ASCII characters kept; ``Campaign.model_validate_json`` reads
    it back."""
    return (
        json.dumps(campaign.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )


# --- JUnit XML -------------------------------------------------------------------------------


def _failure_text(outcome: RuleOutcome) -> str:
    lines = []
    for finding in outcome.findings:
        lines.append(f"[{finding.severity.value}] {_stated(finding)}")
        lines.extend(f"  {_evidence_line(e)}" for e in finding.evidence)
    lines.extend(f"Clause : {c}" for c in _distinct(f.clause for f in outcome.findings))
    lines.extend(f"Correction : {h}" for h in _distinct(f.hint for f in outcome.findings))
    if outcome.omitted:
        lines.append(
            f"… et {outcome.omitted} autres constats non détaillés "
            f"(au-delà de {MAX_FINDINGS_PER_RULE} par règle)"
        )
    return "\n".join(lines)


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})


def render_junit(campaign: Campaign, titles: Mapping[str, str]) -> str:
    """``<testsuites>``: a ``<testsuite>`` per scenario, a ``<testcase>`` per rule evaluated
    (classname ``client.<scenario>``, name ``<rule id> — <title>``); a failed rule has a
    ``<failure>`` (first finding's message, rule id as type, every finding and evidence as text),
    a rule with lesser findings only tells them in ``<system-out>``."""
    evaluated, failed, _ = _tally(campaign)
    total_time = sum(s.duration_seconds for s in campaign.scenarios)
    suites = ET.Element(
        "testsuites",
        name=xml_text(f"ft-conformance client {campaign.client_id}"),
        tests=str(evaluated),
        failures=str(failed),
        errors="0",
        time=f"{total_time:.3f}",
    )
    for scenario in campaign.scenarios:
        outcomes = rule_outcomes(scenario.report)
        suite = _element(
            suites,
            "testsuite",
            name=scenario.name,
            tests=str(len(outcomes)),
            failures=str(sum(o.failed for o in outcomes)),
            errors="0",
            skipped="0",
            time=f"{scenario.duration_seconds:.3f}",
        )
        properties = _element(suite, "properties")
        for name, value in (
            ("titre", scenario.title),
            ("client", campaign.client_id),
            ("graine", str(campaign.seed)),
            ("version du bac à sable", campaign.sandbox_version),
            ("début de la campagne", campaign.started_at),
            ("profil de fautes", scenario.profile),
            ("échanges", str(scenario.report.rows)),
            ("code de sortie du client", _exit_code(scenario)),
        ):
            _element(properties, "property", name=name, value=value)
        for outcome in outcomes:
            case = _element(
                suite,
                "testcase",
                name=f"{outcome.rule} — {_title(outcome.rule, titles)}",
                classname=f"client.{scenario.name}",
                time="0",
            )
            if outcome.failed:
                failure = _element(
                    case,
                    "failure",
                    message=_stated(outcome.leading),
                    type=outcome.rule,
                )
                failure.text = xml_text(_failure_text(outcome))
            elif outcome.findings:
                _element(case, "system-out").text = xml_text(_failure_text(outcome))
    ET.indent(suites)  # whitespace between elements only: texts and attributes are left as they are
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


# --- HTML procès-verbal ----------------------------------------------------------------------

_PV_CSS = """
@page{size:A4;margin:16mm 14mm}
body{max-width:60rem;line-height:1.4}
h3{font-size:1.05rem;margin-top:1.5rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
.verdict{font-size:1.3rem;border:3px solid currentColor;padding:.5rem 1rem;display:inline-block}
.remarque{color:#8a5a00}.muet{color:#555}
td.extrait{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;overflow-wrap:anywhere}
table.matrice td,table.matrice th{font-size:.8rem}
.signatures{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem;break-inside:avoid}
.signature{border:1px solid #1e1e1e;padding:.5rem 1rem}
.signature h3{margin-top:0}
.signature dl{display:grid;grid-template-columns:max-content 1fr;gap:1.2rem .5rem}
.signature dd{margin:0;border-bottom:1px dotted #1e1e1e}
.signature dd.zone{height:4rem}
@media print{
 body{margin:0;max-width:none;font-size:10pt;color:#000}
 th{background:none}code{background:none}
 .scenario{break-before:page}
 h2,h3,h4{break-after:avoid}
 tr,dl.facts,.verdict{break-inside:avoid}
 thead{display:table-header-group}
 .fin{break-before:page}
}
"""

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _french_date(iso: str) -> str:
    """``2026-12-01T20:50:18+00:00`` → ``1 décembre 2026 à 20:50:18 (UTC)``; other text as is."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    offset = moment.utcoffset()
    zone = "" if offset is None else (" (UTC)" if not offset else f" (UTC{moment:%z})")
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year} à {moment:%H:%M:%S}{zone}"


def _verdict_class(verdict: str) -> str:
    return {"conforme": "ok", "non conforme": "erreur"}.get(verdict, "remarque")


def _joined(values: Iterable[str]) -> str:
    listed = [escape(v) for v in values]
    return ", ".join(listed) if listed else '<span class="muet">aucun</span>'


def _identification(campaign: Campaign) -> list[str]:
    versions = (
        "<ul>"
        + "".join(
            f"<li>{escape(title)} : {escape(version)}</li>"
            for title, version in sorted(campaign.contract_versions.items())
        )
        + "</ul>"
        if campaign.contract_versions
        else '<span class="muet">non renseignées</span>'
    )
    command = (
        f"<code>{escape(campaign.command)}</code>"
        if campaign.command is not None
        else '<span class="muet">aucune : trafic du client observé pendant une fenêtre '
        "(mode <code>--watch</code>)</span>"
    )
    return [
        '<h2 id="identification">Identification</h2>',
        '<dl class="facts">',
        f"<dt>Client (identifiant OAuth)</dt><dd><code>{escape(campaign.client_id)}</code></dd>",
        f'<dt>Date</dt><dd><time datetime="{escape(campaign.started_at)}">'
        f"{escape(_french_date(campaign.started_at))}</time></dd>",
        f"<dt>Graine</dt><dd>{campaign.seed}</dd>",
        f"<dt>Version du bac à sable</dt><dd>{escape(campaign.sandbox_version)}</dd>",
        f"<dt>Versions des contrats</dt><dd>{versions}</dd>",
        f"<dt>Commande lancée</dt><dd>{command}</dd>",
        "</dl>",
    ]


def _verdict_section(campaign: Campaign) -> list[str]:
    failed = not campaign.passed()
    label = "Non conforme" if failed else "Conforme"
    detail = _overall(campaign).partition(" — ")[2]
    return [
        '<h2 id="verdict">Verdict</h2>',
        f'<p class="verdict {"erreur" if failed else "ok"}">{label}</p>',
        f"<p>{escape(detail[0].upper() + detail[1:])}.</p>",
        '<p class="meta">Même graine et même comportement du client donnent les mêmes '
        "verdicts. Les valeurs personnelles sont masquées : un NIR est réduit à ses 7 premiers "
        "caractères suivis d'une empreinte, les jetons, identifiants et jetons d'accès ne sont "
        "désignés que par une empreinte.</p>",
    ]


def _coverage(campaign: Campaign) -> list[str]:
    out = [
        '<h2 id="couverture">Couverture</h2>',
        "<table><caption>Ce que le trafic du client a exercé, par scénario et en tout"
        "</caption><thead><tr>",
        *(
            f'<th scope="col">{name}</th>'
            for name in (
                "Scénario",
                "APIs appelées",
                "Générations",
                "Codes reçus",
                "Fautes exercées",
                "Échanges",
                "Personas",
            )
        ),
        "</tr></thead><tbody>",
    ]
    for s in campaign.scenarios:
        c = s.coverage
        out.append(
            f'<tr><th scope="row">{escape(s.name)}</th><td>{_joined(c.apis)}</td>'
            f"<td>{_joined(c.generations)}</td><td>{_joined(c.codes)}</td>"
            f"<td>{_joined(c.faults)}</td><td>{s.report.rows}</td><td>{len(s.personas)}</td></tr>"
        )

    def union(field: str) -> list[str]:
        return sorted({v for s in campaign.scenarios for v in getattr(s.coverage, field)})

    out.append(
        f'</tbody><tfoot><tr><th scope="row">Total</th><td>{_joined(union("apis"))}</td>'
        f"<td>{_joined(union('generations'))}</td><td>{_joined(union('codes'))}</td>"
        f"<td>{_joined(union('faults'))}</td>"
        f"<td>{sum(s.report.rows for s in campaign.scenarios)}</td>"
        f"<td>{len({p for s in campaign.scenarios for p in s.personas})}</td></tr></tfoot>"
        "</table>"
    )
    return out


def _matrix(campaign: Campaign, titles: Mapping[str, str]) -> list[str]:
    per_scenario = [{o.rule: o for o in rule_outcomes(s.report)} for s in campaign.scenarios]
    rules = list(dict.fromkeys(rule for outcomes in per_scenario for rule in outcomes))
    out = [
        '<h2 id="verdicts">Verdicts par règle et par scénario</h2>',
        '<table class="matrice"><caption>« — » : règle non évaluée dans ce scénario ; entre '
        "parenthèses, le nombre de constats</caption><thead><tr>"
        '<th scope="col">Règle</th>',
        *(f'<th scope="col">{escape(s.name)}</th>' for s in campaign.scenarios),
        "</tr></thead><tbody>",
    ]
    for rule in rules:
        cells = []
        for outcomes in per_scenario:
            outcome = outcomes.get(rule)
            if outcome is None:
                cells.append('<td class="muet">—</td>')
                continue
            found = f" ({outcome.found})" if outcome.found else ""
            cells.append(
                f'<td class="{_verdict_class(outcome.verdict)}">{outcome.verdict}{found}</td>'
            )
        out.append(
            f'<tr><th scope="row"><code>{escape(rule)}</code> '
            f"{escape(_title(rule, titles))}</th>{''.join(cells)}</tr>"
        )
    out.append("</tbody></table>")
    return out


def _rule_detail(outcome: RuleOutcome, titles: Mapping[str, str]) -> list[str]:
    # Only rules with findings are detailed, so ``worst`` is a severity.
    worst = outcome.worst or Severity.INFO
    out = [
        f"<h3><code>{escape(outcome.rule)}</code> — {escape(_title(outcome.rule, titles))}</h3>",
        f'<p>Verdict : <span class="{_verdict_class(outcome.verdict)}">{outcome.verdict}</span>'
        f" — {french_count(outcome.found, 'constat', 'constats')}, gravité "
        f'<span class="{worst.value}">{worst.value}</span>.</p>',
        '<dl class="facts">',
        *(
            f"<dt>Clause</dt><dd>{escape(c)}</dd>"
            for c in _distinct(f.clause for f in outcome.findings)
        ),
        *(
            f"<dt>Correction attendue</dt><dd>{escape(h)}</dd>"
            for h in _distinct(f.hint for f in outcome.findings)
        ),
        "</dl>",
        "<table><caption>Les échanges en preuve (heure : horloge du bac à sable)</caption>"
        "<thead><tr>",
        '<th scope="col">Constat</th><th scope="col">Appel n°</th>'
        '<th scope="col">Heure</th><th scope="col">Échange (masqué)</th>',
        "</tr></thead>",
    ]
    for finding in outcome.findings:
        rows: list[Evidence | None] = [*finding.evidence] or [None]
        out.append("<tbody>")
        for position, evidence in enumerate(rows):
            head = (
                f'<th scope="rowgroup" rowspan="{len(rows)}">{escape(_stated(finding))}</th>'
                if position == 0
                else ""
            )
            if evidence is None:
                cells = '<td class="muet">—</td><td class="muet">—</td><td class="muet">—</td>'
            else:
                cells = (
                    f"<td>{evidence.call}</td><td>{escape(evidence.at)}</td>"
                    f'<td class="extrait">{escape(evidence.excerpt)}</td>'
                )
            out.append(f"<tr>{head}{cells}</tr>")
        out.append("</tbody>")
    out.append("</table>")
    if outcome.omitted:
        out.append(
            f"<p>… et {outcome.omitted} autres constats non détaillés (au-delà de "
            f"{MAX_FINDINGS_PER_RULE} par règle).</p>"
        )
    return out


def _scenario(scenario: ScenarioResult, titles: Mapping[str, str]) -> list[str]:
    outcomes = rule_outcomes(scenario.report)
    failed = _failed(scenario)
    failing = [o for o in outcomes if o.failed]
    out = [
        f'<section class="scenario" aria-labelledby="scenario-{escape(scenario.name)}">',
        f'<h2 id="scenario-{escape(scenario.name)}">Scénario « {escape(scenario.title)} » '
        f"(<code>{escape(scenario.name)}</code>)</h2>",
        f"<p>{escape(scenario.description)}</p>",
        '<dl class="facts">',
        f'<dt>Verdict</dt><dd><span class="{"erreur" if failed else "ok"}">'
        f"{'non conforme' if failed else 'conforme'}</span> — "
        f"{french_count(len(failing), 'règle en échec', 'règles en échec')} sur "
        f"{french_count(len(outcomes), 'évaluée', 'évaluées')}</dd>",
        f"<dt>Profil de fautes</dt><dd><code>{escape(scenario.profile)}</code></dd>",
        f"<dt>Personas remis au client</dt><dd>{_joined(scenario.personas)}</dd>",
        f"<dt>Échanges examinés</dt><dd>{scenario.report.rows}</dd>",
        f"<dt>Code de sortie du client</dt><dd>{escape(_exit_code(scenario))}</dd>",
        f"<dt>Durée</dt><dd>{_seconds(scenario.duration_seconds)}</dd>",
        "</dl>",
    ]
    detailed = [o for o in outcomes if o.findings]
    if not detailed:
        out.append("<p>Aucun constat : toutes les règles évaluées sont respectées.</p>")
    for outcome in detailed:
        out.extend(_rule_detail(outcome, titles))
    out.append("</section>")
    return out


def _signatures() -> list[str]:
    def party(name: str) -> str:
        return (
            f'<div class="signature"><h3>{name}</h3><dl>'
            "<dt>Nom</dt><dd></dd><dt>Qualité</dt><dd></dd><dt>Date</dt><dd></dd>"
            '<dt>Signature</dt><dd class="zone"></dd></dl></div>'
        )

    return [
        '<section class="fin" aria-labelledby="signatures">',
        '<h2 id="signatures">Décision et signatures</h2>',
        "<p>Au vu des constats ci-dessus, les parties prononcent : ☐ la recette du client, "
        "le raccordement en production pouvant être demandé ; ☐ l'ajournement de la recette, "
        "les règles en échec devant être corrigées puis la campagne relancée.</p>",
        '<div class="signatures">',
        party("Pour le Département"),
        party("Pour France Travail"),
        "</div>",
        "</section>",
    ]


def render_html(campaign: Campaign, titles: Mapping[str, str]) -> str:
    """The French procès-verbal de recette: one standalone page (inline CSS, no script, no
    external resource) that prints on A4, each scenario on its own page, ending with the
    signature block of both parties."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(PV_TITLE)} — {escape(campaign.client_id)}</title>",
        f"<style>{BASE_CSS}{_PV_CSS}</style></head><body>",
        f"<header><h1>{escape(PV_TITLE)}</h1>",
        '<p class="meta">Campagne de conformité du client, menée sur le bac à sable France '
        "Travail selon la convention n° 2024-253 (Annexe 2 § 7, raccordement).</p></header>",
        "<main>",
        *_identification(campaign),
        *_verdict_section(campaign),
        *_coverage(campaign),
        *_matrix(campaign, titles),
    ]
    for scenario in campaign.scenarios:
        out.extend(_scenario(scenario, titles))
    out.extend(_signatures())
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
