"""Wire models of Recherche usager, v2 (``ResultatDTO``) and v1 (convention era).

Requests ignore unknown fields, as the platform's Spring back ends do; responses are exact.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.convention.return_codes import ReturnCode
from sandbox.identifiers import IsoDate, NirInput, NumeroFranceTravail, check_birthplace_year


class ParDateNaissanceEtNir(BaseModel):
    """``ParDateNaissanceEtNirDTO``: both fields required."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    date_naissance: IsoDate = Field(
        alias="dateNaissance", description="AAAA-MM-JJ", examples=["1990-03-14"]
    )
    nir: NirInput = Field(examples=["290036204190175"])

    @model_validator(mode="after")
    def _possible(self) -> ParDateNaissanceEtNir:
        check_birthplace_year(self.nir, self.date_naissance)
        return self


class ParNumeroFranceTravail(BaseModel):
    """``ParNumeroFTDTO``."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    numero_france_travail: NumeroFranceTravail = Field(
        alias="numeroFranceTravail", description="11 chiffres.", examples=["90000000101"]
    )


class ResultatRechercheV2(BaseModel):
    """``ResultatDTO``: S001 carries the jeton; S002/S003 answer 200 with nulls."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code_retour: ReturnCode = Field(alias="codeRetour")
    message: str
    top_identite_certifiee: Literal["O", "N"] | None = Field(
        alias="topIdentiteCertifiee",
        description="O : identité certifiée ; N : non certifiée. null hors S001 (« non "
        "applicable »), comme dans les exemples publiés S002 et S003.",
    )
    jeton_usager: str | None = Field(
        alias="jetonUsager",
        description="Jeton volatil (un jour), à passer en ft-jeton-usager. null hors S001, comme "
        "dans les exemples publiés S002 et S003.",
    )
    numero_france_travail: str | None = Field(
        alias="numeroFranceTravail",
        description="Numéro France Travail de l'usager trouvé. null hors S001, comme dans les "
        "exemples publiés S002 et S003.",
    )


class RechercheUsagerV1(BaseModel):
    """Convention Annexe 2 §10.1 request: date de naissance and NIR complet."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    nir: NirInput = Field(examples=["290036204190175"])
    date_naissance: IsoDate = Field(
        alias="dateNaissance", description="AAAA-MM-JJ", examples=["1990-03-14"]
    )

    @model_validator(mode="after")
    def _possible(self) -> RechercheUsagerV1:
        check_birthplace_year(self.nir, self.date_naissance)
        return self


class ResultatRechercheV1(BaseModel):
    """Convention-era answer: code retour, message, identifiant national chiffré, top identité."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code_retour: ReturnCode = Field(alias="codeRetour")
    identifiant: str | None = Field(
        description="Identifiant national chiffré `<uuid>#<base64url>`. null hors S001, comme "
        "les clients de l'époque de la convention le reçoivent (S002 : identifiant null)."
    )
    message: str
    top_identite_certifiee: Literal["O", "N"] | None = Field(
        alias="topIdentiteCertifiee",
        description="O : identité certifiée ; N : non certifiée ; null hors S001 (non applicable).",
    )
