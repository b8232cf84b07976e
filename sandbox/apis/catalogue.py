"""The published contracts: one OpenAPI document per API and generation, plus the token endpoint.

Each document is cut from the application's routes (grouped by the gateway check they declare),
then given the platform's OAuth2 security scheme with the exact scopes of its API and realm.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.auth.scopes import API_ACCESS, Api, Realm

TOKEN_URL = "/connexion/oauth2/access_token"
SECURITY_SCHEME = "francetravail_oauth2"


@dataclass(frozen=True, slots=True)
class ContractInfo:
    """Title and description of one published document."""

    title: str
    description: str


_GEN2 = (
    "Génération 2 (realm `/agent`) : en-têtes `pa-nom-agent`, `pa-prenom-agent`, "
    "`pa-identifiant-agent` obligatoires (absents : 302, vides : 401), jeton usager dans "
    "`ft-jeton-usager`."
)
_GEN1 = (
    "Génération 1 (realm `/partenaire`, époque de la convention) : noms de champs de la "
    "convention, identifiant national chiffré `<uuid>#<base64url>` en entrée."
)
_RECONSTRUCTED = (
    " Aucun chemin public n'existe pour cette génération : le chemin est reconstruit à partir de "
    "la convention (Annexe 2 §10) dans le style de la plateforme."
)

_ORIENTATION = (
    f"{_GEN2} Lire (GET `lectureOrientation`, filtre `etatOrientation`), calculer (200), envoyer "
    "(POST `orientation`, 201 sans corps), décider (201 sans corps) et modifier (200) les "
    "orientations d'un usager, enregistrées par client OAuth (un autre client ne les voit pas), "
    "après un redémarrage aussi. Avant toute écriture, l'orientation est celle que la plateforme "
    "tient des données RSA de l'usager : parcours professionnel → PED vers France Travail (FT), "
    "socio-professionnel → PSP et social → PSO vers le département (CD), état OUVERT (ou celui du "
    "persona : BROUILLON, EN_ATTENTE, CLOTURE). Lectures retenues : une orientation envoyée ou "
    "décidée s'ouvre (OUVERT, DECIDE puis DECIDE_REORIENTATION) et clôt l'orientation ouverte "
    "(CLOTURE, `date_sortie_parcours` = date d'entrée de la nouvelle, motif « Réorientation ») ; "
    "un calcul ou un envoi abandonne la proposition en attente (ABANDON, servi en v2 seulement) ; "
    "la décision porte sur la dernière proposition EN_ATTENTE (400 sinon : un questionnaire "
    "BROUILLON, seul à proposer IND, ne se décide pas ; 400 pour refuser sans `motif_refus` ou "
    "sans parcours et organisme choisis) ; "
    "la modification porte sur l'orientation ouverte (400 sinon) et la passe MODIFIE ; 204 sans "
    "corps quand aucune orientation ne correspond à la lecture (observé par les clients, absent "
    "du fichier publié). Règle de calcul du bac à sable (l'algorithme réel n'est pas publié), "
    "dans l'ordre : ni `situation_professionnelle` ni `capacite_a_travailler` → BROUILLON, IND ; "
    "`capacite_a_travailler` false, `contrainte_sante` INCAPACITE_RECHERCHE_ACTIVITE_PRO ou "
    "`contrainte_logement` SANS_LOGEMENT/PROCEDURE_EXPULSION → PSO, CD ; deux contraintes fortes "
    "ou plus (IMPACT_FORT_RECHERCHE_EMPLOI, AUCUN_MOYEN_DE_TRANSPORT, ENFANT_SANS_SOLUTION_GARDE, "
    "AIDANT_FAMILIAL, NON_ACCES_INTERNET) → PSP, CD ; `boe` et `boe_souhait_accompagnement` → "
    "PED, CE ; `origine` INSCRIPTION_AUTO_MILO → PED, ML ; sinon PED, FT ; état EN_ATTENTE. "
    "Statut usager suit l'orientation ouverte écrite par le même client (convention, article 1) : "
    "orienté vers France Travail (organisme FT) → catégorie 1, 2 ou 3 (celle de l'usager si "
    "c'en est une, sinon tirée de la graine), orienté ailleurs → catégorie 5. Erreurs propres à "
    "l'API dans le corps Spring Boot publié (`timestamp`, `status`, `error`, `message`, `path` "
    "de la route interne, par exemple `/api-orientationusager/v1/orientation/calculer`) ; jeton "
    "usager, règle d'accès et limites du bac à sable dans le corps `codeErreur` de la "
    "plateforme ; au plus 100 orientations par usager et par client (409 "
    "`ERR_LIMITE_BAC_A_SABLE`)."
)

CONTRACTS: dict[Api, ContractInfo] = {
    Api.RECHERCHE_USAGER_V2: ContractInfo(
        "Rechercher usager v2",
        f"{_GEN2} Codes retour S001/S002/S003 (HTTP 200), R997 (400), R001/R002 (403), "
        "R998 (500), R999 (503). Ordre des contrôles retenu : inconnu ou radié depuis plus de "
        "3 ans → S002 ; plusieurs dossiers → S003 ; non allocataire du RSA → R001 ; sans "
        "adresse → R998 ; rattaché à un autre département que le client → R002.",
    ),
    Api.RECHERCHE_USAGER_V1: ContractInfo(
        "Recherche usager v1 (convention)",
        f"{_GEN1} Mêmes codes retour que la v2 ; messages de l'époque (« Approchant trouvé »).",
    ),
    Api.STATUT_USAGER_V2: ContractInfo(
        "Statut usager v2 (contrat-usager)",
        f"{_GEN2} 204 sans corps quand rien n'est connu ; erreur historique ERT_200_FONCT servie "
        'avec HTTP 200 ; `m_messageErreur` vaut " " en cas de succès.',
    ),
    Api.STATUT_USAGER_V1: ContractInfo(
        "Statut usager v1 (convention)",
        f"{_GEN1}{_RECONSTRUCTED} Lecture retenue : `dateInscription12/24/36` sont des nombres "
        "entiers de mois d'inscription dans les 12/24/36 derniers mois (comme "
        "`m_duree_inscription_NN` en v2) : la convention donne un format de date pour "
        "`dateEffetStatut` mais aucun pour ces champs.",
    ),
    Api.DIAGNOSTIC_V4: ContractInfo("Diagnostic usager v4", _GEN2),
    Api.DIAGNOSTIC_V1: ContractInfo("Diagnostic individu v1 (convention)", _GEN1),
    Api.METIERS_PROJETS_V2: ContractInfo(
        "Métiers recherchés, projets d'évolution et projets CREF v2", _GEN2
    ),
    Api.INFORMATIONS_ADMINISTRATIVES_V1: ContractInfo(
        "Informations administratives usager v1",
        f"{_GEN2} État civil, adresses, emails, téléphones et numéro France Travail de l'usager "
        "du jeton, cohérents avec ce que Rechercher usager connaît de lui (NIR, date de "
        "naissance, numéro France Travail) ; 204 sans corps quand la population ne contient plus "
        "la personne. Lectures retenues : `etatCivil.nir` est le NIR de 13 caractères sans sa "
        "clé (exemple publié `1041174010081`) ; noms et prénoms en majuscules (exemple publié), "
        "`civilite` `M.` ou `Mme` ; `adresses`, `emails` et `telephones` toujours servis, en "
        "tableaux (vides quand il n'y a rien), jamais null. Un usager sans adresse n'obtient "
        "pas de jeton (Rechercher usager répond R998 : persona `r998-sans-adresse`), donc "
        "`adresses` n'est jamais vide en pratique. Coordonnées synthétiques et stables (même "
        "graine, mêmes valeurs) : emails au domaine réservé `example.com` (RFC 2606), "
        "téléphones dans les tranches que l'ARCEP réserve à la fiction selon la lecture du bac à "
        "sable (mobile `06 39 98 xx xx`, fixe `01 99 00 xx xx` ; aucune source livrée ne les "
        "confirme), `indicateurResidentQPV` parmi NQ, QP et NT.",
    ),
    Api.METIERS_V1: ContractInfo(
        "Métiers recherchés et projets d'évolution v1 (convention)", _GEN1 + _RECONSTRUCTED
    ),
    Api.CREATION_ENTREPRISE_V1: ContractInfo(
        "Création, reprise ou franchise d'entreprise v1 (convention)", _GEN1 + _RECONSTRUCTED
    ),
    Api.RENDEZ_VOUS_V1: ContractInfo(
        "Rendez-vous partenaire v1",
        f"{_GEN2} Créer (POST, 202 avec l'`id` du rendez-vous), modifier (PUT, `id` dans le "
        "corps), annuler (DELETE `/rendez-vous/{id}`) et lister (GET `/rendez-vous-usager`) les "
        "rendez-vous d'un usager, enregistrés par client OAuth (un autre client ne les voit "
        "pas), après un redémarrage aussi. Lectures retenues : un id inconnu pour l'usager et le "
        "client → 400 `ID_NON_RECONNU` (PUT et DELETE) ; un rendez-vous annulé (DELETE, ou "
        "`statut` ANNULE écrit) reste listé avec `dateAnnulation`, ne se modifie plus (400 "
        "`ERR_DONNEE_INCORRECTE`) et un second DELETE répond 202 ; l'`id` envoyé au POST est "
        "ignoré ; `duree` absente vaut 30 minutes ; `theme` absent est servi avec le libellé du "
        "motif ; `initiateur` PARTENAIRE est servi CONSEILLER, `civilite` Mme/Mx MME/MX (enums "
        "publiés de la liste) ; `adresse.adresseLibre` est le `libelleAdresse` écrit (nom du "
        "lieu) et `adresse.libelleAdresse` l'`adresse` écrite (descriptions publiées) ; "
        "`estEnConflit` vaut true quand un autre rendez-vous non annulé chevauche celui-ci ; "
        "les dates de filtre sont des jours UTC inclus, et sans filtre la liste donne les "
        "rendez-vous à venir et ceux des 30 derniers jours ; au plus 200 rendez-vous par usager "
        "et par client (409 `ERR_LIMITE_BAC_A_SABLE`).",
    ),
    Api.CONCLUSIONS_ENTRETIENS_V1: ContractInfo(
        "Conclusions entretiens v1",
        f"{_GEN2} Les conclusions des entretiens de l'usager du jeton avec France Travail "
        "(convention Annexe 3, « Rendez-vous – Données d'entretien »), la plus récente d'abord : "
        "les mêmes que l'outil Suivi de parcours montre (plan de contrôle, `POST "
        "/_sandbox/suivi-parcours`). Lectures retenues : seule une personne inscrite à France "
        "Travail a eu des entretiens, tous entre son inscription et sa fin (ou l'époque de la "
        "population), tenus dans son agence (code SAFIR) par son conseiller de suivi principal "
        "(IDGASI) ; pour un allocataire du RSA le premier est l'entretien d'orientation (EDO), "
        "suivi du 1er entretien d'accompagnement (EDA) quand France Travail l'accompagne ; au "
        "plus 6 entretiens ; `commentaire` est une phrase fixe et impersonnelle ; liste vide "
        "(200) sans entretien ; 422 `ERR_USAGER_INCONNU` pour un jeton valide dont la "
        "population ne contient plus la personne. Le « plan d'action » et l'« origine » "
        "(conseiller ou individu) de l'Annexe 3 ne sont pas dans le format publié : le Suivi de "
        "parcours les montre.",
    ),
    Api.ORIENTATION_V1: ContractInfo("Orientation usager v1", _ORIENTATION),
    Api.ORIENTATION_V2: ContractInfo(
        "Orientation usager v2",
        f"{_ORIENTATION} Scopes par opération, comme publiés : `lireorientationusager` pour la "
        "lecture, `decisionorientationusager` pour le calcul, l'envoi, la décision et la "
        "modification (avec `api_orientationusagerv2`) ; le serveur « bac à sable » "
        "(`testorientationusager`) n'est pas servi.",
    ),
    Api.DONNEES_RQTH_V1: ContractInfo(
        "Données RQTH v1",
        f"{_GEN2} Reconnaissance de la qualité de travailleur handicapé (RQTH) de l'usager du "
        "jeton. **Aucun fichier publié** : le chemin, les scopes (`api_donnees-rqthv1`, `h2a`) et "
        "les quatre clés du corps sont ceux du client public les-emplois (référence §6.4) ; le "
        "reste est la lecture reconstruite du bac à sable. Lectures retenues : 200 "
        "`{dateDebutRqth, dateFinRqth, source, topValiditeRQTH}` pour un usager qui a ou a eu une "
        "RQTH, expirée comprise (`topValiditeRQTH` false) ; 204 sans corps pour un usager sans "
        "RQTH (les-emplois lit 204 comme « aucune donnée ») ; `dateFinRqth` `9999-12-31` pour une "
        "RQTH sans limitation de durée ; `topValiditeRQTH` vaut true si la date du jour de "
        "l'horloge de l'instance est entre les deux dates, bornes comprises ; `source` vaut "
        "`MDPH` ou `FRANCE TRAVAIL` (valeur des exemples de les-emplois) ; erreurs du jeton et "
        "règle d'accès comme les autres API à jeton ; nom d'opération `lireDonneesRqth` choisi "
        "par le bac à sable. Données générées : environ 12 % des personnes ont une RQTH, dont 45 % "
        "prenant fin après l'époque de la population (`FT_SANDBOX_POPULATION_EPOCH`, 2026-01-01 "
        "par défaut), 30 % sans fin (commencées le 2019-01-01 ou après) et 25 % terminées avant "
        "elle ; accordées pour 1 à 10 ans, jamais avant les 16 ans de la personne ; même graine, "
        "mêmes dates (l'horloge ne change que `topValiditeRQTH`). Personas `rqth-en-cours`, "
        "`rqth-expiree` et `rqth-aucune` (fixtures/README.md).",
    ),
    Api.RENDEZ_VOUS_PUSH_V1: ContractInfo(
        "Rendez-vous partenaires v1 (envoi 2024, convention)",
        "Génération 1 (realm `/partenaire`, époque de la convention), scope "
        "`api_rendezvous-partenairesv1`, sans en-têtes `pa-*` ni jeton : les participants sont "
        "désignés par leur NIR. Noms de champs de la convention (Annexe 3, « Rendez-vous ») et "
        "de l'envoi de rdv-insertion en 2024 (référence §6.2). **Chemin reconstruit** : l'URL "
        "réelle était un réglage du client, jamais publiée ; le bac à sable sert `POST "
        "/partenaire/rendezvous-partenaires/v1/rendezvous` dans le style de la plateforme. "
        "**Réponse reconstruite** : 202 `{idOrigine, mode, nombreParticipants}` (aucune trace "
        "publique). Lectures retenues : `mode` création enregistre, modification remplace, "
        "suppression annule, pour chaque participant envoyé ; un `idOrigine` déjà créé pour un "
        "participant est refusé en création (400), inconnu en modification ou suppression : 400 "
        "`ID_NON_RECONNU` ; tout est vérifié pour tous les participants avant d'écrire, un envoi "
        "refusé n'enregistre rien. Chaque participant doit être un usager connu de France Travail "
        "(comme Recherche usager le trouve, avec `dateNaissance` si elle est envoyée : sinon 400 "
        "`ERR_USAGER_INCONNU`, ou `ERR_USAGER_AMBIGU` pour des homonymes), allocataire du RSA et "
        "rattaché au département du client (403 `ERR_USAGER_HORS_PERIMETRE` / "
        "`ERR_USAGER_NON_RATTACHE`) ; les messages nomment le participant (`participants[i]`) et "
        "ne montrent jamais que les 7 premiers caractères du NIR. Les rendez-vous envoyés sont "
        "ceux de Rendez-vous partenaire v1 pour le même client OAuth (sa liste `GET "
        "/rendez-vous-usager`, realm `/agent`, les sert ; ses PUT et DELETE les modifient), avec "
        "`idOrigine` pour id : `idModalite` 1 et 2 → PHYSIQUE, 3 → TELEPHONE, 5 et 7 → VISIO ; "
        "`typeReception` Individuel → IND, Collectif → COL ; motif ORI quand `objet` commence par "
        "« RSA Orientation », AUT sinon, `objet` servi en `theme` ; organisme CD avec "
        "`codeSafir` en `idStructure` et `libelleStructure` ; premier `conseiller` en "
        "`interlocuteur` ; `address` en `adresse`, `telephone` du participant en "
        "`telephoneContactUsager` ; statut PRIS à la création, MODIFIE à la modification, "
        "ANNULE à la suppression ou avec `dateAnnulation` ; au plus 200 rendez-vous par usager "
        "et par client, les mêmes qu'en v1 (409 `ERR_LIMITE_BAC_A_SABLE`).",
    ),
    Api.CONTRAT_ENGAGEMENT_V1: ContractInfo(
        "Contrat d'engagement v1",
        f"{_GEN2} (sauf `GET /lecture/structure`, sans jeton). Lire (GET `/lecture`, 204 sans "
        "contrat), signer ou refuser un premier contrat (POST `/signer`, `/refuser`) ou le "
        "contrat existant (PATCH). Lectures retenues : le contrat est le PPAE avec France "
        "Travail pour une orientation professionnelle, le CER avec le conseil départemental "
        "pour une orientation sociale ou socio-professionnelle (convention, Annexe 4 "
        "`TYPE_CONTRAT`), l'orientation étant celle que le client voit dans Orientation usager "
        "(celle qu'il a envoyée l'emporte) ; l'API ne publie pas de champ de type, `organisme` "
        "le dit. Un usager "
        "non orienté n'a pas de contrat (204) ; un premier contrat écrit pour lui est un PPAE "
        "avec France Travail. L'état (SIGNE, REFUSE, A_SIGNER, EN_ATTENTE_SIGNATURE, ou aucun "
        "contrat) et les dates viennent de la graine ; une inscription cessée ou radiée donne "
        "SUSPENDU. Les écritures sont enregistrées par client OAuth (un autre client lit "
        "toujours le contrat dérivé) et relues par GET `/lecture` ; au plus "
        "50 écritures par usager et par client (409 `ERR_LIMITE_BAC_A_SABLE`). Un POST sur un "
        "contrat existant est refusé (400 `SignatureException` / `RefusException`, publié), un "
        "PATCH sans contrat aussi (400, formulation du bac à sable), signer un contrat signé "
        "ou refuser un contrat refusé aussi (400, publié), et un PATCH sur un contrat SUSPENDU "
        "répond le 500 publié. Dates écrites `yyyy-MM-ddTHH:mm:ss` avec fuseau (millisecondes "
        "acceptées, années 1900 à 2099), pas après l'horloge de l'instance ; servies en UTC "
        "avec millisecondes (`2024-06-01T15:35:00.000Z`). Toutes les erreurs ont le corps "
        "RFC 9457 publié "
        "(`type`, `status`, `title`, `detail`) : `title` est le nom d'exception publié pour 400 "
        "(`DonneeEnEntreeInvalideException`), 403 (`HabilitationException`) et 500 "
        "(`Exception`), le code du bac à sable sinon (401 `ERR_JETON_USAGER_*`, 409).",
    ),
    Api.ACTIVITES_OPERATIONNELLES_V2: ContractInfo(
        "Gestion activités opérationnelles v2",
        "Génération 2 (realm `/agent`) : en-têtes `pa-nom-agent`, `pa-prenom-agent`, "
        "`pa-identifiant-agent` obligatoires (absents : 302, vides : 401) ; pas de jeton usager. "
        "`GET /activites/chercher` liste les activités de la structure de l'appelant, lue comme "
        "son département : celles des allocataires du RSA qui y sont rattachés, 1000 par page "
        "par date d'échéance, avec exactement un de `codeActivite`, `codeFamille` ou "
        "`codeDomaine` (400 `PARAM_INCOHERENT` publié sinon), filtrables par "
        "`numeroFranceTravail`, la suite par `cursor` ; 204 quand rien ne correspond. Lectures "
        "retenues : les activités viennent de la graine et de l'orientation de la personne "
        "(non orientée → ACT382 ; orientation professionnelle, donc accompagnée par France "
        "Travail → une proposition de sanction ACT366, ACT367, ACT369 ou ACT370 avec son "
        "`idConsequenceSanction`, ou ACT380 ; sociale ou socio-professionnelle → ACT380 ou "
        "ACT395) ; un échantillon de la population tiré de la graine a des activités, et chaque "
        "persona allocataire du RSA ; les dates entourent le jour de l'horloge de l'instance. "
        "Une activité de sanction traitée par Gestion des sanctions RSA v1 passe à l'étape "
        "suivante ou disparaît, pour le client qui l'a traitée. Référentiel : codes d'activité "
        "et de famille publiés (GLI100 sanctions, INSEA orientation, MSACC rendez-vous, ACC100 "
        "portefeuille) ; codes de domaine (ACC, GLI, INS) et libellés de domaine et de famille "
        "lus par le bac à sable (aucun n'est publié) ; lecture simple d'un domaine ou d'une "
        "famille sans ses familles ou activités, détail (`/detail`) et référentiel complet "
        "avec ; code inconnu → 204, mal formé → 400. Les erreurs ont le corps `Erreur` publié "
        "(`code`, `message`, `details`).",
    ),
    Api.GESTION_SANCTIONS_RSA_V1: ContractInfo(
        "Gestion des sanctions RSA v1",
        f"{_GEN2} Lire le détail d'un manquement (`GET /detailManquement?identifiantSanction=`), "
        "publier un événement sur une conséquence de sanction (`POST /evenementSanctionRSA`, "
        "`codeSortie` C001 ou C999), transmettre une décision de sanction du partenaire (`POST "
        "/decisionSanctionRSAPartenaire`, C001 avec les identifiants créés) et demander une "
        "radiation (`POST /demandeRadiation`, C000 créée, C001 à C004 non créée). Lectures "
        "retenues : les conséquences proposées par France Travail sont les "
        "`idConsequenceSanction` des activités ACT366, ACT367, ACT369 et ACT370 de l'usager "
        "(Gestion activités opérationnelles v2), leur manquement et leurs événements viennent "
        "de la graine ; un identifiant inconnu pour l'usager répond 204 (C003 pour la "
        "radiation). Les événements suivent le cycle publié : ACT366 accepte SAISIE_SANCTION "
        "(→ ACT367) ou REFUS_SAISIE_SANCTION (proposition validée), ACT367 et ACT370 "
        "VALID_SANCTION ou REFUS_SANCTION, ACT369 VALID_LEVEE_SUSP ou REFUS_LEVEE_SUSP, une "
        "sanction décidée ANNULATION_SANCTION (avec `motifEvenement`, sinon 400 R021 : aucun "
        "code publié pour ce cas) ; tout autre événement répond C999 sans rien enregistrer. "
        "Une activité traitée disparaît de la liste des activités du client ou passe à l'étape "
        "suivante. Radiation conforme (C000) : manquement F01 ou F03 après une suppression de "
        "100 % pendant 4 mois, F04 après une suspension ou suppression décidée ; C001 quand "
        "l'usager est radié ou qu'une radiation a déjà été créée pour lui, C004 pour la même "
        "sanction. Le succès d'une radiation est C000 comme le publie le fichier (la référence "
        "§6.4 cite C001, le succès des deux autres écritures). Toute écriture est enregistrée "
        "par client OAuth et relue par `/detailManquement` ; au plus 100 écritures par usager "
        "et par client (409 `ERR_LIMITE_BAC_A_SABLE`). Dates AAAA-MM-JJ, pas après la date du "
        "jour de l'instance (R031, R033), `dateManquement` pas après la notification (R091).",
    ),
}


def token_url(realm: Realm) -> str:
    """The token URL of a realm, as the platform writes it."""
    return f"{TOKEN_URL}?realm={realm.value}"


def scheme_name(realm: Realm) -> str:
    """The security scheme of a realm in the documents."""
    return f"{SECURITY_SCHEME}_{realm.value.strip('/')}"


def security_scheme(realm: Realm) -> dict[str, object]:
    """The OAuth2 client-credentials scheme of a realm with every scope it grants."""
    scopes = sorted({s for a in API_ACCESS.values() if a.realm is realm for s in a.scopes})
    return {
        "type": "oauth2",
        "description": f"Client credentials, realm `{realm.value}` passé dans l'URL.",
        "flows": {
            "clientCredentials": {
                "tokenUrl": token_url(realm),
                "scopes": {scope: scope for scope in scopes},
            }
        },
    }


AUTHORIZATION_CODE_SCHEME = "authentification_agent"
"""The agent's authorization-code flow (ProConnect), published for Statut usager v2."""
AUTHORIZATION_CODE_APIS = frozenset({Api.STATUT_USAGER_V2})
_PROCONNECT = "https://proxyproconnect.francetravail.net/connexion/oauth2/agent"


def authorization_code_scheme(scopes: tuple[str, ...]) -> dict[str, object]:
    """The published authorization-code scheme, which the sandbox documents but does not serve."""
    return {
        "type": "oauth2",
        "description": "Flux authorization code de l'agent (ProConnect), tel que publié par "
        "France Travail pour Statut usager v2 (URL de la plateforme). **Non servi par le bac à "
        "sable** : il n'a ni page d'autorisation ni échange de code ; seul le flux client "
        "credentials (`francetravail_oauth2_agent`) y délivre des jetons, que cette API accepte.",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": f"{_PROCONNECT}/authorize",
                "tokenUrl": f"{_PROCONNECT}/access_token",
                "scopes": dict.fromkeys(scopes, "Obligatoire"),
            }
        },
    }


_UNKNOWN_DIAGNOSTIC = "un idDiagnostic inconnu de l'usager est refusé (400)"
_CODED = (
    "écriture par valeurs codées uniquement (Annexe 3 §1.2) : codeAppellation, codeRome et "
    "nomMetier sont ceux du référentiel ROME 4.0 livré (14 313 appellations, trop pour un enum "
    "du contrat) ; un code inconnu, un nomMetier qui n'est pas le libellé d'une appellation (texte "
    "libre) ou ne correspond pas au code envoyé, ou un diagnostic sans métier, est refusé (400)"
)
_ABORDEES = (
    "situations et objectifs acceptés seulement pour une contrainte abordée (valeur OUI) ; une "
    "seule contrainte prioritaire (400 sinon)"
)

_RDV_ID = (
    "l'`id` doit être celui qu'un POST a renvoyé pour le même usager et le même client : un id "
    "inconnu est refusé (400 `ID_NON_RECONNU`), un rendez-vous annulé ne se modifie plus (400)"
)

_RDV_DATE = (
    "`date` dont l'instant UTC et la fin (`date` + `duree`) restent dans les années 1 à 9999 "
    "(400 `ERR_DONNEE_INCORRECTE` sinon, par exemple 0001-01-01T00:00:00+01:00)"
)

_ORIENTATION_DECISION = (
    "une proposition EN_ATTENTE doit exister (calcul complet ; un BROUILLON ne se décide pas) ; "
    "un refus exige `motif_refus` et l'orientation choisie ; `date_decision` ne précède pas "
    "l'entrée en parcours de l'orientation ouverte (400 au corps Spring Boot sinon)"
)
_ORIENTATION_MODIFICATION = (
    "au moins un champ parmi parcours, structure et date d'entrée ; une orientation OUVERT doit "
    "exister ; la date d'entrée ne précède pas la date de sortie de l'orientation précédente "
    "(400 au corps Spring Boot sinon)"
)
_ORIENTATION_ENVOI = (
    "`date_entree_parcours` ne précède pas celle de l'orientation ouverte (400 au corps Spring "
    "Boot sinon)"
)

_CE_DATE = (
    "date au format `yyyy-MM-ddTHH:mm:ss` avec fuseau, années 1900 à 2099, date réelle, pas "
    "après l'horloge de l'instance (400 `DonneeEnEntreeInvalideException` sinon)"
)
_CE_STATE = (
    "refusé selon l'état du contrat de l'usager, qu'aucun schéma ne porte : POST sur un contrat "
    "existant (400), PATCH sans contrat ou sur un contrat déjà dans l'état demandé (400), PATCH "
    "sur un contrat SUSPENDU (500 publié)"
)

_AO_FORMAT = (
    "codes écrits comme le décrit le fichier publié : `codeActivite` et `codeFamille` en "
    "caractères alphanumériques majuscules, `codeDomaine` en 3 lettres majuscules (400 "
    "`PARAM_INCOHERENT` sinon, `details` nommant le paramètre)"
)

_SR_ID = (
    "l'identifiant doit être celui d'une conséquence de l'usager (activité GLI100 ou écriture "
    "de ce client) : sinon 204 (`/demandeRadiation` : C003)"
)

BUSINESS_RULES: dict[str, list[str]] = {
    "orientationV1": [_ORIENTATION_ENVOI],
    "Orientation": [_ORIENTATION_ENVOI],
    "decisionOrientationV1": [_ORIENTATION_DECISION],
    "decisionOrientation": [_ORIENTATION_DECISION],
    "modificationOrientationV1": [_ORIENTATION_MODIFICATION],
    "modificationOrientation": [_ORIENTATION_MODIFICATION],
    "envoyerRendezVousPartenaires": [
        "en création et en modification, `dateRendezvous`, `idModalite`, `typeReception` et "
        "`objet` sont obligatoires ; `idModalite` 2 et 7 demandent `typeReception` Collectif, "
        "Individuel un seul participant ; `nombrePlaces` au moins le nombre de participants ; "
        "NIR distincts ; `dateFinRendezvous` après `dateRendezvous`, d'accord avec `duree` (400 "
        "`ERR_DONNEE_INCORRECTE`)",
        "chaque NIR doit désigner un seul usager connu de France Travail, avec `dateNaissance` "
        "si elle est envoyée (400 `ERR_USAGER_INCONNU`, `ERR_USAGER_AMBIGU`), lisible par le "
        "client (403 de la règle d'accès)",
        "`idOrigine` nouveau pour chaque participant en création (400), déjà créé en "
        "modification et en suppression (400 `ID_NON_RECONNU`), non annulé en modification (400)",
    ],
    "lireDetailSanctionRsa": [_SR_ID],
    "traiterSanctionRsa": [
        _SR_ID,
        "champs obligatoires selon `typeEvenement` (publiés) : `typeConsequenceSanctionValide` "
        "pour VALID_SANCTION et ANNULATION_SANCTION (R050), montant, modalité et durée pour "
        "VALID_SANCTION (R060, R063, R070), `motifEvenement` pour ANNULATION_SANCTION (R021) ; "
        "un taux (P) entre 30 et 100 (R064) ; `dateEvenement` pas après aujourd'hui (R031)",
    ],
    "traiterDecisionSanctionRSA": [
        "un taux (P) entre 30 et 100, un montant (M) positif (R064) ; "
        "`dateNotificationDecisionSanction` pas après aujourd'hui (R033) ; `dateManquement` pas "
        "après la notification (R091)",
    ],
    "demandeRadiation": [_SR_ID],
    "getListActivites": [
        "exactement un de `codeActivite`, `codeFamille` et `codeDomaine` (400 "
        "`PARAM_INCOHERENT`, « Il faut renseigner exactement un paramètre. », publié)",
        _AO_FORMAT + " ; `numeroFranceTravail` alphanumérique",
        "`cursor` : celui d'une page précédente, renvoyé tel quel (400 `PARAM_INCOHERENT` sinon)",
    ],
    "getActivite": [_AO_FORMAT],
    "getDomaine": [_AO_FORMAT],
    "getDomaineDetail": [_AO_FORMAT],
    "getFamille": [_AO_FORMAT],
    "getFamilleDetail": [_AO_FORMAT],
    "signerPremierContratEngagement": [_CE_DATE, _CE_STATE],
    "signerContratEngagement": [_CE_DATE, _CE_STATE],
    "refuserPremierContratEngagement": [_CE_DATE, _CE_STATE],
    "refuserContratEngagement": [_CE_DATE, _CE_STATE],
    "creerRendezVous": [_RDV_DATE],
    "modifierRendezVous": [
        _RDV_DATE,
        "`id` obligatoire dans le corps du PUT (400 `ERR_DONNEE_INCORRECTE` sans lui)",
        _RDV_ID,
    ],
    "annulerRendezVous": [_RDV_ID],
    "listerRendezVousUsager": [
        "`date-debut` et `date-fin` sont des dates réelles (31-02-2026 est refusé) et "
        "`date-debut` ne vient pas après `date-fin` (400 `ERR_DONNEE_INCORRECTE`)"
    ],
    "enregistrerDossierV4": [_CODED, _ABORDEES],
    "creerDiagnosticV4": [_CODED],
    "modifierDiagnosticV4": [_CODED, _UNKNOWN_DIAGNOSTIC],
    "enregistrerBesoinV4": [_UNKNOWN_DIAGNOSTIC],
    "prioriserDiagnosticsIndividuV4": [_UNKNOWN_DIAGNOSTIC],
    "supprimerDiagnosticIndividuV4": [_UNKNOWN_DIAGNOSTIC],
    "enregistrerContraintesV4": [_ABORDEES],
    "enregistrerPouvoirAgirV4": [_CODED],
    "enregistrerAutonomieNumeriqueV4": [_ABORDEES],
    "enregistrerContraintesIndividuV1": [_ABORDEES],
    "enregistrerDiagnosticIndividuV1": [_CODED],
    "creerOuModifierDiagnosticIndividuV1": [_CODED],
}
"""Operations that refuse some schema-valid requests: rules no JSON Schema can express.

Published in the contract as ``x-regles-metier``: a checker knows a 400 there can be a business
refusal of well-formed data, not a contract violation.
"""


_SAME_JETON = {"header.ft-jeton-usager": "$request.header.ft-jeton-usager"}
RESOURCE_LINKS: dict[str, tuple[str, dict[str, dict[str, object]]]] = {
    "creerRendezVous": (
        "202",
        {
            "modifierRendezVous": {
                "parameters": _SAME_JETON,
                "requestBody": {"id": "$response.body#/id"},
            },
            "annulerRendezVous": {"parameters": {**_SAME_JETON, "path.id": "$response.body#/id"}},
            "listerRendezVousUsager": {"parameters": _SAME_JETON},
        },
    ),
}
"""Links from an operation's answer (its status, then each target and mapping) to the operations
taking what it created: the rendez-vous' ``id``, for the same usager (same jeton)."""
