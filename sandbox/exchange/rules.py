"""The rules of the exchange-file checker, as data: id, severity, title, message, hint, clause.

Ids never change once published (reports, CI jobs and the committed invalid samples
``fixtures/files/invalid/<id>.csv`` name them). Messages and hints are French ``str.format``
templates; the checker fills ``{column}``, ``{value}``, ``{expected}``, ``{detail}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.findings import Finding, Severity

MINIMISATION = "Art. 4 (minimisation des données) ; Annexe 3 §3"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the checker."""

    id: str
    severity: Severity
    title: str
    message: str
    hint: str
    clause: str

    def finding(
        self,
        line: int | None = None,
        column: str | None = None,
        column_number: int | None = None,
        value: str | None = None,
        **details: str,
    ) -> Finding:
        """A finding of this rule; ``details`` fill the message and hint templates."""
        fields = {
            "column": column or "",
            "value": value or "",
            "expected": "",
            "detail": "",
            "clause": "",
            **details,
        }
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=self.message.format(**fields),
            hint=self.hint.format(**fields),
            clause=self.clause.format(**fields),
            line=line,
            column=column,
            column_number=column_number,
            value=value,
        )


E, W = Severity.ERROR, Severity.WARNING
_FILES = "Annexes 1 et 4 : fichiers déposés sur la solution de partage sécurisée"

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "unreadable-file",
            E,
            "Fichier illisible",
            "Le fichier ne peut pas être lu comme un tableau : {detail}.",
            "Déposez un fichier CSV (UTF-8, UTF-8 avec BOM ou Windows-1252, séparateur « ; » "
            "ou « , ») ou un classeur XLSX.",
            _FILES,
        ),
        Rule(
            "binary-input",
            E,
            "Contenu binaire",
            "Le fichier contient des octets binaires (octet nul ou caractères de contrôle) : "
            "ce n'est pas un fichier texte.",
            "Exportez le tableau au format CSV ou XLSX depuis le logiciel d'origine ; ne "
            "renommez pas un autre fichier en .csv.",
            _FILES,
        ),
        Rule(
            "invalid-encoding",
            E,
            "Encodage invalide",
            "Octets invalides pour l'encodage {detail}, sur cette ligne ou peu après (le "
            "décodage lit par blocs) : la vérification s'arrête là.",
            "Enregistrez le fichier en UTF-8 (ou Windows-1252) d'un seul tenant, sans "
            "concaténer des fichiers d'encodages différents.",
            _FILES,
        ),
        Rule(
            "oversized-file",
            E,
            "Fichier trop volumineux",
            "Le fichier dépasse la limite de {detail} : la vérification s'arrête à cette ligne.",
            "Découpez le fichier en plusieurs envois plus petits.",
            _FILES,
        ),
        Rule(
            "oversized-line",
            E,
            "Ligne trop longue",
            "La ligne dépasse {detail} caractères : elle est ignorée.",
            "Vérifiez les guillemets (un guillemet non fermé fusionne des lignes) et la "
            "longueur des cellules.",
            _FILES,
        ),
        Rule(
            "empty-file",
            E,
            "Fichier vide",
            "Le fichier est vide.",
            "Déposez un fichier avec une ligne d'en-tête puis une ligne par personne.",
            _FILES,
        ),
        Rule(
            "header-only",
            E,
            "Aucune ligne de données",
            "Le fichier n'a qu'une ligne d'en-tête et aucune ligne de données.",
            "Vérifiez l'export : il doit contenir une ligne par personne après l'en-tête.",
            _FILES,
        ),
        Rule(
            "unknown-kind",
            E,
            "Type de fichier non reconnu",
            "L'en-tête ne correspond à aucun fichier de la convention ({detail}).",
            "Utilisez les noms de colonnes de contracts/files/README.md, ou précisez le type "
            "avec --kind.",
            _FILES,
        ),
        Rule(
            "csv-syntax",
            E,
            "Syntaxe CSV invalide",
            "Le CSV est mal formé : {detail}. La vérification s'arrête à cette ligne.",
            "Vérifiez les guillemets : une cellule qui contient le séparateur ou un retour à "
            "la ligne doit être entourée de guillemets doubles.",
            _FILES,
        ),
        Rule(
            "missing-column",
            E,
            "Colonne manquante",
            "La colonne « {column} » est absente de l'en-tête.",
            "Ajoutez la colonne « {column} » ({detail}){expected}.",
            "{clause}",
        ),
        Rule(
            "duplicate-column",
            E,
            "Colonne en double",
            "La colonne « {column} » apparaît plusieurs fois dans l'en-tête.",
            "Gardez une seule colonne « {column} ».",
            "{clause}",
        ),
        Rule(
            "unexpected-column",
            E,
            "Colonne non prévue (minimisation)",
            "La colonne « {column} » n'est pas prévue par la convention : transmettre une "
            "donnée non listée est un manquement à la minimisation des données.",
            "Retirez la colonne « {column} » avant l'envoi{expected}.",
            MINIMISATION,
        ),
        Rule(
            "ragged-row",
            E,
            "Nombre de cellules incorrect",
            "La ligne a {detail} cellules alors que l'en-tête en a {expected}.",
            "Vérifiez les séparateurs et les guillemets de cette ligne.",
            _FILES,
        ),
        Rule(
            "required-value",
            E,
            "Valeur obligatoire manquante",
            "La colonne « {column} » est obligatoire et la cellule est vide.",
            "Renseignez « {column} » ({detail}).",
            "{clause}",
        ),
        Rule(
            "invalid-format",
            E,
            "Format invalide",
            "La valeur de « {column} » n'a pas le format attendu : {detail}.",
            "Format attendu : {detail}.",
            "{clause}",
        ),
        Rule(
            "invalid-date",
            E,
            "Date invalide",
            "« {column} » n'est pas une date valide : {detail}.",
            "Écrivez la date au format {expected}, entre 1900 et 2099.",
            "{clause}",
        ),
        Rule(
            "value-too-long",
            E,
            "Valeur trop longue",
            "La valeur de « {column} » dépasse {detail} caractères.",
            "Raccourcissez la valeur à {detail} caractères au plus.",
            "{clause}",
        ),
        Rule(
            "code-list",
            E,
            "Valeur hors liste",
            "La valeur de « {column} » n'est pas dans la liste des codes autorisés.",
            "Valeurs autorisées : {detail}.",
            "{clause}",
        ),
        Rule(
            "formula-injection",
            E,
            "Formule de tableur",
            "La cellule de « {column} » commence par « {detail} » : un tableur l'exécuterait "
            "comme une formule (injection de formule).",
            "Retirez le caractère initial, ou précédez la valeur d'une apostrophe dans le "
            "logiciel d'origine.",
            "Art. 5 (sécurité des systèmes d'information)",
        ),
        Rule(
            "nir-format",
            E,
            "NIR/NIA mal formé",
            "Le NIR/NIA n'a pas une forme possible : {detail}.",
            "13 caractères (sans clé) ou 15, chiffres ASCII, 2A/2B pour la Corse, premier "
            "chiffre 1, 2, 7 ou 8, mois 01-12, 20-42 ou 50-99, sans espace ni point.",
            "Annexe 1 (NIR/NIA)",
        ),
        Rule(
            "nir-key",
            E,
            "Clé du NIR/NIA fausse",
            "La clé du NIR/NIA (2 derniers caractères) ne correspond pas aux 13 premiers.",
            "Vérifiez le NIR/NIA sur la pièce d'origine ; la clé vaut 97 − (N mod 97), avec "
            "2A → 19 et 2B → 18.",
            "Annexe 1 (NIR/NIA)",
        ),
        Rule(
            "nir-sex",
            E,
            "NIR/NIA incohérent avec le sexe",
            "Le premier chiffre du NIR/NIA ({detail}) ne correspond pas au sexe « {expected} ».",
            "1 ou 7 pour un homme, 2 ou 8 pour une femme : corrigez le NIR/NIA ou le sexe.",
            "Annexe 1 (NIR/NIA, sexe)",
        ),
        Rule(
            "nir-birth-date",
            E,
            "NIR/NIA incohérent avec la date de naissance",
            "Le NIR/NIA ne correspond pas à la date de naissance : {detail}.",
            "Le NIR/NIA porte l'année (2 chiffres) et le mois de naissance ; la Corse s'écrit "
            "20 avant 1976, 2A/2B ensuite. Corrigez le NIR/NIA ou la date.",
            "Annexe 1 (NIR/NIA, date de naissance)",
        ),
        Rule(
            "birth-date-first-of-month",
            E,
            "Date de naissance non ramenée au 1er du mois",
            "« {column} » doit être ramenée au 1er du mois : le jour réel de naissance n'est "
            "pas une donnée prévue par l'Annexe 4.",
            "Remplacez le jour par 01 (ex. {expected}).",
            "Annexe 4 (DATE_NAISSANCE) ; Art. 4 (minimisation des données)",
        ),
        Rule(
            "unknown-commune",
            E,
            "Commune inconnue",
            "« {column} » : le code {value} n'est pas une commune du COG 2026 de l'INSEE.",
            "Utilisez le code INSEE de la commune (5 caractères, ex. 62041 pour Arras), pas "
            "le code postal ; une commune fusionnée prend le code de la commune nouvelle.",
            "{clause}",
        ),
        Rule(
            "unknown-departement",
            E,
            "Département inconnu",
            "« {column} » : {value} n'est pas un code de département de l'INSEE.",
            "Utilisez le code INSEE du département : 2 caractères (62, 2A, 2B) ou 3 outre-mer "
            "(971…).",
            "{clause}",
        ),
        Rule(
            "duplicate-row-key",
            E,
            "Ligne en double",
            "Une ligne précédente porte déjà la même clé ({detail}).",
            "Gardez une seule ligne par {detail}.",
            "{clause}",
        ),
        Rule(
            "date-order-invitation",
            W,
            "Dates d'orientation dans le désordre",
            "« {column} » ({value}) est antérieure à « {detail} » ({expected}) : l'ordre "
            "attendu est notification ≤ invitation ≤ rdv d'orientation.",
            "Vérifiez les deux dates.",
            "Annexe 4",
        ),
        Rule(
            "date-order-accompaniment",
            W,
            "1er rdv d'accompagnement avant l'orientation",
            "« {column} » ({value}) est antérieure à « {detail} » ({expected}) : le 1er rdv "
            "d'accompagnement suit l'orientation.",
            "Vérifiez les deux dates.",
            "Annexe 4",
        ),
        Rule(
            "date-order-cer",
            W,
            "CER signé avant l'orientation",
            "« {column} » ({value}) est antérieure à « {detail} » ({expected}) : le CER est "
            "signé après l'orientation.",
            "Vérifiez les deux dates (DATE_CER est la signature du CER, pas du PPAE).",
            "Annexe 4",
        ),
        Rule(
            "date-order-habilitation",
            W,
            "Habilitation finissant avant de commencer",
            "« {column} » ({value}) est antérieure à « {detail} » ({expected}).",
            "La date de fin suit la date de début ; laissez-la vide si elle n'est pas connue.",
            "Annexe 3 §1.1",
        ),
        Rule(
            "date-order-parcours",
            W,
            "Sortie avant l'entrée en parcours",
            "« {column} » ({value}) est antérieure à « {detail} » ({expected}).",
            "La date de sortie suit la date d'entrée en parcours.",
            "Annexe 4",
        ),
    )
}
"""Every rule, by id."""
