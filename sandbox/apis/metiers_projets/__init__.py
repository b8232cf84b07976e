"""Métiers recherchés, projets d'évolution et projets CREF (v2) and their two v1 APIs."""
