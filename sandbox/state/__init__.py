"""Persisted state: partner writes layered over the generated population, isolated per client."""

from sandbox.state.store import (
    HistoryPage,
    StateStore,
    StorageLimitError,
    StoredReport,
    StoreLimits,
    Update,
    Usage,
)

__all__ = [
    "HistoryPage",
    "StateStore",
    "StorageLimitError",
    "StoredReport",
    "StoreLimits",
    "Update",
    "Usage",
]
