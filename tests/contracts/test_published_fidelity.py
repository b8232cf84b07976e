"""Where a client generated from France Travail's published OpenAPI files would trip (issue 9, 9).

Expected values are the published files' (louije/explo-ftio, ``schemas/``), written out here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi"


def document(name: str) -> dict[str, Any]:
    """One exported contract file."""
    result: dict[str, Any] = json.loads((OPENAPI / f"{name}.json").read_text(encoding="utf-8"))
    return result


# statut-usager.json: security of GET /contrat and its two schemes.
STATUT_SCOPES = ["api_contrat-usagerv2", "statutcontratusager", "profil_accedant"]
PUBLISHED_AUTHORIZATION_CODE = {
    "authorizationUrl": "https://proxyproconnect.francetravail.net/connexion/oauth2/agent/authorize",
    "tokenUrl": "https://proxyproconnect.francetravail.net/connexion/oauth2/agent/access_token",
}


def test_statut_usager_accepts_the_agents_authorization_code_flow_as_published() -> None:
    doc = document("statut-usager-v2")
    security = doc["paths"]["/partenaire/contrat-usager/v2/contrat"]["get"]["security"]
    schemes = doc["components"]["securitySchemes"]
    flows = {
        flow: settings
        for requirement in security
        for name, scopes in requirement.items()
        if sorted(scopes) == sorted(STATUT_SCOPES)
        for flow, settings in schemes[name]["flows"].items()
    }
    assert set(flows) == {"clientCredentials", "authorizationCode"}
    code = flows["authorizationCode"]
    assert {k: code[k] for k in PUBLISHED_AUTHORIZATION_CODE} == PUBLISHED_AUTHORIZATION_CODE
    assert sorted(code["scopes"]) == sorted(STATUT_SCOPES)
    assert len(security) == 2  # either one opens the operation
    described = next(s for s in schemes.values() if "authorizationCode" in s["flows"])
    assert "Non servi par le bac à sable" in described["description"]


# metiers-recherches-projets-evolution.json: the 200 of each operation is one object.
PUBLISHED_200 = {
    ("/partenaire/metiers-projets-entreprises/v2/metiers-recherches", "metierRecherche"): {
        "appellation", "contrats", "dateValidationPasseportEmploi", "dureeExperience",
        "dureesHebdomadaires", "identifiant", "mobiliteHabitation", "mobilites", "mrs",
        "passeportEmploi", "rome", "salaire", "typologieEmploi",
    },
    ("/partenaire/metiers-projets-entreprises/v2/projets-cref", "projetCref"): {
        "appellation", "identifiant", "mobiliteHabitation", "mobilites", "rome",
        "typeCrefCreation", "typeCrefFranchise", "typeCrefReprise",
    },
}  # fmt: skip


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_metiers_and_projets_cref_answer_the_published_object() -> None:
    doc = document("metiers-projets-entreprises-v2")
    for (path, _), properties in PUBLISHED_200.items():
        ok = doc["paths"][path]["get"]["responses"]["200"]
        schema = _resolve(doc, ok["content"]["application/json"]["schema"])
        assert schema.get("type") == "object", path
        assert set(schema["properties"]) == properties


# Every operation of the published files, with its published statuses (schemas/*.json).
PUBLISHED_OPERATIONS: dict[str, dict[str, tuple[str, str, set[str]]]] = {
    "rechercher-usager-v2": {
        "RechercherUsagerParDateNaissanceEtNir": (
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", "post",
            {"200", "400", "403", "500", "503"},
        ),
        "RechercherUsagerParNumeroFranceTravail": (
            "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail", "post",
            {"200", "400", "403", "500", "503"},
        ),
    },
    "statut-usager-v2": {
        "recupererContratV2": (
            "/partenaire/contrat-usager/v2/contrat", "get", {"200", "204", "500"}
        ),
    },
    "metiers-projets-entreprises-v2": {
        "recupererMetiersRecherchesV2": (
            "/partenaire/metiers-projets-entreprises/v2/metiers-recherches", "get",
            {"200", "204", "500"},
        ),
        "recupererProjetsV2": (
            "/partenaire/metiers-projets-entreprises/v2/projets-cref", "get",
            {"200", "204", "500"},
        ),
    },
    "activites-operationnelles-v2": {
        op: (f"/partenaire/activites-operationnelles/v2{path}", "get", statuses)
        for op, (path, statuses) in {
            "getListActivites": ("/activites/chercher", {"200", "204", "400", "500"}),
            # Published 204 and 400 cannot happen for the whole référentiel (no parameter).
            "getReferentiel": ("/referentiel-activites", {"200", "500"}),
            "getActivite": (
                "/referentiel-activites/activites/{codeActivite}", {"200", "204", "400", "500"}
            ),
            "getDomaine": (
                "/referentiel-activites/domaines/{codeDomaine}", {"200", "204", "400", "500"}
            ),
            "getDomaineDetail": (
                "/referentiel-activites/domaines/{codeDomaine}/detail",
                {"200", "204", "400", "500"},
            ),
            "getFamille": (
                "/referentiel-activites/familles/{codeFamille}", {"200", "204", "400", "500"}
            ),
            "getFamilleDetail": (
                "/referentiel-activites/familles/{codeFamille}/detail",
                {"200", "204", "400", "500"},
            ),
        }.items()
    },
    "gestion-sanctions-rsa-v1": {
        "lireDetailSanctionRsa": (
            "/partenaire/gestion-sanctions-rsa/v1/detailManquement", "get",
            {"200", "204", "400", "401", "500"},
        ),
        "traiterSanctionRsa": (
            "/partenaire/gestion-sanctions-rsa/v1/evenementSanctionRSA", "post",
            {"200", "204", "400", "401", "500"},
        ),
        "traiterDecisionSanctionRSA": (
            "/partenaire/gestion-sanctions-rsa/v1/decisionSanctionRSAPartenaire", "post",
            {"200", "204", "400", "401", "500"},
        ),
        "demandeRadiation": (
            "/partenaire/gestion-sanctions-rsa/v1/demandeRadiation", "post",
            {"200", "204", "400", "401", "500"},
        ),
    },
    "informations-administratives-v1": {
        "recupererDonneesParIdRci": (
            "/partenaire/informations-administratives/v1/usager", "get",
            {"200", "204", "400", "500"},
        ),
    },
    "diagnostic-individu-v4": {
        op: (f"/partenaire/diagnosticargumente/v4{path}", method, statuses)
        for op, (path, method, statuses) in {
            "recupererDossierIndividuV4": ("/dossiers", "get", {"200", "204", "500"}),
            "enregistrerDossierV4": ("/dossiers", "post", {"200", "204", "400", "500"}),
            "recupererBesoinsIndividuV4": ("/besoins", "get", {"200", "204", "500"}),
            "recupererDiagnosticsIndividuV4": ("/diagnostics", "get", {"200", "204", "500"}),
            "creerDiagnosticV4": ("/diagnostics", "post", {"200", "400", "500"}),
            "modifierDiagnosticV4": ("/diagnostics/{idDiagnostic}", "put", {"200", "400", "500"}),
            "enregistrerBesoinV4": (
                "/diagnostics/{idDiagnostic}/besoins", "post", {"200", "400", "500"}
            ),
            "prioriserDiagnosticsIndividuV4": (
                "/diagnostics/{idDiagnostic}/priorise", "post", {"200", "500"}
            ),
            "supprimerDiagnosticIndividuV4": (
                "/diagnostics/{idDiagnostic}/supprime", "post", {"200", "500"}
            ),
            "recupererContraintesIndividuV4": ("/contraintes", "get", {"200", "204", "500"}),
            "enregistrerContraintesV4": ("/contraintes", "post", {"200", "400", "500"}),
            "recupererPouvoirAgirV4": ("/pouvoiragir", "get", {"200", "204", "500"}),
            "enregistrerPouvoirAgirV4": ("/pouvoiragir", "post", {"200", "400", "500"}),
            "recupererAutonomieNumériqueV4": ("/autonomienumerique", "get", {"200", "204", "500"}),
            "enregistrerAutonomieNumeriqueV4": (
                "/autonomienumerique", "post", {"200", "400", "500"}
            ),
            "recupererPouvoirAgirHistorisationV4": (
                "/historisation/pouvoiragir", "get", {"200", "204", "500"}
            ),
            "recupererBesoinsIndividuHistorisationV4": (
                "/historisation/diagnostics/{idDiagnostic}/besoins", "get", {"200", "204", "500"}
            ),
        }.items()
    },
    "rendez-vous-partenaire-v1": {
        op: (f"/partenaire/rendez-vous-partenaire/v1{path}", method, statuses)
        for op, (path, method, statuses) in {
            "creerRendezVous": ("/rendez-vous", "post", {"202", "400", "500"}),
            "modifierRendezVous": ("/rendez-vous", "put", {"202", "400", "500"}),
            "annulerRendezVous": ("/rendez-vous/{id}", "delete", {"202", "400", "500"}),
            "listerRendezVousUsager": ("/rendez-vous-usager", "get", {"200", "400", "500"}),
        }.items()
    },
    "conclusions-entretiens-v1": {
        "listerConclusionsEntretiens": (
            "/partenaire/conclusions-entretiens/v1/entretiens", "get", {"200", "400", "422", "500"}
        ),
    },
    # orientation-usager.json publishes no operationId: the sandbox names them (differences).
    "orientation-usager-v1": {
        op: (f"/partenaire/orientationusager/v1{path}", method, statuses)
        for op, (path, method, statuses) in {
            "calculOrientationV1": ("/calculOrientation", "post", {"200", "400", "500"}),
            "lectureOrientationV1": ("/lectureOrientation", "get", {"200", "400", "500"}),
            "orientationV1": ("/orientation", "post", {"201", "400", "500"}),
            "modificationOrientationV1": ("/modificationOrientation", "put", {"200", "400", "500"}),
            "decisionOrientationV1": ("/decisionOrientation", "post", {"201", "400", "500"}),
        }.items()
    },
    "orientation-usager-v2": {
        op: (f"/partenaire/orientationusager/v2{path}", method, statuses)
        for op, (path, method, statuses) in {
            "calculerOrientation": ("/calculerOrientation", "post", {"200", "400", "500"}),
            "lectureOrientation": ("/lectureOrientation", "get", {"200", "400", "500"}),
            "Orientation": ("/orientation", "post", {"201", "400", "500"}),
            "modificationOrientation": ("/modificationOrientation", "put", {"200", "400", "500"}),
            "decisionOrientation": ("/decisionOrientation", "post", {"201", "400", "500"}),
        }.items()
    },
}  # fmt: skip


def test_every_published_operation_is_served_with_every_published_status() -> None:
    for name, operations in PUBLISHED_OPERATIONS.items():
        doc = document(name)
        for operation_id, (path, method, statuses) in operations.items():
            operation = doc["paths"][path][method]
            assert operation["operationId"] == operation_id
            assert statuses <= set(operation["responses"]), (operation_id, statuses)


# contrat-engagement.json publishes no operationId: its operations by path and method, with their
# published statuses.
CONTRAT_ENGAGEMENT_OPERATIONS = {
    ("/lecture", "get"): {"200", "204", "400", "403", "500"},
    ("/lecture/structure", "get"): {"200", "500"},
    ("/signer", "post"): {"200", "400", "403", "500"},
    ("/signer", "patch"): {"200", "400", "403", "500"},
    ("/refuser", "post"): {"200", "400", "403", "500"},
    ("/refuser", "patch"): {"200", "400", "403", "500"},
}
CONTRAT_ENGAGEMENT_ETATS = ["SIGNE", "REFUSE", "A_SIGNER", "EN_ATTENTE_SIGNATURE", "SUSPENDU"]
CONTRAT_ENGAGEMENT_SCOPES = ["api_contrat-engagementv1", "contratengagementpart", "profil_accedant"]


def test_contrat_engagement_serves_every_published_operation_and_state() -> None:
    doc = document("contrat-engagement-v1")
    for (path, method), statuses in CONTRAT_ENGAGEMENT_OPERATIONS.items():
        operation = doc["paths"][f"/partenaire/contrat-engagement/v1{path}"][method]
        assert statuses <= set(operation["responses"]), (path, method)
        scopes = {
            s for requirement in operation["security"] for v in requirement.values() for s in v
        }
        assert sorted(scopes) == sorted(CONTRAT_ENGAGEMENT_SCOPES)
    schemas = doc["components"]["schemas"]
    etat = _resolve(doc, schemas["ContratEngagement"]["properties"]["etat"])
    assert etat["enum"] == CONTRAT_ENGAGEMENT_ETATS
    # Every error body is the published RFC 9457 ProblemDetails.
    for path, path_item in doc["paths"].items():
        if not path.startswith("/partenaire/contrat-engagement/"):
            continue  # the document also serves Rechercher usager
        for operation in path_item.values():
            for status in ("400", "403"):
                if status in operation["responses"]:
                    schema = operation["responses"][status]["content"]["application/json"]
                    assert schema["schema"] == {"$ref": "#/components/schemas/ProblemDetails"}
    assert set(schemas["ProblemDetails"]["properties"]) >= {"type", "status", "title", "detail"}
    assert set(schemas["Signature"]["required"]) == {"dateSignature"}
    assert set(schemas["Refus"]["required"]) == {"dateRefus"}


# gestion-activites-operationnelles.json: enums of Activite.codeActivite and AttributSpecifique.nom,
# the query parameters of getListActivites and the security of each group of operations.
ACTIVITE_CODES = ["ACT366", "ACT367", "ACT369", "ACT370", "ACT380", "ACT382", "ACT395"]
ATTRIBUT_NOMS = [
    "idConsequenceSanction", "motif", "typeOrganismeAccompagnateur", "codeInseeCommune",
    "typeParcours",
]  # fmt: skip
CHERCHER_PARAMETERS = {
    "codeActivite", "codeDomaine", "codeFamille", "numeroFranceTravail", "cursor",
    "pa-nom-agent", "pa-prenom-agent", "pa-identifiant-agent",
}  # fmt: skip
ACTIVITES_SCOPES = {"activitesCD", "profil_accedant", "api_activites-operationnellesv2"}
REFERENTIEL_SCOPES = {"referentielCD", "profil_accedant", "api_activites-operationnellesv2"}


def test_activites_operationnelles_keeps_the_published_enums_parameters_and_scopes() -> None:
    doc = document("activites-operationnelles-v2")
    schemas = doc["components"]["schemas"]
    assert (
        _resolve(doc, schemas["Activite"]["properties"]["codeActivite"])["enum"] == ACTIVITE_CODES
    )
    assert (
        _resolve(doc, schemas["AttributSpecifique"]["properties"]["nom"])["enum"] == ATTRIBUT_NOMS
    )
    prefix = "/partenaire/activites-operationnelles/v2"
    chercher = doc["paths"][f"{prefix}/activites/chercher"]["get"]
    assert {p["name"] for p in chercher["parameters"]} == CHERCHER_PARAMETERS
    for path, item in doc["paths"].items():
        if not path.startswith(prefix):
            continue
        scopes = {s for r in item["get"]["security"] for v in r.values() for s in v}
        published = ACTIVITES_SCOPES if "/activites/chercher" in path else REFERENTIEL_SCOPES
        assert published <= scopes, path  # the sandbox asks for both groups (differences)
        for status in ("400", "500"):
            if status in item["get"]["responses"]:
                entry = item["get"]["responses"][status]
                error = entry["content"]["application/json"]["schema"]
                assert set(_resolve(doc, error)["properties"]) == {"code", "message", "details"}


# gestion-sanctions-rsa.json: enums of the requests and answers, required properties, scopes.
SANCTIONS_ENUMS = {
    ("RetourTraitementRsaOTD", "codeSortie"): ["C001", "C999"],
    ("RetourDecisionSanctionRSA", "codeSortie"): ["C001"],
    ("RetourDemandeRadiation", "codeSortie"): ["C000", "C001", "C002", "C003", "C004"],
    ("Evenement", "typeEvenement"): [
        "SAISIE_SANCTION", "REFUS_SAISIE_SANCTION", "VALID_SANCTION", "REFUS_SANCTION",
        "VALID_LEVEE_SUSP", "REFUS_LEVEE_SUSP", "ANNULATION_SANCTION",
    ],
    ("Evenement", "motifEvenement"): ["DROIT_ERREUR", "RECOURS", "AUTRE"],
    ("TraitementSanctionRsa", "typeConsequenceSanctionValide"): ["SUSP_RSA", "SUPPR_RSA"],
    ("TraitementSanctionRsa", "modaliteDecisionValidee"): ["P", "M"],
    ("TraitementSanctionRsa", "dureeValidee"): [1, 2, 3, 4],
    ("DecisionSanctionRsa", "natureManquement"): ["N61", "N63", "N64", "N65"],
    ("DecisionSanctionRsa", "rangManquement"): ["R1", "R2"],
    ("DecisionSanctionRsa", "typeSanctionValide"): ["SUSP_RSA", "SUPPR_RSA"],
    ("DecisionSanctionRsa", "dureeValidee"): [1, 2, 3, 4],
}  # fmt: skip
SANCTIONS_REQUIRED = {
    "TraitementSanctionRsa": {"identifiantConsequenceSanction"},
    "Evenement": {"typeEvenement", "dateEvenement"},
    "DecisionSanctionRsa": {
        "dateNotificationDecisionSanction", "natureManquement", "typeSanctionValide",
        "modaliteDecisionValidee", "montantValide", "dureeValidee", "dateManquement",
    },
    "DemandeRadiation": {"identifiantConsequenceSanction"},
}  # fmt: skip
_MANQUEMENTS = {"api_gestion-sanctions-rsav1", "gestiondesmanquements", "profil_accedant"}
SANCTIONS_SCOPES = {
    "lireDetailSanctionRsa": _MANQUEMENTS,
    "traiterSanctionRsa": _MANQUEMENTS,
    "traiterDecisionSanctionRSA": {
        "api_gestion-sanctions-rsav1", "profil_accedant", "decisionSanctionPartenaire",
    },
    "demandeRadiation": {"api_gestion-sanctions-rsav1", "profil_accedant", "demandeRadiation"},
}  # fmt: skip


def _enum(doc: dict[str, Any], schema: dict[str, Any]) -> list[Any]:
    schema = _resolve(doc, schema)
    if "enum" in schema:
        return list(schema["enum"])
    if "const" in schema:  # a one-value enum
        return [schema["const"]]
    values = [v for option in schema.get("anyOf", []) for v in _enum(doc, option)]
    return values


def test_gestion_sanctions_rsa_keeps_the_published_enums_required_fields_and_scopes() -> None:
    doc = document("gestion-sanctions-rsa-v1")
    schemas = doc["components"]["schemas"]
    for (schema, prop), values in SANCTIONS_ENUMS.items():
        assert _enum(doc, schemas[schema]["properties"][prop]) == values, (schema, prop)
    for schema, required in SANCTIONS_REQUIRED.items():
        assert set(schemas[schema].get("required", [])) == required, schema
    for path, item in doc["paths"].items():
        for operation in item.values():
            published = SANCTIONS_SCOPES.get(operation["operationId"])
            if published is None:
                continue  # the Rechercher usager operations the document includes
            scopes = {s for r in operation["security"] for v in r.values() for s in v}
            assert published <= scopes, path  # the sandbox asks for every group (differences)


# Property names of the published read schemas (ours by the same name unless mapped).
PUBLISHED_SCHEMAS: dict[str, dict[str, set[str]]] = {
    "rechercher-usager-v2": {
        "ResultatRechercheV2": {  # published ResultatDTO
            "codeRetour", "message", "topIdentiteCertifiee", "jetonUsager", "numeroFranceTravail",
        },
        "RechercheErrorV2": {"codeRetour", "message", "topIdentiteCertifiee", "jetonUsager"},
    },
    "statut-usager-v2": {
        "ContratResponse": {"m_contrat", "m_messageErreur"},
        "Contrat": {
            "m_statut", "m_date_effet_statut", "m_duree_inscription_12",
            "m_duree_inscription_24", "m_duree_inscription_36", "m_motif_inscription_code",
            "m_motif_inscription_lib", "m_categ_inscription_code", "m_categ_inscription_lib",
            "m_situation_reg_emp_code", "m_situation_reg_emp_lib", "m_motif_cloture_code",
            "m_motif_cloture_lib",
        },
    },
    "informations-administratives-v1": {
        "UsagerResource": {"numeroFranceTravail", "adresses", "emails", "etatCivil", "telephones"},
        "AdresseResource": {
            "codeInseeCommune", "codePostal", "complementAdresse", "complementDestinataire",
            "complementDistribution", "libelleCommune", "libellePays", "numeroTypeLibelleVoie",
            "indicateurResidentQPV",
        },
        "EmailResource": {"adresseEmail"},
        "EtatCivilResource": {
            "civilite", "dateNaissance", "nir", "nom", "nomCorrespondance", "prenom",
            "prenomCorrespondance",
        },
        "TelephoneResource": {"numeroTelephone"},
    },
    "diagnostic-individu-v4": {
        "DossierIndividuDto": {
            "autonomieNumerique", "besoinsParDiagnostic", "pouvoirAgir", "thematiqueContrainte",
        },
        "AgentDto": {"nom", "prenom", "structure", "type"},
        "BesoinIndividuDto": {"agent", "code", "dateExploration", "libelle", "valeur"},
        "SituationDto": {"agent", "code", "dateExploration", "libelle", "valeur"},
        "ObjectifDto": {"agent", "code", "dateExploration", "libelle", "valeur"},
        "ContrainteIndividuDto": {
            "code", "dateExploration", "estPrioritaire", "libelle", "objectifs", "situations",
            "valeur", "impact",
        },
        "BesoinsParDiagnosticIndividuDto": {
            "agentDerniereExplorationBesoin", "dateDerniereExplorationBesoin", "diagnostic",
            "thematiquesBesoins",
        },
        "DiagnosticIndividuDto": {
            "agent", "codeAppellation", "codeRome", "codeSousTypologie", "codeTypologie",
            "dateMiseAJour", "dateMiseAJourProjet", "estCreationPartenaire", "estPrioritaire",
            "idDiagnostic", "idMetierChiffre", "nomMetier", "statut", "typologie",
        },
        "ThematiqueBesoinDto": {"besoins", "code", "libelle"},
        "ThematiqueContrainte": {
            "agent", "code", "contraintes", "dateExploration", "libelle", "declareSansContrainte",
        },
        "DeclareSansContrainteIndividuDto": {"flag", "date"},
        "PouvoirAgirIndividuDto": {
            "accompagnement", "agent", "confiance", "dateExploration", "resultatAnalyse",
        },
        "AutonomieNumeriqueIndividuDto": {"agent", "besoin", "contrainte", "dateExploration"},
        "DiagnosticsIndividusDto": {"diagnostics"},
        "ReponseEnregistrerDiagnosticDto": {"idDiagnostic"},
        "VersionExploration": {"agent", "dateExploration"},
        "DossierIndividuHistorisationDto": {
            "autonomieNumeriqueHistorisee", "besoinsHistorises", "contraintesHistorisees",
            "diagnosticsHistorises", "pouvoirAgirHistorise",
        },
        "AutonomieNumeriqueHistorisationDto": {"besoin", "contrainte", "objectifs", "situations"},
        "ContrainteHistorisationDto": {"code", "estPrioritaire", "libelle", "valeur", "impact"},
        "BesoinsIndividuHistorisationDto": {"besoins", "idDiagnostic"},
        "ContraintesIndividuHistorisationDto": {"contraintes", "objectifs", "situations"},
        "DiagnosticsIndividuHistorisationDto": {"diagnostics"},
        "DiagnosticIndividuHistorisationDto": {
            "codeAppellation", "codeRome", "codeSousTypologie", "codeTypologie", "dateMiseAJour",
            "dateMiseAJourProjet", "estCreationPartenaire", "estPrioritaire", "idDiagnostic",
            "idMetierChiffre", "nomActiviteCref", "nomMetier", "statut", "typologie",
        },
        "PouvoirAgirIndividuHistorisationDto": {"accompagnement", "confiance"},
        "PageHistorisationDossierIndividuDto": {
            "donneesParVersionExploration", "pageActuelle", "donneesParPage", "totalDonnees",
            "dateDebut", "dateFin",
        },
        "DonneesReferentielDto": {"thematiquesBesoins", "thematiqueContrainte", "pourvoirAgir"},
    },
    "gestion-sanctions-rsa-v1": {
        "DetailManquement": {
            "individu", "identifiantManquement", "familleManquement", "dateManquement",
            "dateAvertissement", "faisceauIndices", "justificationDecisionSanction",
            "demarcheRemobilisation", "consequencesSanction",
        },
        "Individu": {"numeroFranceTravail"},
        "FaisceauIndice": {"natureDefaut", "dateConstatDefaut", "attributs"},
        "DetailAttribut": {"codeAttribut", "valeurAttribut"},
        "DetailSanction": {
            "idConsequenceSanction", "typeConsequenceSanction", "delegation", "codeInitiateur",
            "modaliteProposee", "montantPropose", "dureeProposee", "modaliteValidee",
            "montantValide", "dureeValidee", "dateDebutApplication", "dateFinApplication",
            "dateRemobilisation", "justifDecisionRemobilisation", "dateLeveeApplication",
            "evenements",
        },
        "DetailEvenementSanction": {
            "identifiantEvenement", "typeEvenement", "dateEvenement", "motif",
            "commentaireEvenement",
        },
        "TraitementSanctionRsa": {
            "identifiantConsequenceSanction", "evenement", "typeConsequenceSanctionValide",
            "modaliteDecisionValidee", "montantValide", "dureeValidee",
        },
        "Evenement": {"typeEvenement", "dateEvenement", "commentaireEvenement", "motifEvenement"},
        "RetourTraitementRsaOTD": {"codeSortie"},
        "DecisionSanctionRsa": {
            "dateNotificationDecisionSanction", "natureManquement", "rangManquement",
            "dateManquement", "typeSanctionValide", "modaliteDecisionValidee", "montantValide",
            "dureeValidee", "justificationDecisionSanction",
        },
        "RetourDecisionSanctionRSA": {
            "codeSortie", "identifiantConsequenceSanction", "identifiantManquement", "message",
        },
        "DemandeRadiation": {"identifiantConsequenceSanction", "justificationDemandeRadiation"},
        "RetourDemandeRadiation": {"codeSortie", "idConsequenceSanctionCree", "message"},
    },
    "activites-operationnelles-v2": {
        "ActivitePage": {"size", "activites", "hasMore", "cursor"},
        "Activite": {
            "identifiantActivite", "codeActivite", "usager", "dateCreation", "dateEcheance",
            "dateEcheanceProche", "attributsSpecifiques",
        },
        "Usager": {"identifiant", "typeIdentifiant"},
        "AttributSpecifique": {"nom", "valeur"},
        "ActiviteReferentiel": {
            "code", "libelle", "codeFamille", "libelleFamille", "codeDomaine", "libelleDomaine",
        },
        "FamilleReferentiel": {"code", "libelle", "codeDomaine", "libelleDomaine", "activites"},
        "DomaineReferentiel": {"code", "libelle", "familles"},
        "Erreur": {"code", "message", "details"},
    },
    "contrat-engagement-v1": {
        "ContratEngagement": {
            "etat", "dateSignature", "dateRefus", "dateSuspension", "organisme", "engagements",
            "mentionsLegales",
        },
        "Engagements": {"engagementsUsager", "engagementsConseiller"},
        "Engagement": {"titre", "libelles"},
        "MentionLegale": {"titre", "mention", "sanctions", "notes"},
        # niveauSanction ("non renseigné pour le moment") is never served (said in the differences).
        "MentionsLegales": {"mentions", "voiesRecours", "articles"},
        "Structure": {"engagements"},
        "Signature": {"dateSignature"},
        "Refus": {"dateRefus"},
    },
    "rendez-vous-partenaire-v1": {
        "RendezVousPartenaire": {
            "id", "adresse", "commentaire", "date", "description", "duree", "information",
            "initiateur", "interlocuteur", "libelleAdresse", "modaliteContact", "motif",
            "organisme", "statut", "telephoneContactUsager", "theme", "typeReception", "urlVisio",
        },
        "Interlocuteur": {
            "civilite", "email", "nom", "organisme", "prenom", "service", "telephone",
        },
        "Organisme": {
            "code", "emailContact", "idStructure", "libelleStructure", "telephoneContact",
        },
        "ReponseDepotRdvp": {"id"},
        # historiqueEvenementList and motifAnnulation are never served (said in the differences).
        "RendezVousUsager": {
            "adresse", "commentaireUsager", "date", "dateAnnulation", "description", "duree",
            "estEnConflit", "idOrigine", "informationUtile", "initiateur", "interlocuteur",
            "modaliteContact", "motif", "organisme", "statut",
            "telephoneContactUsager", "theme", "typeReception",
        },
        "AdresseRDVU": {"adresseLibre", "libelleAdresse"},
        "InterlocuteurRDVU": {
            "civilite", "email", "nom", "organisme", "prenom", "service", "telephone",
        },
        "OrganismeRDVU": {
            "code", "emailContact", "idStructure", "libelleStructure", "telephoneContact",
        },
    },
    "conclusions-entretiens-v1": {
        "ConclusionEntretienPartenaireDetailsDto": {
            "codeAgent", "codeModaliteContact", "commentaire", "dateEntretien", "libelleAgent",
            "libelleEntretien", "typeEntretien", "codeAgence", "libelleAgence", "libelleModalite",
        },
    },
    # Published name → ours in the comments; writeOnly properties are not in answers, and the
    # properties never served are named in the differences.
    "orientation-usager-v1": {
        # OrientationCA_Lecture, without structure_decision
        "OrientationLectureV1": {
            "parcours", "organisme", "organisme_decision", "structure", "statut", "etat",
            "agent_creation", "agent_derniere_modification", "date_entree_parcours",
            "date_sortie_parcours", "motif_sortie_parcours", "date_creation", "date_modification",
            "criteres_orientation", "decision",
        },
        # OrientationCA_Calculer, without structure_decision and date_entree_parcours
        "OrientationCalculerV1": {
            "parcours", "organisme", "structure", "statut", "etat", "agent_creation",
            "agent_derniere_modification", "date_creation", "date_modification",
            "criteres_orientation",
        },
        "OrientationV1": {"parcours", "organisme", "structure", "statut", "etat"},  # OrientationCA
        "StructureV1": {"code_aurore", "code_safir", "libelle_structure"},  # Structure
        # DecisionCA_Lecture (parcours, organisme, structure are writeOnly)
        "DecisionLectureV1": {
            "etat_decision", "date_decision", "agent_decision", "motif_refus", "commentaire_refus",
        },
        "CriteresLecture": {  # CriteresOrientationCA_Lecture
            "origine", "situation_professionnelle", "type_emploi", "niveau_etude",
            "capacite_a_travailler", "projet_pro", "contrainte_sante", "contrainte_logement",
            "contrainte_mobilite", "contrainte_familiale", "contrainte_financiere",
            "contrainte_numerique", "contrainte_administrative_juridique",
            "contrainte_francais_calcul", "brsa", "boe", "baeeh",
            "scolarite_etablissement_specialise", "esat", "boe_souhait_accompagnement",
            "date_naissance", "msa_autonomie_recherche_emploi", "msa_demarches_professionnelles",
            "adresse", "date_saisie_donnees",
        },
        "Adresse": {"code_commune", "libelle_commune", "code_postal", "numero_type_libelle_voie"},
        "CriteresEntree": {  # CriteresOrientationCA_CalculerEntree
            "origine", "situation_professionnelle", "type_emploi", "niveau_etude",
            "capacite_a_travailler", "projet_pro", "contrainte_sante", "contrainte_logement",
            "contrainte_mobilite", "contrainte_familiale", "contrainte_financiere",
            "contrainte_numerique", "contrainte_administrative_juridique",
            "contrainte_francais_calcul", "boe", "baeeh", "scolarite_etablissement_specialise",
            "esat", "boe_souhait_accompagnement", "msa_autonomie_recherche_emploi",
            "msa_demarches_professionnelles",
        },
        "CreationV1": {  # OrientationCreationCA_Commun
            "origine", "parcours", "organisme", "date_entree_parcours", "structure",
            "structure_decision",
        },
        "DecisionV1": {  # DecisionCA
            "etat_decision", "date_decision", "organisme_decision", "structure_decision",
            "agent_decision", "motif_refus", "commentaire_refus", "parcours", "organisme",
            "structure",
        },
    },
    "orientation-usager-v2": {
        # OrientationCA_Lecture, without msa_calculee and msa_calculee_libelle
        "OrientationLectureV2": {
            "parcours", "responsable_usager", "competent_decision", "prise_decision",
            "referent_parcours", "statut", "etat", "origine", "agent_creation",
            "agent_derniere_modification", "date_entree_parcours", "date_sortie_parcours",
            "motif_sortie_parcours", "date_creation", "date_modification", "criteres_orientation",
            "decision",
        },
        # OrientationCA_Calculer, without the dates of a parcours, decision and msa_calculee*
        "OrientationCalculerV2": {
            "parcours", "responsable_usager", "competent_decision", "prise_decision",
            "referent_parcours", "statut", "etat", "agent_creation", "agent_derniere_modification",
            "date_creation", "date_modification", "criteres_orientation",
        },
        "OrientationV2": {  # OrientationCA
            "parcours", "responsable_usager", "competent_decision", "prise_decision",
            "referent_parcours", "statut", "etat",
        },
        # DecisionCA_Lecture (parcours is writeOnly)
        "DecisionLectureV2": {
            "etat_decision", "date_decision", "agent_decision", "motif_refus", "commentaire_refus",
            "referent_parcours",
        },
        "EntiteV2": {"organisme", "structure"},  # EntiteGeographiqueDto
        "OrganismeV2": {"code"},  # OrganismeDto
        "StructureV2": {"code", "libelle"},  # Structure
        "CreationV2": {  # OrientationCreationCA_Commun
            "origine", "parcours", "date_entree_parcours", "referent_parcours",
        },
        # DecisionCA (agent_decision is readOnly: the pa-* agent decides)
        "DecisionV2": {
            "etat_decision", "date_decision", "motif_refus", "commentaire_refus", "parcours",
            "referent_parcours",
        },
        "ModificationV2": {  # DonneesModifieesDto
            "parcours", "structure_referente_parcours", "date_entree_parcours",
        },
    },
}  # fmt: skip
# Properties the sandbox serves beyond the published schema (each in the description).
EXTRA_PROPERTIES = {("diagnostic-individu-v4", "AgentDto"): {"id"}}


def test_every_published_schema_has_the_published_properties() -> None:
    for name, schemas in PUBLISHED_SCHEMAS.items():
        components = document(name)["components"]["schemas"]
        for schema, properties in schemas.items():
            extra = EXTRA_PROPERTIES.get((name, schema), set())
            assert set(components[schema]["properties"]) == properties | extra, schema


# What the comparison of each published file with its export leaves, as the description says.
DIFFERENCES_NAMED = {
    "rechercher-usager-v2": ["charset=utf-8", '`"null"`', "`codeRetour`", "`pa-*`", "302"],
    "statut-usager-v2": ["`anyOf`", "authorization code", "`m_motif_cloture_*`", "format: date"],
    "metiers-projets-entreprises-v2": ["première entrée", "-1..1", "`passeportEmploi`", "`pa-*`"],
    "informations-administratives-v1": [
        "`DonneesErreur`", "format: date", "`complementAdresse`", "`indicateurResidentQPV`",
        "`pa-*`",
    ],
    "diagnostic-individu-v4": [
        "`AgentDto.id`", "`codeSousTypologie`", "`nomActiviteCref`", "`declareSansContrainte.flag`",
        "`PageHistorisation…Dto`", "`pa-*`",
    ],
    "gestion-sanctions-rsa-v1": [
        "`gestiondesmanquements`", "`codeHttp`", "charset=UTF-8", "`+00:00`", "`SAISIE_LEVEE_SUSP`",
        "`pa-*`",
    ],
    "activites-operationnelles-v2": [
        "`activitesCD`", "charset=UTF-8", "schéma vide", "`ActivitePage.size`", "ACT414", "`pa-*`",
    ],
    "contrat-engagement-v1": [
        "`operationId`", "authorization code", "`ProblemDetails`", "`niveauSanction`",
        "`Structure`", "`intensiteInvalide`", "`pa-*`",
    ],
    "rendez-vous-partenaire-v1": [
        "`ft-jeton-usager`", "`ID_NON_RECONNU`", "`historiqueEvenementList`", "`motifAnnulation`",
        "`yyyy-MM-ddTHH:mm:ss.SSSZ`", "`duree`", "`pa-*`",
    ],
    "conclusions-entretiens-v1": ["`ERR_USAGER_INCONNU`", "format: date", "`pa-*`"],
    "orientation-usager-v1": [
        "`ft-jeton-usager`", "204", "`structure_decision`", "`calculOrientationV1`", "ABANDON",
        "`pa-*`",
    ],
    "orientation-usager-v2": [
        "`ft-jeton-usager`", "204", "`msa_calculee`", "`api_testorientationusagerv2`",
        "`responsable_usager`", "`pa-*`",
    ],
}  # fmt: skip


def test_each_document_says_how_it_departs_from_its_published_file() -> None:
    for name, named in DIFFERENCES_NAMED.items():
        description = document(name)["info"]["description"]
        section = description.partition("**Différences avec le fichier publié**")[2]
        assert section, name
        assert [text for text in named if text not in section] == [], name


# Enums of the published files (orientation-usager.json and orientation-usager-v2.json).
ETAT_FILTRE = ["BROUILLON", "EN_ATTENTE", "OUVERT", "CLOTURE"]
PUBLISHED_ENUMS = {
    ("orientation-usager-v1", "OrientationLectureV1", "etat"): [
        "EN_ATTENTE", "SAISIE_COMPLETE", "BROUILLON", "OUVERT", "CLOTURE",
    ],
    ("orientation-usager-v1", "OrientationLectureV1", "statut"): ["PRECONISE", "DECIDE"],
    ("orientation-usager-v1", "OrientationLectureV1", "parcours"): [
        "PSO", "PED", "PSP", "EO", "IND",
    ],
    ("orientation-usager-v1", "OrientationLectureV1", "organisme"): [
        "CD", "CAF", "FT", "ML", "CE", "IND",
    ],
    ("orientation-usager-v1", "CreationV1", "origine"): [
        "INSCRIPTION_CONSEILLER_CD", "INSCRIPTION_AUTO_CAF", "INSCRIPTION_AUTO_MILO",
        "INSCRIPTION_AUTO_MSA",
    ],
    ("orientation-usager-v1", "CreationV1", "parcours"): ["PSO", "PSP", "PED"],
    ("orientation-usager-v1", "DecisionV1", "etat_decision"): ["REFUSEE", "ACCEPTEE"],
    ("orientation-usager-v1", "DecisionV1", "motif_refus"): [
        "DECLARATION_INEXACTE", "SITUATION_NON_COUVERTE", "APPRECIATION_DIFFERENTE",
        "MANQUE_CAPACITE_ACCUEIL", "ENTRETIEN_ORIENTATION", "AUTRE",
    ],
    ("orientation-usager-v1", "CriteresEntree", "contrainte_sante"): [
        "INCAPACITE_RECHERCHE_ACTIVITE_PRO", "IMPACT_FORT_RECHERCHE_EMPLOI",
        "IMPACT_FAIBLE_RECHERCHE_EMPLOI", "AUCUNE",
    ],
    ("orientation-usager-v2", "OrientationLectureV2", "etat"): [
        "EN_ATTENTE", "BROUILLON", "SAISIE_COMPLETE", "OUVERT", "CLOTURE", "ABANDON",
    ],
    ("orientation-usager-v2", "OrientationLectureV2", "statut"): [
        "PRECONISE", "PRECONISE_REORIENTATION", "DECIDE", "DECIDE_REORIENTATION", "RECLASSEMENT",
        "MODIFIE", "CORRIGE",
    ],
    ("orientation-usager-v2", "OrientationV2", "statut"): [
        "DECIDE", "DECIDE_REORIENTATION", "MODIFIE",
    ],
    ("orientation-usager-v2", "CreationV2", "origine"): [
        "INSCRIPTION_CONSEILLER_CD", "INSCRIPTION_AUTO_MILO",
    ],
    ("orientation-usager-v2", "OrganismeV2", "code"): ["CD", "FT", "ML", "CE", "CAF", "IND"],
}  # fmt: skip


def test_orientation_enums_are_the_published_ones() -> None:
    for (name, component, field), expected in PUBLISHED_ENUMS.items():
        doc = document(name)
        prop = doc["components"]["schemas"][component]["properties"][field]
        assert sorted(_enum(doc, prop)) == sorted(expected), (name, component, field)
    for name in ("orientation-usager-v1", "orientation-usager-v2"):
        doc = document(name)
        path = f"/partenaire/orientationusager/{name[-2:]}/lectureOrientation"
        (parameter,) = [
            p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == "etatOrientation"
        ]
        assert sorted(_enum(doc, parameter["schema"])) == sorted(ETAT_FILTRE)


def test_orientation_v2_operations_carry_their_published_scopes() -> None:
    doc = document("orientation-usager-v2")
    lire = ["api_orientationusagerv2", "lireorientationusager"]
    decider = ["api_orientationusagerv2", "decisionorientationusager"]
    for path, item in doc["paths"].items():
        if not path.startswith("/partenaire/orientationusager/v2/"):
            continue
        for method, operation in item.items():
            (requirement,) = operation["security"]
            (scopes,) = requirement.values()
            expected = lire if path.endswith("/lectureOrientation") else decider
            assert sorted(scopes) == sorted(expected), (method, path)
