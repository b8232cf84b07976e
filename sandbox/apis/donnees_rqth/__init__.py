"""Données RQTH v1: the RQTH of the person behind a jeton (realm ``/agent``, no published file)."""
