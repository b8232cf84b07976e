"""Wire model of Conclusions entretiens v1 (published ``ConclusionEntretienPartenaireDetailsDto``).

Names, enums, descriptions and examples are the published file's
(``conclusions-entretiens.json``). Every property is served on every item: the published schema
declares none required, the sandbox's entretiens always know all of them. ``dateEntretien`` is a
date (AAAA-MM-JJ, as the published examples); the published file types it as a plain string.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.parcours import Entretien

TypeEntretien = Literal[
    "ESI", "EDP", "CRL", "PE1", "PE2", "PE3", "PBI", "ETP", "PSP", "CRP", "BIL", "SEF", "CPS",
    "CRE", "IND", "DCE", "USA", "PAK", "EPK", "EDA", "EDO",
]  # fmt: skip
CodeModaliteContact = Literal["B", "C", "F", "I", "R", "T", "V", "W"]


class ConclusionEntretienPartenaireDetailsDto(BaseModel):
    """One entretien of the usager with their adviser, and its conclusion."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    code_agent: str = Field(
        alias="codeAgent",
        description="Le code de l'Agent qui a réalisé l'entretien (IDGASI : quatre lettres "
        "et quatre chiffres dans le bac à sable)",
        examples=["WFIA6446"],
    )
    code_modalite_contact: CodeModaliteContact = Field(
        alias="codeModaliteContact",
        description="Le code lié à la modalité de contact : B BILAN EN LIGNE, C ECHANGE "
        "COURRIEL, F ENTRETIEN VISIOCONFERENCE INFO, I ENTRETIEN INDIVIDUEL PHYSIQUE, R "
        "ENTRETIEN COLLECTIF PHYSIQUE, T ENTRETIEN INDIVIDUEL TELEPHONI, V ENTRETIEN INDIVIDUEL "
        "VISIOGUIC, W ENTRETIEN INDIVIDUEL VISIOCONF",
        examples=["I"],
    )
    commentaire: str = Field(
        description="Zone de saisie de la conclusion de l'entretien par l'Agent (phrases fixes "
        "et impersonnelles dans le bac à sable).",
        examples=["Point sur les démarches engagées depuis le dernier entretien."],
    )
    date_entretien: dt.date = Field(
        alias="dateEntretien",
        description="date de la réalisation de l'entretien",
        examples=["2024-08-02"],
    )
    libelle_agent: str = Field(
        alias="libelleAgent",
        description="Le nom et prénom de l'agent qui a réalisé l'entretien",
        examples=["DUBOIS JEAN"],
    )
    libelle_entretien: str = Field(
        alias="libelleEntretien",
        description="Le libellé du type de l'entretien réalisé",
        examples=["ENTRETIEN PERSONNALISE"],
    )
    type_entretien: TypeEntretien = Field(
        alias="typeEntretien",
        description="Le type de l'entretien réalisé (codes et libellés publiés ; EDO "
        "ENTRETIEN D'ORIENTATION, EDA 1ER ENTRETIEN D'ACCOMPAGNEMENT, EDP ENTRETIEN "
        "PERSONNALISE…)",
        examples=["EDP"],
    )
    code_agence: str = Field(
        alias="codeAgence",
        description="Le code l'agence de l'usager (code SAFIR, 5 chiffres)",
        examples=["80492"],
    )
    libelle_agence: str = Field(
        alias="libelleAgence",
        description="Le libellé de l'agence de l'usager",
        examples=["FRANCE TRAVAIL AMIENS GARE"],
    )
    libelle_modalite: str = Field(
        alias="libelleModalite",
        description="Le libellé correspondant au type de modalité de contact",
        examples=["ENTRETIEN INDIVIDUEL PHYSIQUE"],
    )

    @classmethod
    def of(cls, entretien: Entretien) -> ConclusionEntretienPartenaireDetailsDto:
        """The wire form of one entretien."""
        return cls(
            code_agent=entretien.agent.idgasi,
            code_modalite_contact=entretien.modalite.code,
            commentaire=entretien.synthese,
            date_entretien=entretien.date,
            libelle_agent=entretien.agent.libelle,
            libelle_entretien=entretien.type.libelle,
            type_entretien=entretien.type.code,
            code_agence=entretien.code_agence,
            libelle_agence=entretien.libelle_agence,
            libelle_modalite=entretien.modalite.libelle,
        )
