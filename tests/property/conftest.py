"""Hypothesis settings profiles for the property suite, chosen by ``HYPOTHESIS_PROFILE``.

* ``ci`` (default): the whole property suite in well under a minute on two cores.
* ``long``: 2000 examples per property (heavier properties take a share, see ``scaled``),
  longer stateful runs; for a night run or before a release::

      HYPOTHESIS_PROFILE=long python -m pytest tests/property -q -p no:cacheprovider
"""

from __future__ import annotations

from hypothesis import settings

from .._profiles import load

PROFILE = load()


def scaled(share: float, floor: int = 10) -> int:
    """``share`` of the profile's examples, for a property whose example costs more."""
    return max(floor, int(settings.default.max_examples * share))
