"""Conclusions entretiens v1 (realm ``/agent``)."""
