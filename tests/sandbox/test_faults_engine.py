"""The fault engine, pure: service levels, determinism, isolation, quotas, windows, matches."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.faults.engine import FaultEngine
from sandbox.faults.plan import (
    ErrorRule,
    Match,
    OutageRule,
    Profile,
    RateLimitRule,
    RequestMeta,
    Window,
)
from sandbox.faults.profiles import ProfileError, load_profiles

PROFILES = load_profiles()
MONTH_START = dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()


def meta(
    client: str = "PAR_a", api: str = "rechercher-usager-v2", path: str = "/partenaire/x"
) -> RequestMeta:
    return RequestMeta("POST", path, api, client, None)


def test_convention_sla_over_a_simulated_month() -> None:
    engine = FaultEngine(seed=42)
    profile = PROFILES["convention-sla"]
    calls = 10_000
    spacing = 31 * 86400 / calls  # December
    latencies, available = [], 0
    for n in range(calls):
        decision = engine.decide(profile, meta(), MONTH_START + n * spacing)
        latencies.append(decision.delay)
        available += decision.fault is None
    latencies.sort()
    assert sum(1 for x in latencies if x < 1.0) / calls >= 0.89
    assert latencies[int(calls * 0.998)] <= 6.0  # the cap, except the exceptional tail
    assert 6.0 <= latencies[-1] <= 9.0  # "up to 6 s and exceptionally more"
    assert 0.975 <= available / calls <= 0.985


def test_the_same_seed_and_calls_give_the_same_faults() -> None:
    profile = PROFILES["chaos"]

    def run() -> list[tuple[float, str | None]]:
        engine = FaultEngine(seed=7)
        decisions = [engine.decide(profile, meta(), MONTH_START + n) for n in range(500)]
        return [(d.delay, d.fault.rule_id if d.fault else None) for d in decisions]

    first = run()
    assert first == run()
    assert any(rule for _, rule in first)
    assert run() != [
        (d.delay, d.fault.rule_id if d.fault else None)
        for d in (FaultEngine(seed=8).decide(profile, meta(), MONTH_START + n) for n in range(500))
    ]


def test_a_client_stream_ignores_other_clients_traffic() -> None:
    profile = PROFILES["chaos"]
    alone = FaultEngine(seed=3)
    solo = [alone.decide(profile, meta("A"), MONTH_START + n) for n in range(300)]
    shared = FaultEngine(seed=3)
    mixed = []
    for n in range(300):
        shared.decide(profile, meta("B"), MONTH_START + n)
        mixed.append(shared.decide(profile, meta("A"), MONTH_START + n))
    assert [d.delay for d in solo] == [d.delay for d in mixed]


def test_a_quota_refuses_beyond_its_rate_and_says_when_to_retry() -> None:
    rule = RateLimitRule(id="q", requests=3, per_seconds=1)
    profile = Profile(name="q", description="q", rules=[rule])
    engine = FaultEngine(seed=1)
    now = MONTH_START
    outcomes = [engine.decide(profile, meta(), now).fault for _ in range(4)]
    assert outcomes[:3] == [None, None, None]
    assert outcomes[3] is not None and outcomes[3].retry_after == 1
    assert engine.decide(profile, meta(), now + 1.0).fault is None
    other_api = engine.decide(profile, meta(api="contrat-usager-v2"), now)
    assert other_api.fault is None


def test_scheduled_windows_start_and_end_on_time() -> None:
    start = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
    rule = OutageRule(id="o", windows=[Window(start=start, end=start + dt.timedelta(hours=1))])
    engine = FaultEngine(seed=1)
    assert not engine.in_outage(rule, start.timestamp() - 1)
    assert engine.in_outage(rule, start.timestamp())
    assert engine.in_outage(rule, start.timestamp() + 3599)
    assert not engine.in_outage(rule, start.timestamp() + 3600)


def test_budget_windows_spend_exactly_the_budget_and_depend_on_the_seed() -> None:
    rule = OutageRule(id="b", budget=0.02, windows_per_period=4)
    february = (2027 - 1970) * 12 + 1
    windows = FaultEngine(seed=5).budget_windows(rule, february)
    assert sum(end - start for start, end in windows) == pytest.approx(0.02 * 28 * 86400)
    start, end = dt.datetime(2027, 2, 1, tzinfo=dt.UTC), dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    assert all(start.timestamp() <= a < b <= end.timestamp() for a, b in windows)
    assert windows == FaultEngine(seed=5).budget_windows(rule, february)
    assert windows != FaultEngine(seed=6).budget_windows(rule, february)


@given(probability=st.floats(0.05, 0.95), seed=st.integers(0, 2**32))
def test_an_error_rule_fires_at_its_probability(probability: float, seed: int) -> None:
    profile = Profile(name="p", description="p", rules=[ErrorRule(id="e", probability=probability)])
    engine = FaultEngine(seed)
    hits = sum(engine.decide(profile, meta(), MONTH_START).fault is not None for _ in range(2000))
    assert abs(hits / 2000 - probability) < 0.05


@given(
    api=st.sampled_from(["rechercher-usager-v2", "contrat-usager-v2", "token"]),
    client=st.sampled_from(["A", "B"]),
)
def test_a_rule_fires_only_on_what_it_matches(api: str, client: str) -> None:
    rule = ErrorRule(id="e", match=Match(apis=["contrat-usager-v2"], clients=["A"]))
    profile = Profile(name="p", description="p", rules=[rule])
    fired = FaultEngine(1).decide(profile, meta(client, api), MONTH_START).fault is not None
    assert fired == (api == "contrat-usager-v2" and client == "A")


def test_every_shipped_profile_loads_and_user_profiles_are_checked(tmp_path: object) -> None:
    assert set(PROFILES) >= {
        "nominal",
        "convention-sla",
        "degraded",
        "outage",
        "rate-limited",
        "maintenance-window",
        "chaos",
    }
    from pathlib import Path

    directory = Path(str(tmp_path))
    (directory / "mine.yaml").write_text(
        "name: mine\ndescription: x\nrules:\n  - {id: e, type: error, status: 418}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match="mine.yaml"):
        load_profiles(directory)
