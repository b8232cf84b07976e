"""The profil de compétences of a person: métiers recherchés and CREF projects, no HTTP."""

from __future__ import annotations

from sandbox.careers.baseline import baseline
from sandbox.careers.models import Careers, CrefProject, SoughtJob

__all__ = ["Careers", "CrefProject", "SoughtJob", "baseline"]
