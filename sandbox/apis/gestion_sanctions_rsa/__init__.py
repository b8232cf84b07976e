"""Gestion des sanctions RSA v1 (realm ``/agent``): manquements, events, decisions, radiation."""
