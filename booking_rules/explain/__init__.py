"""Explain a platform's refusal after the fact, and offer what would pass instead.

    ex = explain(response_body, request, snapshot, platform=PLATFORM, ruleset="phorest",
                 status=400, now=now)
    ex.diagnosis, ex.explanation, ex.evidence, ex.remedies, ex.alternatives
    ex.to_text(), ex.to_json()
    explain_corpus("errors/", platform=PLATFORM, ruleset="phorest").to_text()

``booking_rules.explain`` and ``booking_rules.explain_corpus`` are the same with the
platform chosen by name (``"phorest"``); docs/explain.md is the guide.

How it is built (each module holds one concern; none imports ``booking_rules.platforms``):

- ``platform``: the seam. What explain needs of a platform (:class:`ExplainPlatform`:
  its code table, reading its answers, its advice, reading and editing its requests) and
  what it hands the platform's advice (:class:`Situation`, :class:`Advice`). Phorest's
  side is ``booking_rules.platforms.phorest.explain``.
- ``case``: the request checked against the snapshot by the engine (never a second reading
  of the rules), read once, and the wording the parts share (lead, dates, the snapshot's
  age).
- ``diagnose``: :func:`explain`: the diagnosis of the answer against that check
  (``confirmed``, ``not-reproduced``, ``other-code``, ``undecided`` for a code the API
  answers; the platform's advice, ``unmodelled`` or a bare answer otherwise).
- ``needs``: per rule (by neutral name), what the platform must have seen for the rule to
  fire when the snapshot says it should not have.
- ``alternatives``: requests that pass instead, along the axes the rules involved declare
  (``Rule.alternatives``), each verified by the check before it is offered.
- ``corpus``: :func:`explain_corpus`, a folder of logged errors scored as a confusion
  table.
- ``explanation``: the :class:`Explanation` returned; ``words``: small wording helpers.
"""

from __future__ import annotations

from .alternatives import AXES, PER_AXIS
from .corpus import CorpusEntry, CorpusReport, explain_corpus, load_error
from .diagnose import explain
from .explanation import DIAGNOSES, Explanation
from .platform import Advice, ExplainPlatform, RequestEditor, Response, Situation

__all__ = [
    "AXES",
    "DIAGNOSES",
    "PER_AXIS",
    "Advice",
    "CorpusEntry",
    "CorpusReport",
    "ExplainPlatform",
    "Explanation",
    "RequestEditor",
    "Response",
    "Situation",
    "explain",
    "explain_corpus",
    "load_error",
]
