"""The 2024 rendez-vous push (realm ``/partenaire``, Annexe 3 names; path reconstructed)."""
