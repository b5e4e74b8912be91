"""Hypothesis settings of the property tests: bounded for `make test`, long for check-deep.

Applied per test (not loaded globally), so that other suites' hypothesis use is unaffected.
HYPOTHESIS_PROFILE=deep selects the long run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # a real database and S3 round trip per example; timing is the bench's job
    # The fixtures are reset inside each example; their scope is deliberate.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("properties-bounded", max_examples=15, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("properties-deep", max_examples=400, **_COMMON)  # type: ignore[arg-type]

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
PROFILE = settings.get_profile("properties-deep" if DEEP else "properties-bounded")


def scaled(bounded: int) -> settings:
    """The profile with another example count for cheap (parse-level) properties."""
    return settings(PROFILE, max_examples=bounded * 25 if DEEP else bounded)
