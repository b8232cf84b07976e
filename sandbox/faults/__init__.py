"""Fault injection calibrated on the convention's service levels: pure engine + ASGI middleware."""
