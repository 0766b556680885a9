"""The core: one canonical model of a branch and a request, and the engine that checks one
against the other. It knows no platform: no field name of Phorest's or PNE's, no document
shape, no error body. Platforms (``booking_rules.platforms``) build its parts and read its
answers.

Layers, each importing only those above it in this list:

- ``model``: the canonical, immutable types (UTC instants only); ``booking_rules._time`` is
  the one place wall time meets UTC.
- ``appointments``, ``index``: an appointment history held column by column, and sorted
  interval indexes searched with ``bisect``.
- ``snapshot``: a branch's data built from canonical parts, indexed once, and overlays of
  it (added, changed and removed appointments) that answer like a rebuilt one.
- ``rule``, ``codes``, ``ruleset``, ``context``, ``report``, ``engine``: what a rule is,
  how a platform names rules, which rules run with which options, what a rule may read,
  what a check answers, and the loop that runs them.

Rules (``booking_rules.rules``) sit on top of the core and below the platforms.
"""
