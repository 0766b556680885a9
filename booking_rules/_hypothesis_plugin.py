"""The ``hypothesis`` entry point, kept apart from :mod:`booking_rules.testing`.

Hypothesis runs its entry points at the end of ``import hypothesis``. When that import is
itself triggered by ``booking_rules.testing`` (whose modules import hypothesis), the
testing package is still half-initialized; it defines ``_register`` last and calls it, so
the hook has nothing to do. When ``import hypothesis`` comes first, the hook imports the
testing package, which registers ``st.from_type(Scenario)``.
"""

from __future__ import annotations

import sys


def _hypothesis_setup_hook() -> None:
    partial = sys.modules.get("booking_rules.testing")
    if partial is not None and not hasattr(partial, "_register"):
        return  # booking_rules.testing is mid-import and registers itself when done
    from . import testing

    testing._register()
