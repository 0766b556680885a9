"""Hypothesis profiles for the fuzz suite, chosen by ``HYPOTHESIS_PROFILE`` as in
``tests/property``: ``ci`` (default, a few dozen examples per target, well under a minute)
and ``long`` (2,000 per target, and a time bound per example)::

    HYPOTHESIS_PROFILE=long python -m pytest tests/fuzz -q -p no:cacheprovider

The profiles are the property suite's (``tests/_profiles.py``), so whichever conftest loads
last, both suites run under the same settings.
"""

from __future__ import annotations

from .._profiles import load

PROFILE = load()

# The most one fuzzed invocation may take under ``long`` (a wall-clock bound on a shared
# 2-core machine: a hang or a quadratic blow-up is minutes, a slow example is ~1 s).
TIME_BOUND_S = 10.0 if PROFILE == "long" else None
