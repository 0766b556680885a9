"""The README's three commands (a sandbox, a sync into cache.db, a check against the
cache), run as written: the sandbox under uvicorn on 127.0.0.1, the sync and the check
through the ``booking-rules`` entry point. Only the port (a free one) and the cache's
place (a temporary directory) are swapped in."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

import booking_rules as br
from booking_rules.cli.main import build_parser, main
from booking_rules.sandbox import SandboxClock, SandboxState, create_app, running
from tests.conftest import ROOT

README = ROOT / "README.md"


def _commands() -> list[tuple[dict[str, str], list[str]]]:
    """The block after the ``live-data-commands`` marker: (environment, argv) each."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- live-data-commands", 1)[1].split("```sh\n", 1)[1]
    block = block.split("```", 1)[0]
    out = []
    for line in block.strip().splitlines():
        words = shlex.split(line)
        if words[-1] == "&":
            words = words[:-1]
        env = {}
        while re.fullmatch(r"[A-Z_]+=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        assert words[0] == ".venv/bin/booking-rules", line
        out.append((env, words[1:]))
    return out


def test_the_readme_runs_a_sandbox_a_sync_and_a_check_against_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)  # the commands name docs/examples/... relative to the checkout
    (sandbox_env, sandbox_argv), (sync_env, sync_argv), (check_env, check_argv) = _commands()
    assert not sandbox_env and not check_env
    # 1. The sandbox, as `booking-rules sandbox` would build it from these flags.
    flags = build_parser().parse_args(sandbox_argv)
    assert flags.command == "sandbox" and flags.port == 8765
    state = SandboxState.from_files([flags.snapshot], now=SandboxClock()(),
                                    business_id=flags.business or "demo")
    cache = tmp_path / "cache.db"
    with running(create_app(state, clock=SandboxClock())) as root:
        port = root.rsplit(":", 1)[1]
        sync_argv = [a.replace("127.0.0.1:8765", f"127.0.0.1:{port}")
                     .replace("sqlite:///cache.db", f"sqlite:///{cache}") for a in sync_argv]
        for name, value in sync_env.items():
            monkeypatch.setenv(name, value)
        # 2. The sync.
        assert main(sync_argv) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert re.fullmatch(r"sync demo/br_tor: \d+ rows changed, 0 gone, \d+ requests, "
                            r"[\d.]+ s\n", out), out
    # 3. The check, against the cache (the sandbox is gone: the cache is all it reads).
    check_argv = [str(cache) if a == "cache.db" else a for a in check_argv]
    code = main(check_argv)
    text = capsys.readouterr().out
    assert code == 1, text
    assert "would most likely answer: CLIENT_ALREADY_BOOKED_THIS_TIME" in text
    assert "data fetched:" not in text or "appointments" in text
    # The same violations as the file the sandbox was seeded with, with the cache's ages.
    request = json.loads((ROOT / check_argv[check_argv.index("--request") + 1]).read_text())
    from_cache = br.check(br.load_snapshot(str(cache), branch="br_tor"), request,
                          now=SandboxClock()())
    from_file = br.check(br.load_snapshot(ROOT / flags.snapshot), request,
                         now=from_cache.now)
    assert [v.to_dict() for v in from_cache.violations] == [
        v.to_dict() for v in from_file.violations]
    ages = from_cache.stream_ages()
    assert "appointments" in ages and all(a is not None and 0 <= a < 600
                                          for a in ages.values())
