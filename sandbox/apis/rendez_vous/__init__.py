"""Rendez-vous partenaire v1 (realm ``/agent``, jeton in ``ft-jeton-usager``)."""
