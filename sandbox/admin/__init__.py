"""The sandbox's control plane (``/_sandbox``): outside the partner contract, admin token only."""
