"""Small draws the strategies share."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

#: True one time in eight: for the rarer features (archived, add-on only, explicit ends...).
rarely = st.integers(0, 7).map(lambda n: n == 7)


def subset(draw: st.DrawFn, pool: Sequence[str], max_size: int | None = None) -> list[str]:
    """Some distinct members of ``pool`` (at most ``max_size``), possibly none."""
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(pool), unique=True,
                         max_size=len(pool) if max_size is None else max_size))


def maybe(draw: st.DrawFn, pool: Sequence[str]) -> str | None:
    """A member of ``pool``, or None."""
    if not pool:
        return None
    return draw(st.one_of(st.none(), st.sampled_from(pool)))


