"""Diagnostic individu: v4 ``diagnosticargumente/v4`` (jeton) and v1 (identifiant), one dossier."""
