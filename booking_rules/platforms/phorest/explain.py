"""Phorest, as ``booking_rules.explain`` uses it (:class:`~booking_rules.explain
.ExplainPlatform`): its code table, its error bodies (``errors``), its advice
(``advice``), its snapshots and request bodies (``load``, ``requests``, ``edit``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core import model as m
from ...core.codes import CodeTable
from ...core.context import Item
from ...core.snapshot import Snapshot
from ...explain.platform import Advice, Remedy, RequestEditor, Response, Situation
from . import advice, edit, errors
from .codes import TABLE
from .load import load_snapshot
from .requests import parse_request


@dataclass(frozen=True)
class PhorestExplain:
    table: CodeTable = TABLE
    rule_status: int = 400  # Phorest sends its booking codes with HTTP 400
    categories: Mapping[str, str] = field(default_factory=lambda: dict(errors.CATEGORIES))

    def load_snapshot(self, source: str | Path | Mapping[str, Any]) -> Snapshot:
        return load_snapshot(source)

    def parse_request(self, request: object, snapshot: Snapshot) -> m.Request:
        return parse_request(request, snapshot)

    def parse_response(self, error: str | bytes | Mapping[str, Any] | None,
                       status: int | None) -> Response:
        return errors.parse_response(error, status)

    def advise(self, response: Response, situation: Situation) -> Advice | None:
        return advice.advise(response, situation)

    def rule_remedies(self, rule: str, situation: Situation, item: Item) -> list[Remedy]:
        return advice.rule_remedies(rule, situation, item)

    def editor(self, request: object, canonical: m.Request, snapshot: Snapshot
               ) -> RequestEditor | None:
        return edit.editor(request, canonical, snapshot)


EXPLAIN = PhorestExplain()
