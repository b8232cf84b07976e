"""Gestion activités opérationnelles v2 (realm ``/agent``): activities and référentiel."""
