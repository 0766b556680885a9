"""Rulesets: TOML files that select rules, override severities, set options and the
priority order that predicts the one code the API answers."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _json
from .._errors import InputError, RulesetError, echo
from . import model as m
from .codes import CodeTable
from .rule import SEVERITIES, Check, Rule, Severity

_TOP_KEYS = {"name", "description", "platform", "extends", "online", "appointment_times",
             "select", "ignore", "priority", "severity", "options", "rules"}
ENGINE_OPTIONS: dict[str, tuple[Any, str]] = {
    "reserved_holds_block": (True, "RESERVED holds block staff, client, room and machine "
                             "like ACTIVE appointments (Phorest: they do)."),
    "max_age": (0, "Seconds: a list a rule reads (appointments, rosters, breaks, rooms, "
                "...) fetched longer ago than this before now makes the rule answer "
                "UNKNOWN, with the age in the reason (RULES.md §6); a list whose fetch time "
                "the snapshot does not say counts as too old. 0: off."),
    "reserved_hold_minutes": (0, "A RESERVED hold older than this many minutes (by its "
                              "createdAt, against now) stops blocking, with a notice "
                              "(EXPIRED_HOLD). 0: off, a hold blocks however old it is. "
                              "Phorest was seen to expire unconfirmed holds after about 7."),
    "expand_existing_finish": (False, "Existing appointment rows are held with their "
                               "service's gap and finish added, as request schedules are: "
                               "for a source that does not split a service's finish block "
                               "into a row of its own (Phorest does: isFinishAppointment)."),
    "assign_unnamed_resources": (True, "A request schedule without a roomId (machineId) "
                                 "whose service lists rooms (machines) takes one unit of "
                                 "the first listed with spare capacity over its span, for "
                                 "the later schedules of the same request."),
}
# Upper bounds of the integer engine options: beyond them a value is a mistake.
_OPTION_MAX = {"reserved_hold_minutes": 366 * 24 * 60, "max_age": 366 * 24 * 3600}


def rulesets_dir() -> Path:
    """Where the bundled rulesets live: in the wheel, or at the top of a source checkout."""
    package = Path(__file__).parents[1]
    packaged = package / "_rulesets"
    return packaged if packaged.is_dir() else package.parent / "rulesets"


def bundled_rulesets() -> list[str]:
    return sorted(p.stem for p in rulesets_dir().glob("*.toml"))


@dataclass(frozen=True, slots=True)
class Step:
    """A rule as the engine runs it under one ruleset: what the per-schedule loop reads,
    looked up once instead of once per rule per check."""

    rule: Rule
    check: Check
    options: Mapping[str, Any]
    history: bool
    code: str  # the platform's code for the rule
    lists: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    # The snapshot lists the rule reads (``model.LIST_NAMES``): those it declares, and the
    # appointments for a rule that reads history. Made once here, not on every check.
    read_lists: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        object.__setattr__(self, "read_lists",
                           self.lists | _HISTORY if self.history else self.lists)


_HISTORY = frozenset({"appointments"})


@dataclass(frozen=True)
class Ruleset:
    """Which rules run, at which severity, with which options, under one platform's
    codes. Severities, options and priority are keyed by the rules' neutral names."""

    name: str
    source: str
    table: CodeTable
    rules: tuple[Rule, ...]  # selected, table order
    severities: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    priority: tuple[str, ...] = ()  # neutral names
    online: bool = False
    appointment_times: m.Times = "local"
    reserved_holds_block: bool = True
    max_age: int = 0  # seconds; 0: off
    reserved_hold_minutes: int = 0  # 0: off
    expand_existing_finish: bool = False
    assign_unnamed_resources: bool = True
    description: str = ""
    # Built once at construction, never lazily: a ruleset is shared by the threads of a
    # server, and a table filled on first use by two threads at once can lose entries.
    _rank: dict[str, int] = field(default_factory=dict, init=False, compare=False,
                                  repr=False)
    _notice_rules: dict[str, Rule] = field(default_factory=dict, init=False, compare=False,
                                           repr=False)
    # Memoized look-ups, filled with setdefault: threads that compute one at once all get
    # the tuple kept (a lost race only computes it twice).
    _runnable: dict[str, tuple[Rule, ...]] = field(default_factory=dict, init=False,
                                                   compare=False, repr=False)
    _steps: dict[tuple[bool, frozenset[str], bool | None, bool, bool], tuple[Step, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False)
    # The lists each kept tuple of ``_steps`` reads, by the tuple's id (the tuples live as
    # long as the ruleset, so an id is never reused for another).
    _lists_read: dict[int, frozenset[str]] = field(default_factory=dict, init=False,
                                                   compare=False, repr=False)
    _verdict_steps: dict[int, tuple[Step, ...]] = field(default_factory=dict, init=False,
                                                        compare=False, repr=False)

    def __post_init__(self) -> None:
        self._rank.update((name, i) for i, name in enumerate(self.priority))
        self._notice_rules.update((r.name, r) for r in self.rules if r.notice)

    @property
    def platform(self) -> str:
        return self.table.platform

    def code_of(self, rule: Rule) -> str:
        return self.table.code_of(rule)

    def runnable(self, online: bool) -> tuple[Rule, ...]:
        """The selected rules a schedule runs (notice rules only report input notices)."""
        key = "online" if online else "offline"
        cached = self._runnable.get(key)
        if cached is None:
            cached = self._runnable.setdefault(key, tuple(
                r for r in self.rules if r.subject == "booking" and not r.notice
                and (online or not r.online_only)))
        return cached

    def subject_steps(self, subject: str) -> tuple[Step, ...]:
        """The selected rules of a subject other than a booking, in table order."""
        return tuple(Step(r, r.check, self.options_for(r), False, self.code_of(r))
                     for r in self.rules if r.subject == subject and not r.notice)

    def steps(self, online: bool, present: frozenset[str], timeless: bool | None = None,
              uncovered: bool = False, errors_only: bool = False) -> tuple[Step, ...]:
        """The runnable rules to run on a schedule, in table order: those whose
        ``needs`` are all in ``present`` and whose ``silent_unless`` conditions are too
        (or, on an ``uncovered`` day, that read history: they answer UNKNOWN).

        ``timeless`` True or False keeps only the rules declared timeless, or only the
        others: the two parts partition the whole. ``errors_only`` leaves out what cannot
        change a verdict: rules at warning severity that never yield an Unknown."""
        key = (online, present, timeless, uncovered, errors_only)
        cached = self._steps.get(key)
        if cached is None:
            cached = tuple(
                Step(r, r.check, self.options_for(r), r.history, self.code_of(r),
                     r.lists, r.reads)
                for r in self.runnable(online)
                if r.needs <= present
                and (r.silent_unless <= present or (uncovered and r.history))
                and (timeless is None or r.timeless is timeless)
                and not (errors_only and self.severity_of(r) == "warning"
                         and not r.may_be_unknown and not r.history and not r.lists
                         and not r.reads))
            cached = self._steps.setdefault(key, cached)
        return cached

    def verdict_steps(self, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        """``steps`` (a tuple ``steps()`` returned) less the warning rules that never
        answer UNKNOWN themselves and read no history: what can change a verdict when the
        engine answers none of them UNKNOWN first (the lists each reads held, fresh and
        covered). A rule reading history is kept: the RESERVED holds its queries find
        expired are reported (``expired_hold``), at the severity a ruleset gives."""
        found = self._verdict_steps.get(id(steps))
        if found is None:
            found = self._verdict_steps.setdefault(id(steps), tuple(
                s for s in steps if s.rule.may_be_unknown or s.history
                or self.severity_of(s.rule) != "warning"))
        return found

    def lists_read(self, steps: tuple[Step, ...]) -> frozenset[str]:
        """Every list the rules of ``steps`` (a tuple ``steps()`` returned) read."""
        found = self._lists_read.get(id(steps))
        if found is None:
            found = self._lists_read.setdefault(
                id(steps), frozenset().union(*(s.read_lists for s in steps)))
        return found

    def severity_of(self, rule: Rule) -> Severity:
        return self.severities.get(rule.name, rule.severity)

    def options_for(self, rule: Rule) -> Mapping[str, Any]:
        return self.rule_options.get(rule.name, {})

    def notice_rule(self, name: str) -> Rule | None:
        """The selected rule that reports notices of ``name`` (a rule's neutral name)."""
        return self._notice_rules.get(name)

    def predict(self, errors: Iterable[Any]) -> str | None:
        """The code the API most likely answers: first failing schedule, then priority."""
        rank = self._rank
        candidates = [v for v in errors if v.api]
        if not candidates:
            return None
        best = min(candidates, key=lambda v: (
            v.schedule if v.schedule is not None else -1, rank.get(v.rule, len(rank))))
        return str(best.code)


def _suggest(word: str, options: Iterable[str]) -> str:
    if len(word) > 100:  # no code is that long, and matching it would cost its square
        return ""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _codes(value: object, key: str, table: CodeTable, src: str) -> list[str]:
    """The neutral names of the rules a list names by code (or renamed code, or name);
    ``ALL`` stays ``ALL``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesetError(src, f"`{key}` must be a list of rule codes")
    return ["ALL" if code == "ALL" else _rule(code, f"`{key}` names", table, src).name
            for code in value]


def _rule(code: str, where: str, table: CodeTable, src: str) -> Rule:
    rule = table.rule(code)
    if rule is None:
        raise RulesetError(src, f"{where} unknown rule code {echo(code)}"
                           f"{_suggest(code, table.by_code())}")
    return rule


# The longest chain of `extends` a ruleset may build on (README "Input limits").
MAX_EXTENDS = 8
# What each top-level key holds: read before anything is merged or looked up.
_TABLES = ("severity", "options", "rules")
_LISTS = ("select", "ignore", "priority")
_STRINGS = ("name", "description", "platform", "extends", "appointment_times")


def _real(path: Path) -> str:
    # realpath never raises (a symbolic-link loop stays unresolved; reading it then says so).
    return os.path.realpath(path)


def _read(path: Path, seen: Sequence[str] = (), files: list[str] | None = None
          ) -> dict[str, Any]:
    """The ruleset at ``path`` merged over the chain it extends; ``seen``: the files of the
    chain so far (a cycle or a chain longer than ``MAX_EXTENDS`` is an error); ``files``
    gathers every file read, for the cache to watch."""
    src = str(path)
    real = _real(path)
    if files is not None:
        files.append(real)
    if real in seen:
        raise RulesetError(src, "`extends` forms a cycle")
    if len(seen) > MAX_EXTENDS:
        raise RulesetError(src, f"`extends` builds a chain of more than {MAX_EXTENDS} "
                           "rulesets")
    data = _parse(path)
    parent = data.get("extends")
    if parent is None:
        return data
    base = _read(_locate(str(parent), path.parent), [*seen, real], files)
    merged = {**base, **{k: v for k, v in data.items() if k not in _TABLES}}
    merged["severity"] = {**base.get("severity", {}), **data.get("severity", {})}
    merged["options"] = {**base.get("options", {}), **data.get("options", {})}
    rules = {k: dict(v) for k, v in base.get("rules", {}).items()}
    for code, opts in data.get("rules", {}).items():
        rules[code] = {**rules.get(code, {}), **opts}
    merged["rules"] = rules
    return merged


def _parse(path: Path) -> dict[str, Any]:
    """One ruleset file, read with a bound and held to its shape: every top-level key is
    known and of its type, every table's entries are too. A file that is not a ruleset is
    said to be one, and none of its content is printed back."""
    src = str(path)
    try:
        text = _json.read_text(path, what="TOML ruleset", limit=_json.MAX_RULESET_BYTES)
    except InputError as exc:
        if not os.path.lexists(path):
            names = bundled_rulesets()
            raise RulesetError(src, f"no such ruleset file; the bundled rulesets are named "
                               f"without .toml, from any folder: {', '.join(names)}"
                               f"{_suggest(path.stem, names)}") from None
        raise RulesetError(src, f"{exc.path + ': ' if exc.path != '(top level)' else ''}"
                           f"expected {exc.expected}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The parser's message says where (line, column), never what the file holds.
        raise RulesetError(src, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise RulesetError(src, f"not a ruleset: nested more than {_json.MAX_DEPTH} deep"
                           ) from None
    if data and not set(data) & _TOP_KEYS and not any(_suggest(k, _TOP_KEYS) for k in data):
        raise RulesetError(src, f"not a ruleset: it has none of the keys "
                           f"{', '.join(sorted(_TOP_KEYS))}")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise RulesetError(src, f"unknown key {echo(key)}{_suggest(key, _TOP_KEYS)}")
    for key in _TABLES:
        if key in data and not isinstance(data[key], dict):
            raise RulesetError(src, f"`{key}` must be a table ([{key}]), got "
                               f"{_a(data[key])}")
    for code, opts in data.get("rules", {}).items():
        if not isinstance(opts, dict):
            raise RulesetError(src, f"[rules.{_show(code)}] must be a table of options, "
                               f"got {_a(opts)}")
    for key in _LISTS:
        if key in data and not (isinstance(data[key], list) and all(
                isinstance(v, str) for v in data[key])):
            raise RulesetError(src, f"`{key}` must be a list of rule codes")
    for key in _STRINGS:
        if key in data and not isinstance(data[key], str):
            raise RulesetError(src, f"`{key}` must be a string, got "
                               f"{_a(data[key])}")
    if "online" in data and not isinstance(data["online"], bool):
        raise RulesetError(src, "online must be true or false")
    return data


def _show(code: str) -> str:
    """A rule code from the file, as a message shows it: as is when it looks like one."""
    return code if _CODE_LIKE.match(code) else echo(code, 40)


_CODE_LIKE = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")


def _toml_type(value: object) -> str:
    """What a TOML value is, with its article: ``an integer``."""
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    return {int: "integer", float: "float", str: "string"}.get(type(value), "date or time")


def _a(value: object) -> str:
    kind = _toml_type(value)
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _is_name(name: str) -> bool:
    """Whether a ruleset is named (a bundled one), not given by path."""
    return not (name.endswith(".toml") or "/" in name or "\\" in name)


def _locate(name: str, relative_to: Path | None = None) -> Path:
    if not name or len(name) > 4096 or "\0" in name:
        raise RulesetError(echo(name, 60), "a bundled ruleset name or a TOML path")
    if not _is_name(name):
        p = Path(name)
        if not p.is_absolute() and relative_to is not None and os.path.lexists(
                relative_to / p):
            return relative_to / p
        bundled = rulesets_dir() / p.name
        if (relative_to is not None and not p.exists() and p.name == name
                and bundled.exists()):
            # `extends = "phorest.toml"` in a copy of a bundled file, away from the
            # bundled folder: the bundled parent it named (older bundled files said so).
            return bundled
        return p
    path = rulesets_dir() / f"{name}.toml"
    if not path.is_file():
        raise RulesetError(echo(name, 60), f"no bundled ruleset of that name; bundled: "
                           f"{', '.join(bundled_rulesets())}{_suggest(name, bundled_rulesets())}")
    return path


def load_ruleset(name_or_path: str | Path, table: CodeTable) -> Ruleset:
    """A bundled ruleset by name (``phorest``, ``phorest-online``, ``strict``) or a TOML
    path, naming rules by ``table``'s codes."""
    return _load(name_or_path, table, None)


def _load(name_or_path: str | Path, table: CodeTable, files: list[str] | None) -> Ruleset:
    if not isinstance(name_or_path, str | os.PathLike):
        raise RulesetError("ruleset", "expected a bundled ruleset name or a TOML path, got "
                           f"a {type(name_or_path).__name__}")
    path = _locate(os.fspath(name_or_path))
    src = str(path)
    data = _read(path, (), files)
    platform = data.get("platform", table.platform)
    if platform != table.platform:
        raise RulesetError(src, f"this ruleset is for platform {echo(platform)}, not "
                           f"{table.platform!r}")
    select = _codes(data.get("select", ["ALL"]), "select", table, src)
    ignore = set(_codes(data.get("ignore", []), "ignore", table, src))
    chosen = [r for r in table.rules.values() if ("ALL" in select or r.name in select)
              and r.name not in ignore]

    severities: dict[str, Severity] = {}
    sev = data.get("severity", {})
    for code, value in sev.items():
        rule = _rule(code, "[severity] names", table, src)
        if not isinstance(value, str) or value not in SEVERITIES:
            raise RulesetError(src, f"[severity] {code} must be \"error\" or \"warning\", "
                               f"got {echo(value)}")
        severities[rule.name] = value

    engine_opts = data.get("options", {})
    for key, value in engine_opts.items():
        if key not in ENGINE_OPTIONS:
            raise RulesetError(src, f"[options] unknown option {echo(key)}"
                               f"{_suggest(key, ENGINE_OPTIONS)}")
        default = ENGINE_OPTIONS[key][0]
        if not isinstance(value, type(default)) or (
                isinstance(value, bool) and not isinstance(default, bool)):
            raise RulesetError(src, f"[options] {key} must be a "
                               f"{type(default).__name__}")
        if isinstance(value, int) and not isinstance(value, bool) and not (
                0 <= value <= _OPTION_MAX.get(key, value)):
            raise RulesetError(src, f"[options] {key} must be between 0 and "
                               f"{_OPTION_MAX.get(key, value)}, got {value}")

    rule_options: dict[str, dict[str, Any]] = {}
    for rule in table.rules.values():
        rule_options[rule.name] = {k: o.default for k, o in rule.options.items()}
    for code, opts in data.get("rules", {}).items():
        found = table.rule(code)
        if found is None:
            raise RulesetError(src, f"[rules.{_show(code)}] names an unknown rule code"
                               f"{_suggest(code, table.by_code())}")
        rule = found
        for key, value in opts.items():
            if key not in rule.options:
                have = ", ".join(rule.options) or "none"
                raise RulesetError(src, f"[rules.{code}] unknown option {echo(key)} (options of "
                                   f"{code}: {have}){_suggest(key, rule.options)}")
            if not rule.options[key].accepts(value):
                raise RulesetError(src, f"[rules.{code}] {key} must be "
                                   f"{rule.options[key].expected()}, got {echo(value)}")
            rule_options[rule.name][key] = value

    priority = _codes(data.get("priority", []), "priority", table, src)
    times = data.get("appointment_times", "local")
    if times not in ("local", "utc"):
        raise RulesetError(src, f"appointment_times must be \"local\" or \"utc\", got "
                           f"{echo(times)}")
    online = data.get("online", False)
    if not isinstance(online, bool):
        raise RulesetError(src, "online must be true or false")
    return Ruleset(
        name=str(data.get("name", path.stem)), source=src, table=table, rules=tuple(chosen),
        severities=severities, rule_options=rule_options, priority=tuple(priority),
        online=online, appointment_times=times,
        reserved_holds_block=bool(engine_opts.get("reserved_holds_block", True)),
        max_age=int(engine_opts.get("max_age", 0)),
        reserved_hold_minutes=int(engine_opts.get("reserved_hold_minutes", 0)),
        expand_existing_finish=bool(engine_opts.get("expand_existing_finish", False)),
        assign_unnamed_resources=bool(engine_opts.get("assign_unnamed_resources", True)),
        description=str(data.get("description", "")))


# Loaded rulesets by file and platform, with the files each was read from (the file and
# every file it extends) and their stamps: a ruleset is re-read when any of them changes
# (size or modification time), so a long-running server never checks with a stale one.
# Bounded: a server given many paths keeps the latest few.
_CACHE: dict[tuple[str, str], tuple[tuple[tuple[str, int, int], ...], Ruleset]] = {}
_CACHE_SIZE = 64


def _stamps(files: Sequence[str]) -> tuple[tuple[str, int, int], ...] | None:
    out = []
    for name in files:
        try:
            st = os.stat(name)
        except OSError:
            return None
        out.append((name, st.st_mtime_ns, st.st_size))
    return tuple(out)
# Bundled rulesets by (name, platform): files shipped inside the package, which do not
# change while a process runs, so a check naming one costs a dictionary look-up (a stat
# and a path resolution per check cost more than the check itself).
_BUNDLED: dict[tuple[str, str], Ruleset] = {}


def resolve_ruleset(ruleset: str | Path | Ruleset, table: CodeTable) -> Ruleset:
    """A Ruleset as given, or loaded once: a bundled name from a cache, a file re-read
    when it changes (its size or modification time), so a long-running server never
    checks with a stale ruleset of its own."""
    if isinstance(ruleset, Ruleset):
        return ruleset
    if not isinstance(ruleset, str | os.PathLike):
        raise RulesetError("ruleset", "expected a bundled ruleset name, a TOML path or a "
                           f"Ruleset, got a {type(ruleset).__name__}")
    name = os.fspath(ruleset)
    bundled = (name, table.platform)
    found_bundled = _BUNDLED.get(bundled)
    if found_bundled is not None:
        return found_bundled
    path = _locate(name)
    if _is_name(name):
        return _BUNDLED.setdefault(bundled, load_ruleset(path, table))
    key = (_real(path), table.platform)
    found = _CACHE.get(key)
    if found is not None and _stamps([f for f, _, _ in found[0]]) == found[0]:
        return found[1]
    files: list[str] = []
    loaded = _load(path, table, files)
    stamps = _stamps(files)
    if stamps is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)), None)
        _CACHE[key] = (stamps, loaded)
    return loaded
