"""Wire models of Statut usager: v2 ``ContratResponse`` (``m_*``) and v1 (convention names).

Reading of the convention recorded here and in the contract: ``dateInscription12/24/36`` ("Date
d'inscription dans les 12/24/36 derniers mois") are served as **integer numbers of months**
registered within the window, like the real v2 ``m_duree_inscription_12/24/36``: the convention
gives a date format for ``dateEffetStatut`` but none for these fields, and the only published
schema and the clients reading it (les-emplois compares the value to 12) use month counts.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from sandbox.apis.omission import Omitted, omissible
from sandbox.population.models import Coded, Person, RegistrationStatus

UNSUPPORTED_POPULATION_MESSAGE = "Type de population non géré par l'API"
NO_ERROR_MESSAGE_V2 = " "


_NEVER_REGISTERED = (
    " Absent (jamais null) quand l'usager n'a jamais été inscrit (statut Identifié sans "
    "inscription passée) : le schéma publié rend le champ facultatif, non nullable."
)
_NEVER_CLOSED = (
    " Absent (jamais null) quand aucune inscription de l'usager n'a été close (inscrit pour la "
    "première fois, ou jamais inscrit)."
)


def _code(value: Coded | None) -> str | None:
    return value.code if value else None


def _lib(value: Coded | None) -> str | None:
    return value.libelle if value else None


class Contrat(BaseModel):
    """``Contrat`` of contrat-usager v2."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    m_statut: RegistrationStatus
    m_date_effet_statut: dt.date = Field(description="AAAA-MM-JJ")
    m_duree_inscription_12: int = Field(description="Mois d'inscription sur les 12 derniers mois.")
    m_duree_inscription_24: int = Field(description="Mois d'inscription sur les 24 derniers mois.")
    m_duree_inscription_36: int = Field(description="Mois d'inscription sur les 36 derniers mois.")
    m_motif_inscription_code: str | Omitted = omissible(
        f"Code du motif d'inscription.{_NEVER_REGISTERED}", examples=["11"]
    )
    m_motif_inscription_lib: str | Omitted = omissible(
        f"Libellé du motif d'inscription.{_NEVER_REGISTERED}", examples=["LICENCIEMENT ECONOMIQUE"]
    )
    m_categ_inscription_code: str | Omitted = omissible(
        f"Code de la catégorie d'inscription.{_NEVER_REGISTERED}", examples=["1"]
    )
    m_categ_inscription_lib: str | Omitted = omissible(
        f"Libellé de la catégorie d'inscription.{_NEVER_REGISTERED}"
    )
    m_situation_reg_emp_code: str | Omitted = omissible(
        f"Code situation au regard de l'emploi.{_NEVER_REGISTERED}", examples=["ADR"]
    )
    m_situation_reg_emp_lib: str | Omitted = omissible(
        f"Libellé situation au regard de l'emploi.{_NEVER_REGISTERED}"
    )
    m_motif_cloture_code: str | Omitted = omissible(
        f"Code du motif de clôture.{_NEVER_CLOSED}", examples=["MV"]
    )
    m_motif_cloture_lib: str | Omitted = omissible(f"Libellé du motif de clôture.{_NEVER_CLOSED}")

    @classmethod
    def of(cls, person: Person, today: dt.date, category: Coded | None) -> Contrat:
        """The contract view of a person on a given day, with the category of their orientation.

        ``category`` is the one coherent with the orientation the calling client sees
        (``sandbox.orientation.convention_category``, convention Art. 1).
        """
        r = person.registration
        return cls(
            m_statut=r.status,
            m_date_effet_statut=r.status_date,
            m_duree_inscription_12=r.months_registered(12, today),
            m_duree_inscription_24=r.months_registered(24, today),
            m_duree_inscription_36=r.months_registered(36, today),
            m_motif_inscription_code=_code(r.reason),
            m_motif_inscription_lib=_lib(r.reason),
            m_categ_inscription_code=_code(category),
            m_categ_inscription_lib=_lib(category),
            m_situation_reg_emp_code=_code(r.employment_situation),
            m_situation_reg_emp_lib=_lib(r.employment_situation),
            m_motif_cloture_code=_code(r.closure_reason),
            m_motif_cloture_lib=_lib(r.closure_reason),
        )


class ContratResponse(BaseModel):
    """200 body of ``GET /contrat``; ``m_messageErreur`` is a blank string when all went well."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    m_contrat: Contrat
    m_messageErreur: str = Field(description="Message d'erreur alimenté en cas d'erreur.")


_PUBLISHED_NULL = "Toujours null, comme dans la description publiée de la réponse 200."


class PopulationNonGeree(BaseModel):
    """The legacy functional error that contrat-usager v2 returns **with HTTP 200**."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    message: str = UNSUPPORTED_POPULATION_MESSAGE
    stack_trace: None = Field(default=None, alias="stackTrace", description=_PUBLISHED_NULL)
    code_erreur: str = Field(default="ERT_200_FONCT", alias="codeErreur")
    code_http: int = Field(default=200, alias="codeHttp")
    entite: None = Field(default=None, description=_PUBLISHED_NULL)
    classe_origine: None = Field(default=None, alias="classeOrigine", description=_PUBLISHED_NULL)


class StatutUsagerV1Request(BaseModel):
    """Convention Annexe 2 §10.2 input: the identifiant national chiffré."""

    model_config = ConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    id_nat: str = Field(alias="idNat", min_length=1, description="Identifiant national chiffré.")


_UNSUPPORTED = (
    "Absent (jamais null) pour une population que l'API ne gère pas : seuls `idNat` et "
    "`messageErreur` sont alors servis."
)


class StatutUsagerV1(BaseModel):
    """Convention Annexe 2 §10.2 output, with the convention's field names."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    id_nat: str = Field(alias="idNat")
    statut_de: RegistrationStatus | Omitted = omissible(_UNSUPPORTED, alias="statutDE")
    date_effet_statut: dt.date | Omitted = omissible(_UNSUPPORTED, alias="dateEffetStatut")
    date_inscription_12: int | Omitted = omissible(_UNSUPPORTED, alias="dateInscription12")
    date_inscription_24: int | Omitted = omissible(_UNSUPPORTED, alias="dateInscription24")
    date_inscription_36: int | Omitted = omissible(_UNSUPPORTED, alias="dateInscription36")
    motif_inscription_code: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_REGISTERED, alias="motifInscriptionCode"
    )
    motif_inscription_lib: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_REGISTERED, alias="motifInscriptionLib"
    )
    categ_inscription_code: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_REGISTERED, alias="categInscriptionCode"
    )
    categ_inscription_lib: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_REGISTERED, alias="categInscriptionLib"
    )
    situation_reg_emp_code: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_REGISTERED, alias="situationRegEmpCode"
    )
    situation_reg_emp_lib: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_REGISTERED, alias="situationRegEmpLib"
    )
    motif_cloture_code: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_CLOSED, alias="motifClotureCode"
    )
    motif_cloture_lib: str | Omitted = omissible(
        _UNSUPPORTED + _NEVER_CLOSED, alias="motifClotureLib"
    )
    message_erreur: str | Omitted = omissible(
        "Message d'erreur : seulement pour une population que l'API ne gère pas (« Type de "
        "population non géré par l'API »), absent sinon.",
        alias="messageErreur",
    )

    @classmethod
    def of(
        cls, id_nat: str, person: Person, today: dt.date, category: Coded | None
    ) -> StatutUsagerV1:
        """The convention's view of the same contract as v2."""
        c = Contrat.of(person, today, category)
        return cls(
            id_nat=id_nat,
            statut_de=c.m_statut,
            date_effet_statut=c.m_date_effet_statut,
            date_inscription_12=c.m_duree_inscription_12,
            date_inscription_24=c.m_duree_inscription_24,
            date_inscription_36=c.m_duree_inscription_36,
            motif_inscription_code=c.m_motif_inscription_code,
            motif_inscription_lib=c.m_motif_inscription_lib,
            categ_inscription_code=c.m_categ_inscription_code,
            categ_inscription_lib=c.m_categ_inscription_lib,
            situation_reg_emp_code=c.m_situation_reg_emp_code,
            situation_reg_emp_lib=c.m_situation_reg_emp_lib,
            motif_cloture_code=c.m_motif_cloture_code,
            motif_cloture_lib=c.m_motif_cloture_lib,
            message_erreur=None,
        )

    @classmethod
    def unsupported(cls, id_nat: str) -> StatutUsagerV1:
        """A person whose population type the API does not handle: only ``messageErreur``."""
        return cls.model_validate(
            dict.fromkeys(cls.model_fields)
            | {"id_nat": id_nat, "message_erreur": UNSUPPORTED_POPULATION_MESSAGE}
        )
