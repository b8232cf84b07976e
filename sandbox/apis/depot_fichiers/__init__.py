"""Dépôt de fichiers: the sandbox's file drop over HTTP (its own contract document)."""
