"""``booking-rules sync`` and ``booking-rules cache status`` (booking_rules.sync.cli)."""

from __future__ import annotations

from typing import Any

from ._common import command


def add_arguments(subparsers: Any) -> None:
    from ..sync.cli import add_arguments as add

    add(subparsers, command)
