"""The Hypothesis profiles the property and fuzz suites share, chosen by
``HYPOTHESIS_PROFILE``: ``ci`` (default, 60 examples per property, no deadline) and
``long`` (2000 examples, longer stateful runs). Each suite's conftest calls ``load()``; a
profile registered twice is the same profile, so either may load first."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def load() -> str:
    """Register both profiles, load the one ``HYPOTHESIS_PROFILE`` names, return its name."""
    settings.register_profile(
        "ci", max_examples=60, deadline=None, stateful_step_count=10, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile(
        "long", settings.get_profile("ci"), max_examples=2000, stateful_step_count=25)
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    settings.load_profile(profile)
    return profile
