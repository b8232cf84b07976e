"""Edits of the tool, checkboxes only: what a posted form changes in the diagnostic dossier.

The tool allows no free text (Annexe 3): a professional ticks référentiel items. Each form maps
ticked codes to writes of the diagnostics service (``sandbox.diagnostics``), for the account's
OAuth client, so Diagnostic argumenté v4 and v1 of that client read them back:

- **diagnostic**: the besoins of the person's first diagnostic in progress (ticked → BESOIN;
  a BESOIN no longer ticked → NON_EXPLORE; a POINT_FORT stays unless ticked) and the contraintes
  23–29 (ticked → OUI; an OUI no longer ticked → CLOTUREE, the référentiel's "closed");
- **profil**: the two answers of the pouvoir d'agir (ticked → OUI, not ticked → NON).

Only what changes is written: a form posted unchanged writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from sandbox.diagnostics.commands import BesoinsWrite, ContraintesWrite, ContrainteWrite
from sandbox.diagnostics.models import (
    BesoinValeur,
    ContrainteValeur,
    Diagnostic,
    Dossier,
    Reponse,
    StatutDiagnostic,
)
from sandbox.diagnostics.referentiel import Referentiel
from sandbox.diagnostics.writes import Editor


class UnknownCodeError(ValueError):
    """A ticked code that is not an item of the form (a forged form)."""


def current_diagnostic(dossier: Dossier) -> Diagnostic | None:
    """The diagnostic whose besoins the form shows: the first one in progress."""
    return next((d for d in dossier.diagnostics if d.statut is StatutDiagnostic.EN_COURS), None)


def besoins_ticked(dossier: Dossier) -> set[str]:
    """Besoins shown ticked (valeur BESOIN)."""
    diagnostic = current_diagnostic(dossier)
    if diagnostic is None:
        return set()
    return {c for c, e in diagnostic.besoins.items() if e.valeur is BesoinValeur.BESOIN}


def contraintes_ticked(dossier: Dossier) -> set[str]:
    """Contraintes shown ticked (valeur OUI)."""
    items = dossier.contraintes.items if dossier.contraintes else {}
    return {c for c, item in items.items() if item.valeur is ContrainteValeur.OUI}


@dataclass(frozen=True, slots=True)
class DiagnosticEdit:
    """What a posted diagnostic form writes, and its summary for the audit trail."""

    besoins: BesoinsWrite | None
    contraintes: ContraintesWrite | None
    summary: list[str] = field(default_factory=list)

    def apply(self, editor: Editor) -> None:
        """Apply the edit inside one diagnostics-service write."""
        if self.besoins is not None:
            editor.record_besoins(self.besoins)
        if self.contraintes is not None:
            editor.record_contraintes(self.contraintes)

    def is_empty(self) -> bool:
        """Nothing changes."""
        return self.besoins is None and self.contraintes is None


def diagnostic_edit(
    dossier: Dossier,
    ref: Referentiel,
    besoins: Collection[str],
    contraintes: Collection[str],
    now: dt.datetime,
) -> DiagnosticEdit:
    """The writes a diagnostic form with these ticked codes makes."""
    diagnostic = current_diagnostic(dossier)
    besoin_codes = (
        {b.code for t in ref.besoins_diagnostic for b in t.besoins} if diagnostic else set()
    )
    contrainte_codes = {c.code for c in ref.contraintes_thematique}
    if not set(besoins) <= besoin_codes or not set(contraintes) <= contrainte_codes:
        raise UnknownCodeError("a ticked code is not an item of the form")
    summary: list[str] = []
    besoins_write = None
    if diagnostic is not None:
        changes: list[tuple[str, BesoinValeur]] = []
        for code in sorted(besoin_codes):
            explored = diagnostic.besoins.get(code)
            was = explored.valeur if explored else BesoinValeur.NON_EXPLORE
            if code in besoins and was is not BesoinValeur.BESOIN:
                changes.append((code, BesoinValeur.BESOIN))
            elif code not in besoins and was is BesoinValeur.BESOIN:
                changes.append((code, BesoinValeur.NON_EXPLORE))
        if changes:
            besoins_write = BesoinsWrite(diagnostic.id, now, changes)
            summary += [f"besoin {code} → {valeur.value}" for code, valeur in changes]
    items = dossier.contraintes.items if dossier.contraintes else {}
    writes: list[ContrainteWrite] = []
    for code in sorted(contrainte_codes):
        was_oui = code in items and items[code].valeur is ContrainteValeur.OUI
        if code in contraintes and not was_oui:
            writes.append(ContrainteWrite(code, ContrainteValeur.OUI))
        elif code not in contraintes and was_oui:
            writes.append(ContrainteWrite(code, ContrainteValeur.CLOTUREE))
    contraintes_write = ContraintesWrite(now, contraintes=writes) if writes else None
    summary += [f"contrainte {w.code} → {w.valeur.value}" for w in writes]
    return DiagnosticEdit(besoins_write, contraintes_write, summary)


def profil_edit(
    dossier: Dossier, confiance: bool, accompagnement: bool
) -> tuple[Reponse, Reponse] | None:
    """The pouvoir d'agir answers a profile form writes (None: nothing changes)."""
    answers = (
        Reponse.OUI if confiance else Reponse.NON,
        Reponse.OUI if accompagnement else Reponse.NON,
    )
    current = dossier.pouvoir_agir
    if current is None and not (confiance or accompagnement):
        return None
    if current is not None and (current.confiance, current.accompagnement) == answers:
        return None
    return answers
