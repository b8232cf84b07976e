"""Persisted state: partner writes layered over the generated population, isolated per client."""

from sandbox.state.store import HistoryPage, StateStore

__all__ = ["HistoryPage", "StateStore"]
