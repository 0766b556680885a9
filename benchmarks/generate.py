"""A seeded synthetic Phorest branch for the benchmarks: the snapshot document of
``cases/FORMAT.md``, at any size.

    python benchmarks/generate.py --size 100k            # -> benchmarks/.cache/...json
    python benchmarks/generate.py --size 2k --out /tmp/branch.json --seed 3

The branch is a large Toronto salon (America/Toronto): 50 active staff (hair stylists,
beauty therapists, nail technicians; seniors and juniors with different qualifications,
``userDurations``, a few hidden from online booking) plus 2 archived former stylists;
25 services (processing services with ``gapTime``/``finishDuration``, services that need
rooms and machines, an add-on, online-disabled ones); 8 rooms with capacities; 4 machines
with quantities; 6 special offers (date ranges, weekday windows, concurrency and per-day
limits, excluded staff); 4 courses and 750 client courses; 30,000 clients, chosen with a
skew so regulars come back.

Appointments are laid out day by day, staff by staff, the way a real book fills up: back to
back or with quarter-hour gaps inside each shift (minus lunch and breaks), never double
booking a staff member, a client, a room past its capacity, a machine past its quantity or
an offer past its limits. Density is ``per_day`` appointments a day on average (400: ~42
working staff x ~9.5; quieter on Sundays and in holiday weeks), so N appointments span
about ``N / per_day`` days (1M is ~6.7 years). About 93% are ``ACTIVE``, ~5% ``CANCELED``,
~2% ``deleted`` and a few ``RESERVED`` (3% of the bookings ahead of ``now``); a cancelled
or deleted row shares its time with the booking that replaced it. Colour services write a
separate finish row (``isFinishAppointment``) after their gap. Multi-service bookings share
a ``bookingId``. Course sessions follow each client course's own spacing.

**Every size is the tail of the same history.** Each day is generated from (seed, date)
alone, backwards from ``LAST_DAY`` (2026-12-31); N appointments are the last N of that
history. So 10k, 100k and 1M hold the very same recent days, and the benchmark checks the
very same requests against each: only the amount of history differs.

**Rosters and breaks cover only the last ``roster_days`` days (60 by default)**, the days
the benchmark checks and searches; older days have appointments but no ``workTimeTables``
or ``breaks`` (a real cache fetches rosters a month at a time, for the days it books).
``now`` is 07:00 local, 21 days before the last day (or on the first day, for a history
shorter than that); ``coverage`` declares the whole history (first to last day) with
``fetchedAt`` = ``now``.

Appointment times are written as Phorest reads them: ``appointmentDate`` + ``HH:mm:ss``
branch-local wall clock, with ``conventions.appointmentTimes = "local"``.

Deterministic for a seed: the same (N, seed, per_day, roster_days) gives the same bytes.
A sidecar ``<file>.meta.json`` records what the benchmark needs (``now``, the rostered
days, the ids of a few services) and the counts per activation state.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sys
import time as _time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

GENERATOR_VERSION = 2
ZONE_NAME = "America/Toronto"
ZONE = ZoneInfo(ZONE_NAME)
LAST_DAY = date(2026, 12, 31)  # the last day of every history
PER_DAY = 400
ROSTER_DAYS = 60
DEFAULT_SEED = 20261
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"

__all__ = ["DEFAULT_CACHE", "SIZES", "ensure", "generate", "parse_size", "write"]


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    t = text.strip()
    mult = 1
    if t[-1:] in ("k", "K"):
        mult, t = 1_000, t[:-1]
    elif t[-1:] in ("m", "M"):
        mult, t = 1_000_000, t[:-1]
    value = float(t) * mult
    if value < 1 or value != int(value):
        raise ValueError(f"a positive whole number of appointments (10k, 1M, 2500), got {text!r}")
    return int(value)


def size_label(n: int) -> str:
    """1000000 -> ``1M``, 100000 -> ``100k``, 2500 -> ``2500``."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# --- the catalogue ---------------------------------------------------------------------

# key, name, category, minutes, price, extras
_SERVICES: list[tuple[str, str, str, int, float, dict[str, Any]]] = [
    ("cut", "Cut & Blow-dry", "hair", 45, 60.0, {}),
    ("mens_cut", "Men's Cut", "hair", 30, 35.0, {}),
    ("kids_cut", "Kids Cut", "hair", 30, 25.0, {}),
    ("blowdry", "Blow-dry", "hair", 30, 35.0, {}),
    ("colour", "Full Head Colour", "hair", 60, 95.0, {"gapTime": 30, "finishDuration": 30}),
    ("roots", "Root Colour", "hair", 45, 70.0, {"gapTime": 20, "finishDuration": 15}),
    ("highlights", "Highlights", "hair", 90, 140.0, {}),
    ("balayage", "Balayage", "hair", 120, 190.0, {"internetEnabled": False}),
    ("toner", "Toner", "hair", 30, 30.0, {}),
    ("treatment", "Deep Conditioning", "hair", 15, 20.0, {"isAddonOnly": True}),
    ("beard", "Beard Trim", "hair", 15, 15.0, {}),
    ("updo", "Bridal Updo", "hair", 60, 85.0, {"internetEnabled": False}),
    ("facial", "Hydrating Facial", "beauty", 60, 80.0, {"rooms": ["t1", "t2", "suite"]}),
    ("express_facial", "Express Facial", "beauty", 30, 45.0, {"rooms": ["t1", "t2", "suite"]}),
    ("hydrafacial", "HydraFacial", "beauty", 60, 150.0,
     {"rooms": ["suite"], "machines": ["hydra"]}),
    ("massage", "Swedish Massage", "beauty", 60, 90.0, {"rooms": ["t1", "t2", "t3"]}),
    ("laser_s", "Laser Hair Removal (small)", "beauty", 30, 120.0,
     {"rooms": ["laser"], "machines": ["diode"], "internetEnabled": False}),
    ("laser_l", "Laser Hair Removal (large)", "beauty", 60, 220.0,
     {"rooms": ["laser"], "machines": ["diode"], "internetEnabled": False}),
    ("ipl", "IPL Photofacial", "beauty", 45, 160.0, {"rooms": ["laser", "t3"],
                                                      "machines": ["ipl"]}),
    ("brows", "Brow Shape", "beauty", 20, 25.0, {}),
    ("wax", "Leg Wax", "beauty", 30, 40.0, {"rooms": ["wax", "t3"]}),
    ("manicure", "Manicure", "nails", 45, 40.0, {"rooms": ["nailbar"]}),
    ("gel", "Gel Manicure", "nails", 60, 55.0, {"rooms": ["nailbar"]}),
    ("pedicure", "Pedicure", "nails", 60, 60.0, {"rooms": ["pedi"]}),
    ("consult", "Consultation", "all", 15, 0.0, {}),
]
# How often each service is booked, by the role of the staff member.
_WEIGHTS: dict[str, dict[str, int]] = {
    "hair": {"cut": 30, "mens_cut": 14, "kids_cut": 5, "blowdry": 18, "colour": 8, "roots": 7,
             "highlights": 3, "balayage": 1, "toner": 5, "treatment": 4, "beard": 5,
             "updo": 1, "consult": 3},
    "beauty": {"facial": 10, "express_facial": 10, "hydrafacial": 4, "massage": 10,
               "laser_s": 6, "laser_l": 3, "ipl": 4, "brows": 20, "wax": 12, "consult": 3},
    "nails": {"manicure": 40, "gel": 30, "pedicure": 25, "consult": 3},
}
_ROOMS = [("t1", "Treatment 1", 1), ("t2", "Treatment 2", 1), ("t3", "Treatment 3", 1),
          ("suite", "Facial Suite", 2), ("laser", "Laser Room", 2), ("wax", "Wax Room", 1),
          ("nailbar", "Nail Bar", 6), ("pedi", "Pedicure Spa", 3)]
_MACHINES = [("diode", "Diode Laser", 2), ("ipl", "IPL", 1), ("hydra", "HydraFacial", 1),
             ("led", "LED Panel", 1)]
_FIRST = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Lucas", "Mia", "Ethan", "Chloe", "Leo",
          "Zoe", "Amir", "Priya", "Wei", "Sofia", "Mateo", "Aisha", "Hana", "Omar", "Nora",
          "Ines", "Jonah", "Maya", "Ravi", "Elena", "Kofi", "Yara", "Tariq", "Lena", "Sam"]
_LAST = ["Tremblay", "Roy", "Gagnon", "Smith", "Brown", "Wilson", "Martin", "Lee", "Patel",
         "Nguyen", "Singh", "Chen", "Wong", "Campbell", "Kowalski", "Okafor", "Moreau",
         "Silva", "Haddad", "Murphy", "Kaur", "Li", "Ali", "Khan", "Novak", "Rossi"]
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


# --- helpers ---------------------------------------------------------------------------


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _utc_z(day: date, minutes: int) -> str:
    wall = datetime.combine(day, time(0)) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=ZONE).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _overlaps(lst: list[tuple[int, int]], s: int, e: int) -> int:
    return sum(1 for a, b in lst if a < e and s < b)


@dataclass
class _Staff:
    index: int
    id: str
    user_id: str
    role: str
    first: str
    last: str
    disqualified: list[str] = field(default_factory=list)  # service keys
    archived: bool = False
    hidden: bool = False
    off_days: tuple[int, ...] = ()
    vacations: list[tuple[date, date]] = field(default_factory=list)
    services: list[str] = field(default_factory=list)  # bookable service keys
    weights: list[int] = field(default_factory=list)


@dataclass
class _ClientCourse:
    id: str
    item_id: str
    client: int
    course: str
    service: str
    purchase: date
    expiry: date
    units: int
    sessions: list[date] = field(default_factory=list)  # the planned session days
    archived: bool = False


NCLIENTS = 30_000
NCOURSES = 750
NOW_BEFORE_END = 21  # days between now and the last day of history
_ORIGIN = LAST_DAY - timedelta(days=4000)  # vacations and course purchases start here


def _new_id(rng: random.Random) -> str:
    """A 22-character id like Phorest's (base64url of 128 random bits)."""
    raw = rng.getrandbits(128).to_bytes(16, "big")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class _Gen:
    """The branch (from the seed alone) and its days (each from the seed and its date)."""

    def __init__(self, seed: int, per_day: int, roster_days: int) -> None:
        self.seed, self.per_day, self.roster_days = seed, per_day, roster_days
        rng = random.Random(f"{seed}:catalog")
        self.branch_id = _new_id(rng)
        self.roster_first = LAST_DAY - timedelta(days=roster_days - 1)
        self.now_day = LAST_DAY - timedelta(days=NOW_BEFORE_END)

        self.service_ids = {key: _new_id(rng) for key, *_ in _SERVICES}
        self.service = {key: (name, cat, mins, price, extra)
                        for key, name, cat, mins, price, extra in _SERVICES}
        self.room_ids = {key: _new_id(rng) for key, _, _ in _ROOMS}
        self.room_cap = {key: cap for key, _, cap in _ROOMS}
        self.machine_ids = {key: _new_id(rng) for key, _, _ in _MACHINES}
        self.machine_qty = {key: q for key, _, q in _MACHINES}

        # Staff: 30 hair (0-7 senior, 22-29 junior), 14 beauty, 6 nails, 2 archived stylists.
        self.staff: list[_Staff] = []
        for i in range(52):
            role = "hair" if i < 30 or i >= 50 else ("beauty" if i < 44 else "nails")
            st = _Staff(i, _new_id(rng), _new_id(rng), role, rng.choice(_FIRST),
                        rng.choice(_LAST))
            st.archived = i >= 50
            st.hidden = i in (7, 21, 43)
            st.off_days = (i % 7,) if i % 10 else (i % 7, (i + 3) % 7)
            bookable = set(_WEIGHTS[role])
            st.disqualified = [k for k, *_ in _SERVICES if k not in bookable and k != "consult"]
            if role == "hair" and 22 <= i < 30:  # juniors
                st.disqualified += ["balayage", "highlights", "updo"]
            st.services = [k for k in _WEIGHTS[role] if k not in st.disqualified
                           and k != "treatment"]
            st.weights = [_WEIGHTS[role][k] for k in st.services]
            self.staff.append(st)
        # Service-side disqualifications (the other mechanism): no laser for 38-43.
        self.service_disq: dict[str, list[int]] = {"laser_s": [38, 39, 40, 41, 42, 43],
                                                   "laser_l": [38, 39, 40, 41, 42, 43],
                                                   "ipl": [42, 43], "balayage": [20, 21]}
        for key, idxs in self.service_disq.items():
            for i in idxs:
                st = self.staff[i]
                if key in st.services:
                    j = st.services.index(key)
                    del st.services[j]
                    del st.weights[j]
        # Vacations: a week or two, about every four months.
        for st in self.staff:
            d = _ORIGIN + timedelta(days=rng.randrange(0, 120))
            while d < LAST_DAY + timedelta(days=30):
                length = rng.choice((5, 7, 7, 10, 14))
                st.vacations.append((d, d + timedelta(days=length - 1)))
                d += timedelta(days=length + rng.randrange(80, 160))
        self.user_durations = {"cut": {0: 60, 1: 60, 2: 60, 3: 60, 26: 60, 27: 60},
                               "blowdry": {22: 45, 23: 45, 24: 45, 25: 45},
                               "colour": {0: 45, 1: 45}}
        self.client_ids = [_new_id(rng) for _ in range(NCLIENTS)]

        # Special offers (ASSUMED shapes, RULES.md §4).
        far, ahead = _ORIGIN, LAST_DAY + timedelta(days=60)
        self.offers = [
            self._offer(rng, "Weekday Morning Cut", ["cut", "mens_cut"], far, ahead,
                        [(range(0, 5), 9 * 60, 12 * 60)], 3, 8, [0, 1, 2]),
            self._offer(rng, "Tuesday Colour", ["colour", "roots"], far, ahead,
                        [(range(1, 2), 9 * 60, 21 * 60)], 2, 5, []),
            self._offer(rng, "Facial of the Month", ["facial", "express_facial"],
                        LAST_DAY - timedelta(days=90), ahead, [], None, 6, [33]),
            self._offer(rng, "Student Nails", ["manicure", "gel"], far, ahead,
                        [(range(0, 4), 14 * 60, 17 * 60)], 2, 6, []),
            self._offer(rng, "Laser Intro", ["laser_s"], far,
                        LAST_DAY - timedelta(days=1200), [], 1, 3, []),
            self._offer(rng, "Summer Blow-dry", ["blowdry"], LAST_DAY - timedelta(days=260),
                        LAST_DAY - timedelta(days=170), [(range(0, 7), 9 * 60, 21 * 60)],
                        None, 10, []),
        ]
        # Courses and client courses, each with its planned session days.
        self.courses = [("Laser x6", "laser_s", 6, 28, 56), ("Facial x5", "facial", 5, 14, 42),
                        ("Massage x10", "massage", 10, 7, None),
                        ("Blow-dry x10", "blowdry", 10, None, None)]
        self.course_ids = [_new_id(rng) for _ in self.courses]
        self.client_courses: list[_ClientCourse] = []
        self.sessions_on: dict[date, list[_ClientCourse]] = {}
        span = (LAST_DAY - timedelta(days=10) - _ORIGIN).days
        for _ in range(NCOURSES):
            ci = rng.randrange(len(self.courses))
            _name, skey, units, mn, mx = self.courses[ci]
            purchase = _ORIGIN + timedelta(days=rng.randrange(span))
            cc = _ClientCourse(_new_id(rng), _new_id(rng), self.pick_client_index(rng),
                               self.course_ids[ci], skey, purchase,
                               purchase + timedelta(days=365), units,
                               archived=rng.random() < 0.03)
            d = purchase + timedelta(days=rng.randrange(0, 14))
            while len(cc.sessions) < units and d <= min(cc.expiry, LAST_DAY):
                cc.sessions.append(d)
                self.sessions_on.setdefault(d, []).append(cc)
                d += timedelta(days=rng.randint(mn or 7, mx or 60))
            self.client_courses.append(cc)
        # Each day's share of the density: in proportion to its staff-minutes.
        year = [self.capacity(LAST_DAY - timedelta(days=k)) for k in range(364)]
        self.mean_capacity = sum(year) / len(year) or 1.0
        self.roster: dict[int, list[dict[str, Any]]] = {st.index: [] for st in self.staff}
        self.breaks: list[dict[str, Any]] = []

    def pick_client_index(self, rng: random.Random) -> int:
        return min(NCLIENTS - 1, int(NCLIENTS * rng.random() ** 1.3))

    def _offer(self, rng: random.Random, name: str, services: list[str], start: date,
               end: date, windows: list[tuple[range, int, int]], max_conc: int | None,
               max_day: int | None, excluded: list[int]) -> dict[str, Any]:
        return {"id": _new_id(rng), "name": name, "services": services, "start": start,
                "end": end, "windows": windows, "max_conc": max_conc, "max_day": max_day,
                "excluded": excluded}

    # the day plan -------------------------------------------------------------------------

    def shift(self, st: _Staff, day: date) -> list[tuple[int, int, int | None, int | None]]:
        """The staff member's WORKING slots that day: (start, end, off_start, off_end)."""
        if st.archived and day >= LAST_DAY - timedelta(days=260):
            return []
        wd = day.weekday()
        if wd in st.off_days or any(a <= day <= b for a, b in st.vacations):
            return []
        h = (st.index * 7919 + day.toordinal() * 104729) % 1000
        if wd == 6:
            return [(10 * 60, 17 * 60, 13 * 60, 13 * 60 + 30)]
        if wd == 5:
            return [(9 * 60, 18 * 60, 13 * 60, 13 * 60 + 30)]
        if h < 50:  # a split shift
            return [(9 * 60, 13 * 60, None, None), (14 * 60, 18 * 60, None, None)]
        if (st.index + wd) % 3 == 0:
            return [(12 * 60 + 30, 21 * 60, 16 * 60 + 30, 17 * 60)]
        return [(9 * 60, 17 * 60 + 30, 13 * 60, 13 * 60 + 30)]

    def capacity(self, day: date) -> int:
        """Staff-minutes on the roster that day (lunch excluded)."""
        total = 0
        for st in self.staff:
            for s, e, os_, oe in self.shift(st, day):
                total += e - s - (oe - os_ if os_ is not None and oe is not None else 0)
        return total

    def history(self, n: int) -> list[dict[str, Any]]:
        """The last ``n`` appointments of the history, in date order."""
        days: list[list[dict[str, Any]]] = []
        total = 0
        day = LAST_DAY
        while total < n:
            rows = self.day(day)
            days.append(rows)
            total += len(rows)
            day -= timedelta(days=1)
            if day < _ORIGIN - timedelta(days=20000):
                raise RuntimeError("no appointments: is per_day 0?")
        days[-1] = days[-1][total - n:]  # the earliest day keeps its latest rows
        return [row for rows in reversed(days) for row in rows]

    def day(self, day: date) -> list[dict[str, Any]]:
        rng = random.Random(f"{self.seed}:{day.isoformat()}")
        quota = round(self.per_day * self.capacity(day) / self.mean_capacity)
        in_roster = day >= self.roster_first
        future = day >= self.now_day
        rooms: dict[str, list[tuple[int, int]]] = {k: [] for k in self.room_ids}
        machines: dict[str, list[tuple[int, int]]] = {k: [] for k in self.machine_ids}
        clients: dict[int, list[tuple[int, int, str]]] = {}
        offer_day: dict[int, list[tuple[int, int]]] = {}
        due: dict[str, list[_ClientCourse]] = {}
        for cc in self.sessions_on.get(day, ()):
            if not cc.archived:
                due.setdefault(cc.service, []).append(cc)
        segments: dict[int, list[list[int]]] = {}
        order = []
        for st in self.staff:
            slots = self.shift(st, day)
            if in_roster:
                self._roster(st, day, slots)
            if not slots:
                continue
            segs: list[list[int]] = []
            for s, e, os_, oe in slots:
                if os_ is not None and oe is not None:
                    segs += [[s, os_], [oe, e]]
                else:
                    segs.append([s, e])
            if in_roster and rng.random() < 0.08:  # a staff break: training, meeting
                bs = rng.choice(segs)
                if bs[1] - bs[0] >= 120:
                    b0 = bs[0] + 15 * rng.randrange(1, (bs[1] - bs[0] - 60) // 15)
                    b1 = b0 + rng.choice((30, 45, 60))
                    self._break(rng, day, b0, b1, rng.choice(("Training", "Team meeting",
                                                              "Product demo")), staff=st.id)
                    i = segs.index(bs)
                    segs[i:i + 1] = [[bs[0], b0], [b1, bs[1]]]
            segments[st.index] = segs
            order.append(st)
        if in_roster:
            if rng.random() < 0.5:  # a room closed for a deep clean
                rk = rng.choice(("t1", "t2", "t3", "wax"))
                self._break(rng, day, 14 * 60, 14 * 60 + 30, "Deep clean",
                            room=self.room_ids[rk])
                rooms[rk] += [(14 * 60, 14 * 60 + 30)] * self.room_cap[rk]
            if day.weekday() == 0:  # weekly laser maintenance, before opening
                self._break(rng, day, 8 * 60, 9 * 60 + 30, "Maintenance",
                            machine=self.machine_ids["diode"])
                machines["diode"] += [(8 * 60, 9 * 60 + 30)] * self.machine_qty["diode"]
        rng.shuffle(order)
        cursor = {st.index: (0, segments[st.index][0][0]) for st in order}
        follow: dict[int, tuple[int, str, str]] = {}  # staff -> (client, bookingId, svc)
        out: list[dict[str, Any]] = []
        active = list(order)
        ctx = _Day(rng, day, future, rooms, machines, clients, offer_day, due)
        while len(out) < quota and active:
            still = []
            for st in active:
                if len(out) >= quota:
                    still.append(st)
                    continue
                rows = self.place(ctx, st, segments[st.index], cursor, follow,
                                  quota - len(out))
                if rows is None:
                    continue
                out += rows
                still.append(st)
            active = still
        out.sort(key=lambda r: r["startTime"])
        return out

    def place(self, ctx: _Day, st: _Staff, segs: list[list[int]],
              cursor: dict[int, tuple[int, int]], follow: dict[int, tuple[int, str, str]],
              left: int) -> list[dict[str, Any]] | None:
        """One booking for ``st`` at its cursor (1 row, 2 with a finish row, +1 ghost), or
        None when the staff member's day is full."""
        rng = ctx.rng
        seg_i, at = cursor[st.index]
        cont = follow.pop(st.index, None)
        for attempt in range(4):
            if cont is not None and attempt == 0:
                gap = 0
                choices = [k for k in st.services if k != cont[2]]
                key = rng.choices(choices, [st.weights[st.services.index(k)]
                                            for k in choices])[0]
                if rng.random() < 0.3 and "treatment" in _WEIGHTS[st.role]:
                    key = "treatment"
            else:
                gap = rng.choices((0, 15, 30, 45), (55, 30, 10, 5))[0]
                key = rng.choices(st.services, st.weights)[0]
                if attempt >= 2:
                    gap = 0
                    key = min(st.services, key=lambda k: self.service[k][2])
            _, _, minutes, price, extra = self.service[key]
            minutes = self.user_durations.get(key, {}).get(st.index, minutes)
            fin = extra.get("finishDuration", 0)
            gap_t = extra.get("gapTime", 0)
            whole = minutes + (gap_t + fin if fin else 0)
            i, s = seg_i, at + gap
            while i < len(segs):
                s = max(s, segs[i][0])
                if s + whole <= segs[i][1]:
                    break
                i += 1
                if i < len(segs):
                    s = segs[i][0] + gap
            if i >= len(segs):
                continue
            e = s + minutes
            span_end = s + whole
            room = machine = None
            if extra.get("rooms"):
                free = [r for r in extra["rooms"]
                        if _overlaps(ctx.rooms[r], s, span_end) < self.room_cap[r]]
                if not free:
                    continue
                room = free[0]
            if extra.get("machines"):
                free = [x for x in extra["machines"]
                        if _overlaps(ctx.machines[x], s, span_end) < self.machine_qty[x]]
                if not free:
                    continue
                machine = free[0]
            # The client: the same one for a follow-on service, a course session due today,
            # else a free one.
            client: int | None = None
            booking = None
            course: _ClientCourse | None = None
            if cont is not None and attempt == 0:
                client, booking = cont[0], cont[1]
                if not ctx.client_free(client, s, span_end, key):
                    client = None
            if client is None and ctx.due.get(key):
                cc = ctx.due[key][-1]
                if ctx.client_free(cc.client, s, span_end, key):
                    course, client = ctx.due[key].pop(), cc.client
            if client is None:
                for _ in range(4):
                    c = self.pick_client_index(rng)
                    if ctx.client_free(c, s, span_end, key):
                        client = c
                        break
            if client is None:
                continue
            # Commit.
            cursor[st.index] = (i, span_end)
            ctx.clients.setdefault(client, []).append((s, span_end, key))
            if room:
                ctx.rooms[room].append((s, span_end))
            if machine:
                ctx.machines[machine].append((s, span_end))
            offer = self._offer_for(ctx, key, st, s, span_end)
            booking = booking or _new_id(rng)
            if rng.random() < 0.12 and left > 2:
                follow[st.index] = (client, booking, key)
            rows = []
            if rng.random() < 0.08 and left > 1:  # a cancelled/deleted row it replaced
                rows.append(self.row(ctx, s, e, st, key, price, self.pick_client_index(rng),
                                     None, None, None, None, _new_id(rng), ghost=True))
            rows.append(self.row(ctx, s, e, st, key, price, client, room, machine, offer,
                                 course, booking))
            if fin and len(rows) < left:
                fs = e + gap_t
                rows.append(self.row(ctx, fs, fs + fin, st, key, 0.0, client, room, machine,
                                     None, None, booking, finish=True))
            return rows[:left]
        return None

    def _offer_for(self, ctx: _Day, key: str, st: _Staff, s: int, e: int) -> str | None:
        if ctx.rng.random() >= 0.35:
            return None
        day = ctx.day
        for i, o in enumerate(self.offers):
            if key not in o["services"] or not (o["start"] <= day <= o["end"]):
                continue
            if st.index in o["excluded"]:
                continue
            if o["windows"] and not any(day.weekday() in w and a <= s < b
                                        for w, a, b in o["windows"]):
                continue
            taken = ctx.offer_day.setdefault(i, [])
            if o["max_day"] is not None and len(taken) >= o["max_day"]:
                continue
            if o["max_conc"] is not None and _overlaps(taken, s, e) >= o["max_conc"]:
                continue
            taken.append((s, e))
            return str(o["id"])
        return None

    def row(self, ctx: _Day, s: int, e: int, st: _Staff, key: str, price: float,
            client: int, room: str | None, machine: str | None, offer: str | None,
            course: _ClientCourse | None, booking: str, *,
            ghost: bool = False, finish: bool = False) -> dict[str, Any]:
        rng, day, future = ctx.rng, ctx.day, ctx.future
        state = "ACTIVE"
        deleted = False
        if ghost:
            if rng.random() < 0.25:
                deleted = True
                state = rng.choice(("ACTIVE", "CANCELED"))
            else:
                state = "CANCELED"
        elif rng.random() < (0.03 if future else 0.002):
            state = "RESERVED"
        created = rng.randrange(1, 40)
        out: dict[str, Any] = {
            "appointmentId": _new_id(rng),
            "version": rng.randrange(1, 6),
            "branchId": self.branch_id,
            "appointmentDate": day.isoformat(),
            "startTime": _hhmm(s),
            "endTime": _hhmm(e % (24 * 60)),
            "clientId": self.client_ids[client],
            "staffId": st.id,
            "serviceId": self.service_ids[key],
            "price": price,
            "confirmed": rng.random() < 0.8,
            "state": "BOOKED" if future or ghost else rng.choice(("PAID",) * 17 + (
                "BOOKED", "BOOKED", "CHECKED_IN")),
            "activationState": state,
            "deleted": deleted,
            "staffRequest": rng.random() < 0.3,
            "preferredStaff": rng.random() < 0.2,
            "bookingId": booking,
            "source": rng.choices(("SALON", "ONLINE", "API"), (60, 25, 15))[0],
            "isFinishAppointment": finish,
            "createdAt": _utc_z(day - timedelta(days=created), 9 * 60 + rng.randrange(600)),
            "updatedAt": _utc_z(day - timedelta(days=rng.randrange(0, created)),
                                9 * 60 + rng.randrange(600)),
        }
        if room:
            out["roomId"] = self.room_ids[room]
        if machine:
            out["machineId"] = self.machine_ids[machine]
        if offer:
            out["specialOfferId"] = offer
        if course is not None:
            out["clientCourseItemId"] = course.item_id
        return out

    def _roster(self, st: _Staff, day: date,
                slots: list[tuple[int, int, int | None, int | None]]) -> None:
        if st.archived:
            return
        if not slots:
            self.roster[st.index].append({"date": day.isoformat(), "startTime": "00:00:00",
                                          "endTime": "00:00:00", "type": "NON_WORKING"})
            return
        for s, e, os_, oe in slots:
            slot = {"date": day.isoformat(), "startTime": _hhmm(s), "endTime": _hhmm(e),
                    "type": "WORKING"}
            if os_ is not None and oe is not None:
                slot["timeOffStartTime"] = _hhmm(os_)
                slot["timeOffEndTime"] = _hhmm(oe)
            self.roster[st.index].append(slot)

    def _break(self, rng: random.Random, day: date, s: int, e: int, label: str, *,
               staff: str | None = None, room: str | None = None,
               machine: str | None = None) -> None:
        b: dict[str, Any] = {"breakId": _new_id(rng), "breakDate": day.isoformat(),
                             "startTime": _hhmm(s), "endTime": _hhmm(e), "label": label}
        if staff:
            b["staffId"] = staff
        if room:
            b["roomId"] = room
        if machine:
            b["machineId"] = machine
        self.breaks.append(b)

    # the document ---------------------------------------------------------------------

    def document(self, appointments: list[dict[str, Any]]) -> dict[str, Any]:
        first_day = date.fromisoformat(appointments[0]["appointmentDate"])
        now_day = max(self.now_day, first_day)
        now = datetime.combine(now_day, time(7, 0), ZONE).astimezone(UTC)
        sid = self.service_ids
        services = []
        for key, name, _cat, minutes, price, extra in _SERVICES:
            item: dict[str, Any] = {
                "serviceId": sid[key], "name": name, "duration": minutes, "price": price,
                "internetEnabled": extra.get("internetEnabled", True), "archived": False,
                "isAddonOnly": extra.get("isAddonOnly", False),
            }
            if key in self.user_durations:
                item["userDurations"] = [
                    {"userRef": self.staff[i].user_id, "duration": d}
                    for i, d in self.user_durations[key].items()]
            if key in self.service_disq:
                item["disqualifiedStaff"] = [self.staff[i].id for i in self.service_disq[key]]
            if extra.get("rooms"):
                item["roomIds"] = [self.room_ids[r] for r in extra["rooms"]]
            if extra.get("machines"):
                item["machineIds"] = [self.machine_ids[x] for x in extra["machines"]]
            if extra.get("finishDuration"):
                item["finishDuration"] = extra["finishDuration"]
                item["gapTime"] = extra["gapTime"]
            services.append(item)
        offers = []
        for o in self.offers:
            item = {"specialOfferId": o["id"], "name": o["name"],
                    "serviceIds": [sid[k] for k in o["services"]],
                    "startDate": o["start"].isoformat(), "endDate": o["end"].isoformat(),
                    "allowedTimes": [{"days": [_WEEKDAYS[d] for d in w],
                                      "startTime": _hhmm(a), "endTime": _hhmm(b)}
                                     for w, a, b in o["windows"]],
                    "excludedStaffIds": [self.staff[i].id for i in o["excluded"]]}
            if o["max_conc"] is not None:
                item["maxConcurrent"] = o["max_conc"]
            if o["max_day"] is not None:
                item["maxPerDay"] = o["max_day"]
            offers.append(item)
        client_courses = [{
            "clientCourseId": cc.id, "clientId": self.client_ids[cc.client],
            "courseId": cc.course, "purchaseDate": cc.purchase.isoformat(),
            "expiryDate": cc.expiry.isoformat(), "archived": cc.archived,
            "clientCourseItems": [{"clientCourseItemId": cc.item_id,
                                   "serviceId": sid[cc.service], "initialUnits": cc.units,
                                   "remainingUnits": cc.units - len(cc.sessions)}],
        } for cc in self.client_courses]
        crng = random.Random(f"{self.seed}:names")
        clients = [{"clientId": cid, "firstName": crng.choice(_FIRST),
                    "lastName": crng.choice(_LAST),
                    "mobile": f"1416{crng.randrange(10**7):07d}",
                    "email": f"client{i}@example.com"}
                   for i, cid in enumerate(self.client_ids)]
        for slots in self.roster.values():
            slots.sort(key=lambda slot: (slot["date"], slot["startTime"]))
        self.breaks.sort(key=lambda b: (b["breakDate"], b["startTime"]))
        return {
            "conventions": {"appointmentTimes": "local"},
            "branch": {"branchId": self.branch_id, "name": "Yonge & Bloor",
                       "timeZone": ZONE_NAME},
            "coverage": {"from": first_day.isoformat(), "to": LAST_DAY.isoformat(),
                         "fetchedAt": now.strftime("%Y-%m-%dT%H:%M:%SZ")},
            "staff": [{"staffId": st.id, "userId": st.user_id, "firstName": st.first,
                       "lastName": st.last,
                       "disqualifiedServices": [sid[k] for k in st.disqualified],
                       "archived": st.archived, "hideFromOnlineBookings": st.hidden}
                      for st in self.staff],
            "services": services,
            "rooms": [{"roomId": self.room_ids[k], "name": name, "capacity": cap}
                      for k, name, cap in _ROOMS],
            "machines": [{"machineId": self.machine_ids[k], "name": name, "quantity": q}
                         for k, name, q in _MACHINES],
            "workTimeTables": [{"staffId": st.id, "branchId": self.branch_id,
                                "timeSlots": self.roster[st.index]}
                               for st in self.staff if self.roster[st.index]],
            "breaks": self.breaks,
            "specialOffers": offers,
            "courses": [{"courseId": self.course_ids[i], "name": name,
                         **({"minDaysBetweenSessions": mn} if mn is not None else {}),
                         **({"maxDaysBetweenSessions": mx} if mx is not None else {})}
                        for i, (name, _s, _u, mn, mx) in enumerate(self.courses)],
            "clientCourses": client_courses,
            "clients": clients,
            "appointments": appointments,
        }

    def meta(self, doc: dict[str, Any]) -> dict[str, Any]:
        appts = doc["appointments"]
        counts = {"ACTIVE": 0, "RESERVED": 0, "CANCELED": 0, "deleted": 0}
        for a in appts:
            counts["deleted" if a["deleted"] else a["activationState"]] += 1
        counts.update(
            finishRows=sum(1 for a in appts if a["isFinishAppointment"]),
            withRoom=sum(1 for a in appts if "roomId" in a),
            withMachine=sum(1 for a in appts if "machineId" in a),
            withOffer=sum(1 for a in appts if "specialOfferId" in a),
            courseSessions=sum(1 for a in appts if "clientCourseItemId" in a))
        first = doc["coverage"]["from"]
        return {
            "generatorVersion": GENERATOR_VERSION, "seed": self.seed,
            "appointments": len(appts), "perDay": self.per_day,
            "rosterDays": self.roster_days, "zone": ZONE_NAME, "firstDay": first,
            "lastDay": LAST_DAY.isoformat(),
            "rosterFrom": max(self.roster_first, date.fromisoformat(first)).isoformat(),
            "rosterTo": LAST_DAY.isoformat(), "now": doc["coverage"]["fetchedAt"],
            "staff": sum(1 for st in self.staff if not st.archived), "clients": NCLIENTS,
            "services": {key: self.service_ids[key] for key, *_ in _SERVICES},
            "rooms": dict(self.room_ids), "machines": dict(self.machine_ids),
            "counts": counts,
        }


@dataclass
class _Day:
    """What one day's generation tracks so nothing is double booked."""

    rng: random.Random
    day: date
    future: bool
    rooms: dict[str, list[tuple[int, int]]]
    machines: dict[str, list[tuple[int, int]]]
    clients: dict[int, list[tuple[int, int, str]]]
    offer_day: dict[int, list[tuple[int, int]]]
    due: dict[str, list[_ClientCourse]]

    def client_free(self, c: int, s: int, e: int, key: str) -> bool:
        """Free then, and not booked for the same service that day."""
        return all(not (a < e and s < b) and k != key for a, b, k in self.clients.get(c, ()))


def generate(n: int, seed: int = DEFAULT_SEED, *, per_day: int = PER_DAY,
             roster_days: int = ROSTER_DAYS) -> tuple[dict[str, Any], dict[str, Any]]:
    """The snapshot document of a branch with ``n`` appointments, and its meta data."""
    if n < 1:
        raise ValueError("n must be at least 1")
    gen = _Gen(seed, per_day, roster_days)
    doc = gen.document(gen.history(n))
    return doc, gen.meta(doc)


def cache_path(n: int, seed: int, cache_dir: Path, per_day: int = PER_DAY,
               roster_days: int = ROSTER_DAYS) -> Path:
    extra = "" if (per_day, roster_days) == (PER_DAY, ROSTER_DAYS) else \
        f"_d{per_day}_r{roster_days}"
    return cache_dir / f"branch_{size_label(n)}_s{seed}_v{GENERATOR_VERSION}{extra}.json"


def write(doc: dict[str, Any], meta: dict[str, Any], path: Path) -> None:
    """Write the document (compact JSON) and ``<path>.meta.json``, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    tmp.write_text(text, encoding="utf-8")
    del text
    meta = {**meta, "fileBytes": tmp.stat().st_size}
    meta_path = path.with_name(path.name + ".meta.json")
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def ensure(n: int, seed: int = DEFAULT_SEED, cache_dir: Path = DEFAULT_CACHE, *,
           per_day: int = PER_DAY, roster_days: int = ROSTER_DAYS,
           log: Any = None) -> tuple[Path, dict[str, Any]]:
    """The cached document for (n, seed), generated and written first if missing."""
    path = cache_path(n, seed, cache_dir, per_day, roster_days)
    meta_path = path.with_name(path.name + ".meta.json")
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("generatorVersion") == GENERATOR_VERSION:
            return path, meta
    t0 = _time.perf_counter()
    doc, meta = generate(n, seed, per_day=per_day, roster_days=roster_days)
    t1 = _time.perf_counter()
    meta["generateSeconds"] = round(t1 - t0, 2)
    write(doc, meta, path)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if log:
        log(f"generated {size_label(n)} in {t1 - t0:.1f} s, wrote {path} "
            f"({meta['fileBytes'] / 1e6:.0f} MB) in {_time.perf_counter() - t1:.1f} s")
    return path, meta


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", default="10k", help="appointments: 10k, 100k, 1M or a number")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--per-day", type=int, default=PER_DAY, help="appointments a day (400)")
    p.add_argument("--roster-days", type=int, default=ROSTER_DAYS,
                   help="days with rosters and breaks, at the end of the history (60)")
    p.add_argument("--out", type=Path, help="write here (default: the cache directory)")
    p.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    args = p.parse_args(argv)
    n = parse_size(args.size)
    if args.out:
        t0 = _time.perf_counter()
        doc, meta = generate(n, args.seed, per_day=args.per_day, roster_days=args.roster_days)
        meta["generateSeconds"] = round(_time.perf_counter() - t0, 2)
        write(doc, meta, args.out)
        path = args.out
    else:
        path, meta = ensure(n, args.seed, args.cache_dir, per_day=args.per_day,
                            roster_days=args.roster_days)
    print(f"{path}  {meta['appointments']} appointments, {meta['firstDay']} to "
          f"{meta['lastDay']}, rosters from {meta['rosterFrom']}, now {meta['now']}, "
          f"counts {meta['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
