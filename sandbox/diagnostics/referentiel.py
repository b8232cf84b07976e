"""The Diagnostic individu référentiel, loaded once from ``data/diagnostic-referentiel.yaml``.

It answers the questions every write asks: is this besoin, contrainte, situation or objectif code
known, which contrainte owns a situation, what does a (confiance, accompagnement) pair mean, which
ROME appellation a diagnostic names (from the shipped ROME 4.0 referential of
``sandbox.careers.referentiel``). Situation and objectif codes are unique across contraintes
(the write DTOs send them without their contrainte), which the loader checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sandbox.careers.referentiel import (
    Appellation,
    RomeFiche,
    appellations,
    appellations_by_libelle,
    rome_by_code,
)

DATA_FILE = "diagnostic-referentiel.yaml"


@dataclass(frozen=True, slots=True)
class Libelle:
    """A code with its label."""

    code: str
    libelle: str


@dataclass(frozen=True, slots=True)
class ThematiqueBesoins:
    """A besoin thématique (1–6) and its besoins."""

    code: str
    libelle: str
    besoins: tuple[Libelle, ...]


@dataclass(frozen=True, slots=True)
class ContrainteRef:
    """A contrainte of thématique 7 with its situations and objectifs."""

    code: str
    libelle: str
    situations: tuple[Libelle, ...]
    objectifs: tuple[Libelle, ...]


@dataclass(frozen=True, slots=True)
class Question:
    """A pouvoir d'agir question."""

    code: str
    question: str
    libelle: str


@dataclass(frozen=True, slots=True)
class Analyse:
    """One cell of the pouvoir d'agir matrix: (confiance, accompagnement) → libellé."""

    code: str
    confiance: str
    accompagnement: str
    libelle: str


@dataclass(frozen=True, slots=True)
class Conseiller:
    """A France Travail counsellor of generated data."""

    nom: str
    prenom: str


def _libelles(items: list[dict[str, Any]]) -> tuple[Libelle, ...]:
    return tuple(Libelle(str(i["code"]), str(i["libelle"])) for i in items)


class Referentiel:
    """Look-ups over the référentiel."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.valeurs: dict[str, tuple[str, ...]] = {
            name: tuple(values) for name, values in raw["valeurs"].items()
        }
        self.besoin_numerique = str(raw["autonomie_numerique"]["besoin"])
        self.contrainte_numerique = str(raw["autonomie_numerique"]["contrainte"])
        self.thematiques_besoins = tuple(
            ThematiqueBesoins(str(t["code"]), str(t["libelle"]), _libelles(t["besoins"]))
            for t in raw["thematiques_besoins"]
        )
        thematique = raw["thematique_contrainte"]
        self.thematique_contrainte = Libelle(str(thematique["code"]), str(thematique["libelle"]))
        self.contraintes = tuple(
            ContrainteRef(
                str(c["code"]),
                str(c["libelle"]),
                _libelles(c["situations"]),
                _libelles(c["objectifs"]),
            )
            for c in thematique["contraintes"]
        )
        self.questions = tuple(
            Question(str(q["code"]), str(q["question"]), str(q["libelle"]))
            for q in raw["pouvoir_agir"]["questions"]
        )
        self.analyses = tuple(
            Analyse(str(a["code"]), a["confiance"], a["accompagnement"], str(a["libelle"]))
            for a in raw["pouvoir_agir"]["analyses"]
        )
        self.typologies: dict[str, str] = {str(k): str(v) for k, v in raw["typologies"].items()}
        self.conseillers = tuple(
            Conseiller(str(c["nom"]), str(c["prenom"])) for c in raw["conseillers"]
        )
        self._besoins = {b.code: b for t in self.thematiques_besoins for b in t.besoins}
        self._contraintes = {c.code: c for c in self.contraintes}
        self._owner_of_situation = _owners(self.contraintes, "situations")
        self._owner_of_objectif = _owners(self.contraintes, "objectifs")
        self._situations = {s.code: s for c in self.contraintes for s in c.situations}
        self._objectifs = {o.code: o for c in self.contraintes for o in c.objectifs}
        self._analyses = {(a.confiance, a.accompagnement): a for a in self.analyses}
        self._typologies_by_libelle = {v: k for k, v in self.typologies.items()}

    @property
    def besoins_diagnostic(self) -> tuple[ThematiqueBesoins, ...]:
        """Thématiques and besoins explored per diagnostic (without the numérique besoin)."""
        return tuple(
            ThematiqueBesoins(
                t.code, t.libelle, tuple(b for b in t.besoins if b.code != self.besoin_numerique)
            )
            for t in self.thematiques_besoins
        )

    @property
    def contraintes_thematique(self) -> tuple[ContrainteRef, ...]:
        """The contraintes of the thématique view (without the numérique contrainte)."""
        return tuple(c for c in self.contraintes if c.code != self.contrainte_numerique)

    def besoin(self, code: str) -> Libelle | None:
        """A besoin by code."""
        return self._besoins.get(code)

    def contrainte(self, code: str) -> ContrainteRef | None:
        """A contrainte by code."""
        return self._contraintes.get(code)

    def situation(self, code: str) -> Libelle | None:
        """A situation by code."""
        return self._situations.get(code)

    def objectif(self, code: str) -> Libelle | None:
        """An objectif by code."""
        return self._objectifs.get(code)

    def contrainte_of_situation(self, code: str) -> str | None:
        """The code of the contrainte a situation belongs to."""
        return self._owner_of_situation.get(code)

    def contrainte_of_objectif(self, code: str) -> str | None:
        """The code of the contrainte an objectif belongs to."""
        return self._owner_of_objectif.get(code)

    def analyse(self, confiance: str, accompagnement: str) -> Analyse:
        """The matrix cell of a (confiance, accompagnement) pair."""
        return self._analyses[(confiance, accompagnement)]

    def metier(self, code_appellation: str) -> Appellation | None:
        """A ROME 4.0 appellation by code."""
        return appellations().get(code_appellation)

    def metier_by_libelle(self, libelle: str, code_rome: str | None = None) -> Appellation | None:
        """The appellation of this exact label (of ``code_rome`` if given); the lowest code wins."""
        found = appellations_by_libelle().get(libelle, ())
        return next((a for a in found if code_rome is None or a.code_rome == code_rome), None)

    def rome(self, code_rome: str) -> RomeFiche | None:
        """A ROME 4.0 fiche by code."""
        return rome_by_code().get(code_rome)

    def code_typologie(self, libelle: str) -> str | None:
        """The codeTypologie whose legacy label is ``libelle``."""
        return self._typologies_by_libelle.get(libelle)


def _owners(contraintes: tuple[ContrainteRef, ...], kind: str) -> dict[str, str]:
    owners: dict[str, str] = {}
    for contrainte in contraintes:
        items: tuple[Libelle, ...] = getattr(contrainte, kind)
        for item in items:
            if item.code in owners:
                raise ValueError(f"{kind} code {item.code} belongs to two contraintes")
            owners[item.code] = contrainte.code
    return owners


@cache
def referentiel() -> Referentiel:
    """The shipped référentiel (loaded once)."""
    text = resources.files("sandbox").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return Referentiel(yaml.safe_load(text))
