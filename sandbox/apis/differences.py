"""Where each contract departs from France Travail's published OpenAPI file, and why.

The published files (``schemas/`` of the public explo-ftio repository: ``rechercher-usager.json``,
``statut-usager.json``, ``metiers-recherches-projets-evolution.json``, ``diagnostic-usager.json``,
``informations-administratives-usager.json``) outrank every other source for names and shapes.
What the sandbox still does differently is deliberate; each document's description lists it, so a
client generated from either file knows what to expect.
``tests/contracts/test_published_fidelity.py`` compares the two.
"""

from __future__ import annotations

from sandbox.auth.scopes import Api

PUBLISHED_FILES: dict[Api, str] = {
    Api.RECHERCHE_USAGER_V2: "rechercher-usager.json",
    Api.STATUT_USAGER_V2: "statut-usager.json",
    Api.METIERS_PROJETS_V2: "metiers-recherches-projets-evolution.json",
    Api.DIAGNOSTIC_V4: "diagnostic-usager.json",
    Api.INFORMATIONS_ADMINISTRATIVES_V1: "informations-administratives-usager.json",
    Api.RENDEZ_VOUS_V1: "rendez-vous-partenaires.json",
    Api.CONCLUSIONS_ENTRETIENS_V1: "conclusions-entretiens.json",
    Api.ORIENTATION_V1: "orientation-usager.json",
    Api.ORIENTATION_V2: "orientation-usager-v2.json",
    Api.CONTRAT_ENGAGEMENT_V1: "contrat-engagement.json",
    Api.ACTIVITES_OPERATIONNELLES_V2: "gestion-activites-operationnelles.json",
    Api.GESTION_SANCTIONS_RSA_V1: "gestion-sanctions-rsa.json",
}

_PATHS = (
    "chemins complets (`/partenaire/<api>/v<N>/…`) sous le serveur local, là où le fichier publié "
    "écrit des chemins relatifs au serveur `https://api.francetravail.io/partenaire/<api>/v<N>` : "
    "un seul document sert aussi les opérations de Rechercher usager qu'il inclut"
)
_STATUSES = (
    "statuts ajoutés, chacun décrit : 302, 401 et 403 de la passerelle (corps vide), 400, 401 et "
    "403 du jeton usager (`codeErreur`), 413 au-delà de la taille de corps du bac à sable (README "
    "« Limits »), 409 aux limites d'état du bac à sable ; le 500 publié n'est servi que sous un "
    "profil de pannes"
)
_SECURITY = (
    "sécurité OAuth2 client credentials déclarée sur chaque opération avec ses scopes exacts : le "
    "fichier publié n'en déclare pas (ou `security: []`) et donne scopes et royaume dans sa "
    "description"
)
_AGENT = (
    "en-têtes `pa-*` facultatifs dans le contrat, obligatoires dans le fichier publié : la "
    "passerelle répond 302 quand ils manquent (comportement observé), ce que le contrat documente"
)
_REQUIRED = (
    "propriétés toujours servies marquées `required` (le fichier publié n'en marque aucune) ; une "
    "valeur absente est omise, jamais null, sauf là où les exemples publiés envoient null (chaque "
    "champ nullable dit pourquoi)"
)

DIFFERENCES: dict[Api, tuple[str, ...]] = {
    Api.RECHERCHE_USAGER_V2: (
        _PATHS,
        _STATUSES,
        _SECURITY,
        _AGENT,
        _REQUIRED,
        "type de média `application/json` au lieu de `application/json; charset=utf-8` : le "
        "corps est le même UTF-8 et les deux sont acceptés en entrée",
        "`topIdentiteCertifiee` vaut `O`, `N` ou null JSON, là où l'enum publié liste la chaîne "
        '`"null"` : les exemples publiés (S002, S003) envoient le null JSON',
        "`codeRetour` typé par l'enum des codes retour de la convention (S001…R999), chaîne libre "
        "dans le fichier publié",
    ),
    Api.STATUT_USAGER_V2: (
        _PATHS,
        _STATUSES,
        _REQUIRED,
        "réponse 200 : `anyOf` de `ContratResponse` et du corps historique `ERT_200_FONCT`, que "
        "le fichier publié décrit seulement dans le texte de la réponse (`oneOf` d'un seul "
        "schéma)",
        "flux authorization code de l'agent (`authentification_agent`) déclaré comme publié mais "
        "non servi : seul le flux client credentials délivre des jetons dans le bac à sable",
        "`m_motif_cloture_*` absents tant qu'aucune inscription n'a été close, et les autres "
        "`m_*` de l'inscription absents pour un usager jamais inscrit, là où les exemples publiés "
        "les montrent toujours remplis",
        "`m_date_effet_statut` typé `format: date` (AAAA-MM-JJ, comme le décrit le fichier publié)",
    ),
    Api.METIERS_PROJETS_V2: (
        _PATHS,
        _STATUSES,
        _SECURITY,
        _AGENT,
        _REQUIRED,
        "réponse 200 : l'objet publié, la première entrée du profil ; la lecture « liste » (toutes "
        "les entrées dans un tableau) est une option de l'instance (`FT_SANDBOX_METIERS_SHAPE`)",
        "`mobiliteHabitation.valeur` sans les bornes publiées -1..1 : c'est un rayon",
        "`passeportEmploi` et `dateValidationPasseportEmploi` jamais servis (« non renseignée "
        "aujourd'hui », dit le fichier publié)",
    ),
    Api.DIAGNOSTIC_V4: (
        _PATHS,
        _STATUSES,
        _SECURITY,
        _AGENT,
        _REQUIRED,
        "`AgentDto.id` servi : les exemples publiés le portent, le schéma publié ne le déclare pas",
        "`codeSousTypologie` absent hors projet EF : l'exemple publié y met « MR », hors de l'enum "
        "publié",
        "`nomActiviteCref` (historisation) jamais servi : le bac à sable n'en écrit pas",
        "`declareSansContrainte.flag` vaut false tant que l'usager ne s'est pas déclaré sans "
        "contrainte",
        "valeurs (`valeur`, `statut`, `impact`, réponses du pouvoir d'agir) typées en enum avec "
        "les "
        "valeurs des descriptions publiées ; enveloppes `PageHistorisation…Dto` en composants "
        "nommés (écrites en ligne, sous le même `title`, dans le fichier publié)",
    ),
    Api.INFORMATIONS_ADMINISTRATIVES_V1: (
        _PATHS,
        _STATUSES,
        _SECURITY,
        _AGENT,
        _REQUIRED,
        "400 (jeton absent) et 500 dans le corps historique `codeErreur`/`codeHttp`/`message` "
        "des autres API à jeton, là où le fichier publié décrit `DonneesErreur` (`code`, "
        "`erreur`, `status`, `timestamp`) : aucune source ne montre un corps d'erreur réel de "
        "cette API",
        "`dateNaissance` typé `format: date` (AAAA-MM-JJ, comme l'exemple publié)",
        "`complementAdresse`, `complementDestinataire` et `complementDistribution` jamais "
        "servis : le dossier synthétique n'en a pas",
        "`indicateurResidentQPV` limité à NQ, QP et NT (les codes AT et IN publiés ne sont pas "
        "servis)",
    ),
}


DIFFERENCES[Api.RENDEZ_VOUS_V1] = (
    _PATHS,
    _STATUSES,
    _SECURITY,
    _AGENT,
    _REQUIRED,
    "en-tête `ft-jeton-usager` obligatoire et non vide (facultatif dans le fichier publié) : "
    "sans lui l'usager n'est pas connu, 400 `ERR_JETON_USAGER_ABSENT`",
    "corps d'erreur `codeErreur` documentés sur les 400 (le fichier publié n'en donne pas), "
    "`ID_NON_RECONNU` compris, tel qu'observé par les clients (référence §1.6)",
    "`historiqueEvenementList` jamais servi : son `typeAction` est publié comme un objet sans "
    "propriétés",
    "`motifAnnulation` jamais servi : ni le DELETE ni le corps publié ne portent de motif",
    "`date` et `dateAnnulation` de la liste en `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC), comme les "
    "exemples publiés, là où le `format` publié écrit `yyyy-MM-ddTHH:mm:ss` ; `date` écrite "
    "RFC 3339 avec fuseau",
    "longueurs de texte bornées (README « Limits ») et `duree` entière de 1 à 1440 minutes "
    "(`number` au format int64 dans le fichier publié) ; `date-debut` et `date-fin` avec leur "
    "motif `dd-MM-yyyy`",
)

DIFFERENCES[Api.CONTRAT_ENGAGEMENT_V1] = (
    _PATHS,
    _STATUSES,
    _AGENT,
    _REQUIRED,
    "`operationId` choisis par le bac à sable (`lireContratEngagement`, "
    "`signerPremierContratEngagement`…) : le fichier publié n'en donne pas",
    "sécurité : le seul flux client credentials du bac à sable, avec les scopes publiés ; le "
    "flux authorization code de l'agent (`authentification_agent`) n'est pas servi",
    "`ProblemDetails` aussi sur 401 et 409 (non publiés) avec le code du bac à sable en "
    "`title` ; `instance` jamais servi",
    "`niveauSanction` (de `mentionsLegales`) jamais servi (« non renseigné pour le moment », null "
    "dans les exemples publiés)",
    "`Structure` servie avec ses seuls `engagements` (schéma publié), sans les "
    "`mentionsLegales` de l'exemple publié",
    "l'exemple publié `intensiteInvalide` (« intensité d'activité hebdomadaire ») n'est jamais "
    "servi : `Refus` publié n'a pas de champ d'intensité",
)

DIFFERENCES[Api.ACTIVITES_OPERATIONNELLES_V2] = (
    _PATHS,
    _AGENT,
    _REQUIRED,
    "statuts ajoutés, chacun décrit : 302, 401 et 403 de la passerelle (corps vide), 400 sur "
    "un code de chemin mal formé ; le 500 publié (sans corps) n'est servi que sous un profil de "
    "pannes, avec le corps `Erreur`",
    "sécurité : les scopes des deux groupes d'opérations (`activitesCD` pour la recherche, "
    "`referentielCD` pour le référentiel) sont demandés ensemble par chaque opération, comme "
    "l'entrée du catalogue : la passerelle du bac à sable vérifie les scopes par API ; flux "
    "authorization code (`authentification_agent`) non servi",
    "type de média `application/json` au lieu de `application/json; charset=UTF-8`",
    "paramètres de requête et de chemin typés `string` avec une longueur maximale (le fichier "
    "publié donne un schéma vide) ; `details` de l'`Erreur` sans valeur null (l'exemple publié "
    "« Erreur Paramètre 2 » envoie `codeDomaine: null`)",
    "`ActivitePage.size` est la taille de la page servie",
    "ACT414 (« Décision de Réorientation à prendre », décrite mais absente de l'enum publié) "
    "est au référentiel mais jamais dans une liste d'activités",
)

DIFFERENCES[Api.GESTION_SANCTIONS_RSA_V1] = (
    _PATHS,
    _STATUSES,
    _AGENT,
    "sécurité : les scopes des trois groupes publiés (`gestiondesmanquements`, "
    "`decisionSanctionPartenaire`, `demandeRadiation`, avec `api_gestion-sanctions-rsav1` et "
    "`profil_accedant`) sont demandés ensemble par chaque opération : la passerelle du bac à "
    "sable vérifie les scopes par API ; flux authorization code non servi",
    "corps d'erreur `codeErreur`/`codeHttp`/`message` : les codes et messages publiés "
    "(R010…R100) avec `codeHttp` en plus (le corps des autres API à jeton) ; les refus du "
    "jeton et de la règle d'accès gardent leurs codes `ERR_*`, hors de l'enum publié",
    "type de média `application/json` au lieu de `application/json;charset=UTF-8` (accepté en "
    "entrée)",
    "date-times servies en UTC (`+00:00`), là où les exemples publiés écrivent `+01:00` ; "
    "identifiants de conséquence en chiffres (`identifiantSanction` avec ce motif)",
    "`typeEvenement` servi en chaîne (liste publiée dans la description), `SAISIE_LEVEE_SUSP` "
    "des exemples publiés jamais servi",
)


DIFFERENCES[Api.CONCLUSIONS_ENTRETIENS_V1] = (
    _PATHS,
    _STATUSES,
    _SECURITY,
    _AGENT,
    _REQUIRED,
    "400 (jeton absent) et 401/403 du jeton usager dans le corps historique `codeErreur` des "
    "autres API à jeton : le fichier publié ne décrit aucun corps d'erreur",
    "le 422 publié (« Erreur fonctionnelle ») sert un jeton valide dont la population ne "
    "contient plus la personne (`ERR_USAGER_INCONNU`) ; un usager sans entretien reçoit une "
    "liste vide",
    "`dateEntretien` typé `format: date` (AAAA-MM-JJ, comme les exemples publiés)",
)
_ORIENTATION_COMMON = (
    _PATHS,
    _STATUSES,
    _AGENT,
    _REQUIRED,
    "en-tête `ft-jeton-usager` obligatoire et non vide (facultatif dans le fichier publié) : "
    "sans lui l'usager n'est pas connu, 400 `ERR_JETON_USAGER_ABSENT` au corps `codeErreur`",
    "204 sans corps quand la lecture ne trouve aucune orientation (non publié ; observé par les "
    "clients, webrsa) ; 400 documenté avec le corps Spring Boot des exemples publiés",
    "valeurs des corps typées en enum ; `structure_decision`, `msa_calculee` et "
    "`msa_calculee_libelle` jamais servis (le bac à sable ne les calcule pas), ni les dates "
    "d'entrée et de sortie ou la décision dans la réponse du calcul (une proposition n'en a "
    "pas) ; longueurs de texte bornées (README « Limits »)",
    "composants nommés par version (`OrientationLectureV1` pour `OrientationCA_Lecture`, "
    "`CreationV2` pour `OrientationCreationCA_Commun`…) : les deux fichiers publiés emploient les "
    "mêmes noms pour des schémas différents",
)
DIFFERENCES[Api.ORIENTATION_V1] = (
    *_ORIENTATION_COMMON,
    "sécurité OAuth2 client credentials seule (le flux authorization code ProConnect publié "
    "n'est pas servi) ; identifiants d'opération ajoutés (le fichier publié n'en a pas) : "
    "`calculOrientationV1`, `lectureOrientationV1`, `orientationV1`, "
    "`modificationOrientationV1`, `decisionOrientationV1`",
    "`statut` DECIDE_REORIENTATION et MODIFIE de la v2 servis DECIDE ; orientations ABANDON "
    "non servies (états absents du fichier v1)",
)
DIFFERENCES[Api.ORIENTATION_V2] = (
    *_ORIENTATION_COMMON,
    "sécurité par opération sans les scopes du bac à sable (`api_testorientationusagerv2`, "
    "`testlireorientationusager`, `testdecisionorientationusager`), que le fichier publié met "
    "dans la même exigence : leur serveur n'est pas servi",
    "`responsable_usager`, `competent_decision` et `prise_decision` : toujours le département "
    "(CD), sans structure",
)


def differences_section(api: Api) -> str:
    """The description paragraph listing an API's departures from its published file."""
    items = DIFFERENCES.get(api)
    if not items:
        return ""
    listed = "".join(f"\n- {item} ;" for item in items).removesuffix(" ;") + "."
    return (
        f"\n\n**Différences avec le fichier publié** (`{PUBLISHED_FILES[api]}`), toutes "
        f"délibérées :{listed}"
    )
