"""Diagnostic Usager v4 write shapes (``EnregistrerDiagnosticDto``, ``EnregistrerContraintesDto``…).

Values are coded (enums); codes are checked against the référentiel by the domain, which answers
400 for anything unknown. Unknown keys are ignored, as a Java back end does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from sandbox.diagnostics.commands import (
    ID_METIER_PATTERN,
    WRITABLE_CONTRAINTE,
    AutonomieWrite,
    BesoinsWrite,
    ContraintesWrite,
    ContrainteWrite,
    DiagnosticWrite,
    DossierDiagnosticWrite,
    DossierWrite,
    ObjectifWrite,
    SituationWrite,
    invalid,
)
from sandbox.diagnostics.models import (
    BesoinValeur,
    CodeSousTypologie,
    CodeTypologie,
    ContrainteValeur,
    Impact,
    ObjectifValeur,
    Reponse,
    SituationValeur,
)
from sandbox.diagnostics.referentiel import referentiel
from sandbox.identifiers import require_date_time_text


def coded(values: Iterable[str]) -> WithJsonSchema:
    """The contract of a coded string: the référentiel's values, listed in the OpenAPI schema.

    The domain checks them (400 otherwise); finer rules (besoin 7 and contrainte 22 only through
    the autonomie numérique, a situation's contrainte abordée…) are stated in the descriptions.
    """
    return WithJsonSchema({"type": "string", "enum": list(dict.fromkeys(values))})


def at_least_one(*fields: str, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """JSON Schema of the platform's "empty DTO → 400": some field non-null or list non-empty."""
    return {
        "anyOf": [
            *({"required": [f], "properties": {f: {"not": {"type": "null"}}}} for f in fields),
            *(
                {"required": [f], "properties": {f: {"type": "array", "minItems": 1}}}
                for f in lists
            ),
        ]
    }


_DIAGNOSTIC_FIELDS = (
    "codeAppellation",
    "codeRome",
    "codeSousTypologie",
    "codeTypologie",
    "idMetierChiffre",
    "nomMetier",
)
_REF = referentiel()
_TEXT = StringConstraints(min_length=1, max_length=200)
# The v4 DTOs take every code of the référentiel (the published file restricts none); besoin 7,
# contrainte 22 and its situations and objectifs go to the autonomie numérique, the only resource
# whose reads show them. v1 keeps to contraintes 23–29 (``…Thematique…`` codes).
_CONTRAINTES = _REF.contraintes
_THEMATIQUE = _REF.contraintes_thematique
_NUMERIQUE = [c for c in _CONTRAINTES if c.code == _REF.contrainte_numerique]
BesoinCode = Annotated[
    str, _TEXT, coded(b.code for t in _REF.thematiques_besoins for b in t.besoins)
]
BesoinNumeriqueCode = Annotated[str, _TEXT, coded([_REF.besoin_numerique])]
ContrainteCode = Annotated[str, _TEXT, coded(c.code for c in _CONTRAINTES)]
ContrainteThematiqueCode = Annotated[str, _TEXT, coded(c.code for c in _THEMATIQUE)]
ContrainteNumeriqueCode = Annotated[str, _TEXT, coded(c.code for c in _NUMERIQUE)]
SituationCode = Annotated[str, _TEXT, coded(s.code for c in _CONTRAINTES for s in c.situations)]
SituationThematiqueCode = Annotated[
    str, _TEXT, coded(s.code for c in _THEMATIQUE for s in c.situations)
]
SituationNumeriqueCode = Annotated[
    str, _TEXT, coded(s.code for c in _NUMERIQUE for s in c.situations)
]
ObjectifCode = Annotated[str, _TEXT, coded(o.code for c in _CONTRAINTES for o in c.objectifs)]
ObjectifThematiqueCode = Annotated[
    str, _TEXT, coded(o.code for c in _THEMATIQUE for o in c.objectifs)
]
ObjectifNumeriqueCode = Annotated[
    str, _TEXT, coded(o.code for c in _NUMERIQUE for o in c.objectifs)
]
# ROME codes: their shape only, since listing 14 313 appellations would make the contract weigh
# a megabyte; the domain checks them against the shipped ROME 4.0 referential (400 otherwise).
AppellationCode = Annotated[
    str, _TEXT, WithJsonSchema({"type": "string", "pattern": r"^[0-9]{5,6}$"})
]
RomeCode = Annotated[str, _TEXT, WithJsonSchema({"type": "string", "pattern": "^[A-N][0-9]{4}$"})]
ContrainteValeurEcrite = Annotated[ContrainteValeur, coded(v.value for v in WRITABLE_CONTRAINTE)]
NomMetier = Annotated[str, _TEXT]


# maxItems of the write lists (README, Limits): the référentiel's sizes with headroom, so every
# legitimate write fits — 21 besoins per diagnostic (besoin 7 included); 8 contraintes with 92
# situations and 49 objectifs (at most 19 and 7 for one contrainte); 16 situations and 7
# objectifs for the autonomie numérique. A person rarely has more than a few diagnostics.
MAX_BESOINS = 32
MAX_CONTRAINTES = 16
MAX_SITUATIONS = 128
MAX_OBJECTIFS = 64
MAX_SITUATIONS_NUMERIQUES = 32
MAX_OBJECTIFS_NUMERIQUES = 16
MAX_SITUATIONS_PAR_CONTRAINTE = 32
MAX_OBJECTIFS_PAR_CONTRAINTE = 16
MAX_DIAGNOSTICS = 20

# Years a written date may have (README, Limits): any real exploration date, and far enough
# from years 1 and 9999 that converting to UTC can never leave the calendar.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def _within_years(moment: dt.datetime) -> dt.datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return moment


# A JSON boolean, a date-time string: never 0/1 or a number of seconds, as the schema says.
Flag = Annotated[bool, Strict()]
Moment = Annotated[
    dt.datetime, BeforeValidator(require_date_time_text), AfterValidator(_within_years)
]
DATE_EXPLORATION = (
    "Date d'exploration, RFC 3339 avec secondes et fuseau (Z ou ±hh:mm), par exemple "
    f"2024-02-29T13:58:51.000+01:00 ; années {FIRST_YEAR} à {LAST_YEAR}."
)


class BesoinEnregistrerDto(BaseModel):
    """Un besoin à enregistrer."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: BesoinCode = Field(
        description="Code d'un besoin du référentiel. Le besoin 7 s'enregistre dans "
        "l'autonomie numérique (GET /autonomienumerique), seule ressource qui le lit.",
        examples=["1"],
    )
    value: BesoinValeur = Field(alias="valeur", description="Valeur du besoin.")


class ContrainteEnregistrerDto(BaseModel):
    """Une contrainte à enregistrer."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: ContrainteCode = Field(
        description="Code d'une contrainte du référentiel, 22 à 29. La 22, ses situations et "
        "ses objectifs s'enregistrent dans l'autonomie numérique (GET /autonomienumerique), "
        "seule ressource qui les lit.",
        examples=["23"],
    )
    priority: Flag | None = Field(
        default=None,
        alias="estPrioritaire",
        description="Une seule contrainte peut être prioritaire ; la nouvelle remplace l'ancienne.",
    )
    value: ContrainteValeurEcrite = Field(
        alias="valeur", description="NON_ABORDEE, OUI ou CLOTUREE (SUPPRIMEE refusée)."
    )
    impact: Impact | None = None

    def to_domain(self) -> ContrainteWrite:
        """The domain command."""
        return ContrainteWrite(self.code, self.value, self.priority, self.impact)


class SituationEnregistrerDto(BaseModel):
    """Une situation à enregistrer (sa contrainte doit être abordée : valeur OUI)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: SituationCode = Field(examples=["7"])
    value: SituationValeur = Field(alias="valeur")


class ObjectifEnregistrerDto(BaseModel):
    """Un objectif à enregistrer (sa contrainte doit être abordée : valeur OUI)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: ObjectifCode = Field(examples=["29"])
    value: ObjectifValeur = Field(alias="valeur")


class EnregistrerBesoinsDto(BaseModel):
    """Les besoins d'un diagnostic à enregistrer."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    besoins: list[BesoinEnregistrerDto] = Field(
        alias="besoinAEnregistrer", min_length=1, max_length=MAX_BESOINS
    )
    explored_at: Moment = Field(alias="dateExploration", description=DATE_EXPLORATION)
    id_diagnostic: str | None = Field(
        default=None,
        alias="idDiagnostic",
        description="Identifiant du diagnostic ; facultatif sur /diagnostics/{idDiagnostic}/"
        "besoins (égal au chemin s'il est donné), obligatoire dans le dossier.",
    )

    def to_domain(self, path_id: str | None = None) -> BesoinsWrite:
        """The domain command, for the diagnostic of the path (or of the body)."""
        diagnostic_id = self.id_diagnostic or path_id
        if diagnostic_id is None:
            raise invalid("idDiagnostic is required in besoinsParDiagnosticAEnregistrer.")
        if path_id is not None and diagnostic_id != path_id:
            raise invalid("idDiagnostic of the body differs from the path.")
        return BesoinsWrite(
            diagnostic_id, self.explored_at, [(b.code, b.value) for b in self.besoins]
        )


class EnregistrerContraintesDto(BaseModel):
    """Contraintes (22 à 29), situations et objectifs à enregistrer.

    Ceux de la contrainte 22 vont à l'autonomie numérique, les autres à la thématique 7.
    """

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_extra=at_least_one(
            lists=("contraintesAEnregistrer", "situationsAEnregistrer", "objectifsAEnregistrer")
        ),
    )

    contraintes: list[ContrainteEnregistrerDto] | None = Field(
        default=None, alias="contraintesAEnregistrer", max_length=MAX_CONTRAINTES
    )
    explored_at: Moment = Field(alias="dateExploration", description=DATE_EXPLORATION)
    objectifs: list[ObjectifEnregistrerDto] | None = Field(
        default=None, alias="objectifsAEnregistrer", max_length=MAX_OBJECTIFS
    )
    situations: list[SituationEnregistrerDto] | None = Field(
        default=None, alias="situationsAEnregistrer", max_length=MAX_SITUATIONS
    )
    declare_sans_contrainte: Flag | None = Field(
        default=None, alias="declareSansContrainteAEnregistrer"
    )

    def to_domain(self) -> ContraintesWrite:
        """The domain command."""
        return ContraintesWrite(
            explored_at=self.explored_at,
            contraintes=[c.to_domain() for c in self.contraintes or ()],
            situations=[SituationWrite(s.code, s.value) for s in self.situations or ()],
            objectifs=[ObjectifWrite(o.code, o.value) for o in self.objectifs or ()],
            sans_contrainte=self.declare_sans_contrainte,
        )


class EnregistrerPouvoirAgirDto(BaseModel):
    """Les deux réponses du pouvoir d'agir."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    accompagnement: Reponse
    confiance: Reponse


class BesoinNumeriqueEnregistrerDto(BesoinEnregistrerDto):
    """Le besoin de l'autonomie numérique (besoin 7)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: BesoinNumeriqueCode = Field(examples=["7"])


class ContrainteNumeriqueEnregistrerDto(ContrainteEnregistrerDto):
    """La contrainte de l'autonomie numérique (contrainte 22)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: ContrainteNumeriqueCode = Field(examples=["22"])


class SituationNumeriqueEnregistrerDto(SituationEnregistrerDto):
    """Une situation de la contrainte 22 (abordée : valeur OUI)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: SituationNumeriqueCode = Field(examples=["42"])


class ObjectifNumeriqueEnregistrerDto(ObjectifEnregistrerDto):
    """Un objectif de la contrainte 22 (abordée : valeur OUI)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    code: ObjectifNumeriqueCode = Field(examples=["1"])


class EnregistrerAutonomieNumeriqueDto(BaseModel):
    """L'autonomie numérique à enregistrer : besoin 7, contrainte 22, ses situations, objectifs.

    Seulement ces codes (le fichier publié dit « pour l'autonomie numérique » et son exemple
    écrit la situation 46 et l'objectif 1, de la contrainte 22) ; les autres s'enregistrent par
    /diagnostics/{idDiagnostic}/besoins et /contraintes.
    """

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_extra=at_least_one(
            "besoinAEnregistrer",
            "contrainteAEnregistrer",
            lists=("situationsAEnregistrer", "objectifsAEnregistrer"),
        ),
    )

    besoin: BesoinNumeriqueEnregistrerDto | None = Field(default=None, alias="besoinAEnregistrer")
    contrainte: ContrainteNumeriqueEnregistrerDto | None = Field(
        default=None, alias="contrainteAEnregistrer"
    )
    explored_at: Moment = Field(alias="dateExploration", description=DATE_EXPLORATION)
    objectifs: list[ObjectifNumeriqueEnregistrerDto] | None = Field(
        default=None, alias="objectifsAEnregistrer", max_length=MAX_OBJECTIFS_NUMERIQUES
    )
    situations: list[SituationNumeriqueEnregistrerDto] | None = Field(
        default=None, alias="situationsAEnregistrer", max_length=MAX_SITUATIONS_NUMERIQUES
    )

    def to_domain(self) -> AutonomieWrite:
        """The domain command."""
        return AutonomieWrite(
            explored_at=self.explored_at,
            besoin=(self.besoin.code, self.besoin.value) if self.besoin else None,
            contrainte=self.contrainte.to_domain() if self.contrainte else None,
            situations=[SituationWrite(s.code, s.value) for s in self.situations or ()],
            objectifs=[ObjectifWrite(o.code, o.value) for o in self.objectifs or ()],
        )


class EnregistrerDiagnosticDto(BaseModel):
    """Un diagnostic à créer ou modifier. Valeurs codées uniquement (convention, Annexe 3 §1.2)."""

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_extra=at_least_one(*_DIAGNOSTIC_FIELDS),
    )

    code_appellation: AppellationCode | None = Field(
        default=None,
        alias="codeAppellation",
        description="Code d'une appellation du référentiel ROME 4.0 de France Travail (les "
        "14 313 appellations sont acceptées ; un code inconnu est refusé en 400).",
        examples=["13782"],
    )
    code_rome: RomeCode | None = Field(
        default=None,
        alias="codeRome",
        description="Code d'une fiche ROME 4.0 (1 911 fiches) ; doit contenir codeAppellation "
        "s'il est donné.",
        examples=["H2409"],
    )
    code_sous_typologie: CodeSousTypologie | None = Field(
        default=None, alias="codeSousTypologie", description="Seulement pour codeTypologie EF."
    )
    code_typologie: CodeTypologie | None = Field(default=None, alias="codeTypologie")
    id_metier_chiffre: Annotated[str, StringConstraints(pattern=ID_METIER_PATTERN)] | None = Field(
        default=None,
        alias="idMetierChiffre",
        description="NON_DEFINI ou un idMetierChiffre (uuid#…) ; absent à la création : "
        "API_PARTENAIRE.",
    )
    nom_metier: NomMetier | None = Field(
        default=None,
        alias="nomMetier",
        description="Jamais de texte libre : le libellé exact de l'appellation codeAppellation, "
        "ou omis (il est alors rempli avec ce libellé). Sans codeAppellation, le libellé exact "
        "d'une appellation du référentiel ROME 4.0, dont les codes sont repris (ceux de "
        "codeRome s'il est donné ; le plus petit code si deux appellations ont ce libellé).",
        examples=["Coupeur / Coupeuse en bonneterie"],
    )

    def to_domain(self) -> DiagnosticWrite:
        """The domain command."""
        return DiagnosticWrite(
            id_metier_chiffre=self.id_metier_chiffre,
            nom_metier=self.nom_metier,
            code_typologie=self.code_typologie,
            code_sous_typologie=self.code_sous_typologie,
            code_rome=self.code_rome,
            code_appellation=self.code_appellation,
        )


def _created_or_modified() -> dict[str, Any]:
    # Created: some field of the diagnostic; modified: some field, or prioritaire.
    schema = at_least_one(*_DIAGNOSTIC_FIELDS)
    together = ("idDiagnosticModifie", "prioritaire")
    schema["anyOf"].append(
        {"required": list(together), "properties": {f: {"not": {"type": "null"}} for f in together}}
    )
    return schema


class EnregistrerDiagnosticPourDossierDto(EnregistrerDiagnosticDto):
    """Un diagnostic du dossier : créé si idDiagnosticModifie est null, sinon modifié.

    Une création donne au moins un champ du diagnostic ; une modification, au moins un champ ou
    prioritaire.
    """

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_extra=_created_or_modified(),
    )

    modified_id: str | None = Field(default=None, alias="idDiagnosticModifie")
    prioritaire: Flag | None = Field(default=None, description="Priorité souhaitée.")


class EnregistrerBesoinsPourDossierDto(EnregistrerBesoinsDto):
    """Besoins d'un diagnostic du dossier (EnregistrerBesoinsDto publié ; idDiagnostic requis)."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    id_diagnostic: str = Field(
        alias="idDiagnostic",
        description="Identifiant non chiffré du diagnostic auquel les besoins sont liés.",
        examples=["8d09ab70-77c5-42fc-8554-5a02b264cbaa"],
    )


_CONTRAINTES_NAMES = ("contraintesDossierAEnregistrer", "contraintesAEnregistrer")


def _dossier_schema(schema: dict[str, Any]) -> None:
    # contraintesAEnregistrer (the published example's name) is the same part as
    # contraintesDossierAEnregistrer (the published schema's); a body sends one of them.
    schema.update(
        at_least_one(
            "autonomieNumeriqueAEnregistrer",
            *_CONTRAINTES_NAMES,
            "pouvoirAgirAEnregistrer",
            lists=("besoinsParDiagnosticAEnregistrer", "diagnosticsAEnregistrer"),
        )
    )
    schema["not"] = {"required": list(_CONTRAINTES_NAMES)}
    properties = schema["properties"]
    properties["contraintesAEnregistrer"] = {
        **properties["contraintesDossierAEnregistrer"],
        "description": "Nom de l'exemple publié pour contraintesDossierAEnregistrer ; l'un ou "
        "l'autre, pas les deux.",
    }


class EnregistrerDossierDto(BaseModel):
    """Le dossier à enregistrer, tout ou rien.

    400 (rien n'est écrit) si une partie n'est pas conforme ; sinon 204 (rien n'est écrit) si un
    idDiagnostic fourni est inconnu de l'usager.
    """

    model_config = ConfigDict(
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
        json_schema_extra=_dossier_schema,
    )

    autonomie: EnregistrerAutonomieNumeriqueDto | None = Field(
        default=None, alias="autonomieNumeriqueAEnregistrer"
    )
    besoins: list[EnregistrerBesoinsPourDossierDto] | None = Field(
        default=None, alias="besoinsParDiagnosticAEnregistrer", max_length=MAX_DIAGNOSTICS
    )
    contraintes: EnregistrerContraintesDto | None = Field(
        default=None,
        alias="contraintesDossierAEnregistrer",
        validation_alias=AliasChoices(*_CONTRAINTES_NAMES),
        description="Nom du schéma publié ; contraintesAEnregistrer (exemple publié) est accepté "
        "aussi, l'un ou l'autre.",
    )
    diagnostics: list[EnregistrerDiagnosticPourDossierDto] | None = Field(
        default=None, alias="diagnosticsAEnregistrer", max_length=MAX_DIAGNOSTICS
    )
    pouvoir_agir: EnregistrerPouvoirAgirDto | None = Field(
        default=None, alias="pouvoirAgirAEnregistrer"
    )

    @model_validator(mode="before")
    @classmethod
    def _one_name_for_the_contraintes(cls, data: Any) -> Any:
        if isinstance(data, dict) and all(name in data for name in _CONTRAINTES_NAMES):
            raise ValueError(
                "send contraintesDossierAEnregistrer or contraintesAEnregistrer, not both"
            )
        return data

    def to_domain(self) -> DossierWrite:
        """The domain command."""
        return DossierWrite(
            diagnostics=[
                DossierDiagnosticWrite(d.to_domain(), d.modified_id, d.prioritaire)
                for d in self.diagnostics or ()
            ],
            besoins=[b.to_domain() for b in self.besoins or ()],
            contraintes=self.contraintes.to_domain() if self.contraintes else None,
            pouvoir_agir=(self.pouvoir_agir.confiance, self.pouvoir_agir.accompagnement)
            if self.pouvoir_agir
            else None,
            autonomie=self.autonomie.to_domain() if self.autonomie else None,
        )
