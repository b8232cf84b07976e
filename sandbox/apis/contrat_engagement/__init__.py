"""Contrat d'engagement v1 (realm ``/agent``): read, sign or refuse a person's CER or PPAE."""
