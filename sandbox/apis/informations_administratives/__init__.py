"""Informations administratives usager v1: état civil and coordinates behind a jeton."""
