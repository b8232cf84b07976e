"""The référentiel shapes of Diagnostic Usager v4 (``DonneesReferentielDto`` and its parts).

The key ``pourvoirAgir`` is spelled as the platform spells it. The aide au questionnement
(``inclure=aide-questionnement``) is not published: the sandbox answers empty lists when asked.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.omission import Omitted
from sandbox.diagnostics.referentiel import Analyse, ContrainteRef, Libelle, referentiel
from sandbox.errors import BackendError


class Domaine(StrEnum):
    """Domaines of ``/referentiel/{domaine}``."""

    BESOIN = "besoin"
    CONTRAINTE = "contrainte"
    POUVOIR_AGIR = "pouvoir-agir"


class SousDomaine(StrEnum):
    """Sous-domaines of ``/referentiel/{domaine}/{sous-domaine}``."""

    SITUATION = "situation"
    OBJECTIF = "objectif"
    QUESTION = "question"
    ANALYSE = "analyse"


_SOUS_DOMAINES = {
    Domaine.CONTRAINTE: (SousDomaine.SITUATION, SousDomaine.OBJECTIF),
    Domaine.POUVOIR_AGIR: (SousDomaine.QUESTION, SousDomaine.ANALYSE),
}


class AideQuestionnementDto(BaseModel):
    """Une question d'aide au questionnement (non publiée : jamais renvoyée)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    question: str
    precisions: list[str]


# A part not asked for is left out (the routes answer with exclude_none), never null.
Aide = list[AideQuestionnementDto] | Omitted
_AIDE = Field(
    default=None,
    alias="aideQuestionnement",
    description="Si inclure=aide-questionnement ; absent sinon.",
)


class BesoinDto(BaseModel):
    """Un besoin du référentiel et ses valeurs possibles."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    values: list[str] = Field(alias="valeur")
    label: str = Field(alias="libelle")
    aide: Aide = _AIDE


class ThematiqueBesoinDto1(BaseModel):
    """Une thématique de besoins du référentiel."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    label: str = Field(alias="libelle")
    aide: Aide = _AIDE
    besoins: list[BesoinDto]


class SituationDto1(BaseModel):
    """Une situation du référentiel."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    values: list[str] = Field(alias="valeur")
    label: str = Field(alias="libelle")


class ObjectifDto1(BaseModel):
    """Un objectif du référentiel."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    values: list[str] = Field(alias="valeur")
    label: str = Field(alias="libelle")


class ContrainteDto(BaseModel):
    """Une contrainte du référentiel (situations et/ou objectifs selon le sous-domaine)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    values: list[str] = Field(alias="valeur")
    label: str = Field(alias="libelle")
    aide: Aide = _AIDE
    situations: list[SituationDto1] | Omitted = Field(
        default=None, description="Absent quand le sous-domaine demandé est `objectif`."
    )
    objectifs: list[ObjectifDto1] | Omitted = Field(
        default=None, description="Absent quand le sous-domaine demandé est `situation`."
    )


class ThematiqueContrainteDto(BaseModel):
    """La thématique des contraintes du référentiel."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str
    label: str = Field(alias="libelle")
    aide: Aide = _AIDE
    contraintes: list[ContrainteDto]


class QuestionDto(BaseModel):
    """Une question du pouvoir d'agir."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str = Field(description="Code question (reconstruit).")
    question: str = Field(examples=["confiance"])
    values: list[str] = Field(alias="valeur")
    label: str = Field(alias="libelle")


class AnalyseDto(BaseModel):
    """Une cellule de la matrice confiance × accompagnement."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code: str = Field(description="Code analyse (reconstruit).", examples=["11"])
    confiance: str
    accompagnement: str
    label: str = Field(alias="libelle")

    @classmethod
    def of(cls, analyse: Analyse) -> AnalyseDto:
        """The wire cell."""
        return cls(
            code=analyse.code,
            confiance=analyse.confiance,
            accompagnement=analyse.accompagnement,
            label=analyse.libelle,
        )


class PouvoirAgirDto(BaseModel):
    """Le référentiel du pouvoir d'agir."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    aide: Aide = _AIDE
    questions: list[QuestionDto] | Omitted = Field(
        default=None, description="Absent quand le sous-domaine demandé est `analyse`."
    )
    analyses: list[AnalyseDto] | Omitted = Field(
        default=None, description="Absent quand le sous-domaine demandé est `question`."
    )


_OTHER_DOMAIN = "Absent quand un autre domaine est demandé."


class DonneesReferentielDto(BaseModel):
    """Le référentiel, entier ou restreint à un domaine / sous-domaine (parties absentes omises)."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    thematiques_besoins: list[ThematiqueBesoinDto1] | Omitted = Field(
        default=None, alias="thematiquesBesoins", description=_OTHER_DOMAIN
    )
    thematique_contrainte: ThematiqueContrainteDto | Omitted = Field(
        default=None, alias="thematiqueContrainte", description=_OTHER_DOMAIN
    )
    pouvoir_agir: PouvoirAgirDto | Omitted = Field(
        default=None,
        alias="pourvoirAgir",
        description=f"Orthographe de la plateforme. {_OTHER_DOMAIN}",
    )


def _items(items: tuple[Libelle, ...], kind: str) -> list[dict[str, object]]:
    values = list(referentiel().valeurs[kind])
    return [{"code": i.code, "values": values, "label": i.libelle} for i in items]


def _contrainte(
    contrainte: ContrainteRef, sous_domaine: SousDomaine | None, aide: Aide
) -> ContrainteDto:
    with_situations = sous_domaine in (None, SousDomaine.SITUATION)
    with_objectifs = sous_domaine in (None, SousDomaine.OBJECTIF)
    return ContrainteDto.model_validate(
        {
            "code": contrainte.code,
            "values": list(referentiel().valeurs["contrainte"]),
            "label": contrainte.libelle,
            "aide": aide,
            "situations": _items(contrainte.situations, "situation") if with_situations else None,
            "objectifs": _items(contrainte.objectifs, "objectif") if with_objectifs else None,
        }
    )


def donnees(
    domaine: Domaine | None = None,
    sous_domaine: SousDomaine | None = None,
    with_aide: bool = False,
) -> DonneesReferentielDto:
    """The référentiel, whole or restricted to a domaine and sous-domaine."""
    ref = referentiel()
    aide: Aide = [] if with_aide else None
    result = DonneesReferentielDto()
    if domaine in (None, Domaine.BESOIN):
        result.thematiques_besoins = [
            ThematiqueBesoinDto1.model_validate(
                {
                    "code": t.code,
                    "label": t.libelle,
                    "aide": aide,
                    "besoins": _items(t.besoins, "besoin"),
                }
            )
            for t in ref.thematiques_besoins
        ]
    if domaine in (None, Domaine.CONTRAINTE):
        result.thematique_contrainte = ThematiqueContrainteDto(
            code=ref.thematique_contrainte.code,
            label=ref.thematique_contrainte.libelle,
            aide=aide,
            contraintes=[_contrainte(c, sous_domaine, aide) for c in ref.contraintes],
        )
    if domaine in (None, Domaine.POUVOIR_AGIR):
        values = list(ref.valeurs["pouvoir_agir"])
        result.pouvoir_agir = PouvoirAgirDto(
            aide=aide,
            questions=[
                QuestionDto(code=q.code, question=q.question, values=values, label=q.libelle)
                for q in ref.questions
            ]
            if sous_domaine in (None, SousDomaine.QUESTION)
            else None,
            analyses=[AnalyseDto.of(a) for a in ref.analyses]
            if sous_domaine in (None, SousDomaine.ANALYSE)
            else None,
        )
    return result


def _unknown(what: str) -> BackendError:
    return BackendError(
        404,
        "ERR_RESSOURCE_INCONNUE",
        "La ressource demandée n'existe pas",
        f"Unknown référentiel {what}: domaines are besoin, contrainte, pouvoir-agir; "
        "sous-domaines are situation/objectif (contrainte) and question/analyse (pouvoir-agir).",
    )


def parse_domaine(
    domaine: str, sous_domaine: str | None = None
) -> tuple[Domaine, SousDomaine | None]:
    """Check a domaine (and sous-domaine) of the path; unknown ones are a 404."""
    try:
        parsed = Domaine(domaine)
    except ValueError:
        raise _unknown("domaine") from None
    if sous_domaine is None:
        return parsed, None
    try:
        parsed_sous = SousDomaine(sous_domaine)
    except ValueError:
        raise _unknown("sous-domaine") from None
    if parsed_sous not in _SOUS_DOMAINES.get(parsed, ()):
        raise _unknown("sous-domaine")
    return parsed, parsed_sous


def analyses(confiance: str | None, accompagnement: str | None) -> DonneesReferentielDto:
    """The pouvoir d'agir analyses, filtered on the answers given."""
    cells = [
        AnalyseDto.of(a)
        for a in referentiel().analyses
        if confiance in (None, a.confiance) and accompagnement in (None, a.accompagnement)
    ]
    return DonneesReferentielDto(pouvoir_agir=PouvoirAgirDto(analyses=cells))
