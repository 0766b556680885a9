"""The command line behaves as a well-made CLI does (issue 13 item 2): --version, bare help,
every subcommand's help with a description, examples and exit codes, `-` for standard
input, a closed pipe, Ctrl-C, flags named as typed, colour only on a terminal, wrapping to
its width, a naive --now warned about, and a full output device.

The pipe, Ctrl-C and terminal tests run the real command in a subprocess, each bounded in
time; the rest call ``main`` in-process.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import booking_rules as br
from booking_rules.cli import main
from booking_rules.cli._common import Terminal, paint, wrap
from booking_rules.cli.parser import COMMANDS

from .conftest import EXAMPLE_SALON, ROOT

REQUESTS = ROOT / "docs" / "examples" / "requests"
NOW = "2026-11-01T12:00:00Z"
MARY = REQUESTS / "mary_two_services.json"
CHECK = ["check", "--snapshot", str(EXAMPLE_SALON), "--request", str(MARY), "--now", NOW]
TIMEOUT = 60  # seconds, for any one subprocess
SUBCOMMANDS = ["check", "slots", "explain", "rules", "sandbox", "sync", "cache"]


def _cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
         stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """The command as a user runs it (``python -m booking_rules.cli``: the entry
    point's own code, without depending on where the venv put the script)."""
    return subprocess.run([sys.executable, "-m", "booking_rules.cli", *args],
                          input=stdin, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=TIMEOUT, env={**os.environ, **(env or {})}, cwd=ROOT,
                          check=False)


# --- version, bare help, per-command help ------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"booking-rules {br.__version__}\n"


def test_bare_command_prints_help_on_stderr_and_exits_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: booking-rules")
    for name in SUBCOMMANDS:
        assert f"    {name} " in err


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_help_has_a_description_examples_and_exit_codes(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: booking-rules {name}")
    description = text.split("\n\n")[1]
    assert len(description.split()) >= 12  # a sentence or two, not a stub
    examples = text.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    assert f"booking-rules {name}" in examples
    exits = text.split("exit codes:\n", 1)[1]
    assert "  0 " in exits and "  2 " in exits and "  130 " in exits


def test_the_registration_hook_is_one_line_per_command() -> None:
    # Each registered module adds its parsers with add_arguments(subparsers); the sync
    # module adds two commands (sync, cache).
    assert [c.rsplit(".", 1)[1] for c in COMMANDS] == [*SUBCOMMANDS[:-2], "sync"]


# --- standard input --------------------------------------------------------------------


def test_request_from_standard_input() -> None:
    done = _cli("check", "--snapshot", str(EXAMPLE_SALON), "--request", "-", "--now", NOW,
                "--format", "json", stdin=MARY.read_bytes())
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["predictedApiCode"] == "CLIENT_ALREADY_BOOKED_THIS_TIME"


def test_snapshot_from_standard_input_and_its_errors_name_stdin() -> None:
    done = _cli("check", "--snapshot", "-", "--request", str(MARY), "--now", NOW,
                stdin=EXAMPLE_SALON.read_bytes())
    assert done.returncode == 1 and done.stdout.startswith(b"FAIL")
    bad = _cli("check", "--snapshot", "-", "--request", str(MARY), "--now", NOW,
               stdin=b"{not json")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("booking-rules: <stdin>: at line 1 column 2")


def test_error_body_from_standard_input(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"clientId": "cli_new", "clientAppointmentSchedules": [
        {"serviceSchedules": [{"serviceId": "svc_cut", "staffId": "stf_lisa",
                               "startTime": "2026-12-01T15:30:00Z"}]}]}))
    done = _cli("explain", "--snapshot", str(EXAMPLE_SALON), "--request", str(request),
                "--error", "-", "--now", NOW, "--format", "json",
                stdin=b'{"statusCode": 400, "detail": "STAFF_DOUBLE_BOOKED"}')
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["diagnosis"] == "confirmed"


def test_only_one_file_from_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--snapshot", "-", "--request", "-", "--now", NOW]) == 2
    assert "--snapshot and --request: expected at most one file read from standard input" \
        in capsys.readouterr().err


# --- a closed pipe, a full device, Ctrl-C -------------------------------------------------


@pytest.mark.parametrize("args", [["rules"], CHECK])
def test_a_closed_pipe_ends_quietly(args: list[str]) -> None:
    # The reader is gone before the first write, as `| head -1` is after its first line.
    read, write = os.pipe()
    os.close(read)
    try:
        done = _cli(*args, stdout=write)
    finally:
        os.close(write)
    assert done.stderr == b""  # no "internal error", no traceback, no "Exception ignored"
    assert done.returncode == 141  # 128 + SIGPIPE, as a shell reports a reader gone


def test_a_closed_pipe_after_the_first_line_as_head_does() -> None:
    # The real thing: `booking-rules slots ... | head -1` over a month of slots.
    cmd = [sys.executable, "-m", "booking_rules.cli", "slots", "--snapshot",
           str(EXAMPLE_SALON), "--service", "svc_cut", "--from", "2026-11-02T05:00:00Z",
           "--to", "2026-12-02T05:00:00Z", "--now", NOW, "--step", "5"]
    producer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert producer.stdout is not None and producer.stderr is not None
    first = producer.stdout.readline()
    producer.stdout.close()  # what head does after its line
    try:
        code = producer.wait(timeout=TIMEOUT)
    finally:
        producer.kill()
    err = producer.stderr.read()
    producer.stderr.close()
    assert first.endswith(b"local times:\n")
    assert err == b"" and code in (0, 141)  # 0 if every byte fit the pipe before closing


def test_a_full_output_device_is_one_line_and_exit_2() -> None:
    # Issue 12 amended this from 74 (EX_IOERR): "a full output device" is exit 2, with
    # unusable input; the line says it was the output.
    with open("/dev/full", "wb") as full:
        done = _cli("rules", stdout=full.fileno())
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert lines == ["booking-rules: cannot write the output: No space left on device"]


def _blocked_reading_stdin(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/syscall").read_text().startswith("0 0x0 ")
    except OSError:
        return False


def test_ctrl_c_exits_130_with_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "booking_rules.cli", "check", "--snapshot", "-",
         "--request", str(MARY), "--now", NOW],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        deadline = time.monotonic() + TIMEOUT
        # Wait until it is inside the command, blocked reading the snapshot from stdin (the
        # user pressing Ctrl-C at a command that waits for input).
        while not _blocked_reading_stdin(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert out == b""
    assert err == b"booking-rules: interrupted\n"


# --- flags named as typed -------------------------------------------------------------


@pytest.mark.parametrize(("change", "flag"), [
    (("--to", "2026-12-01T13:00:00Z"), "--to: expected an end after the start"),
    (("--to", "2027-01-15T13:00:00Z"), "--to: expected a window of at most 31 days"),
    (("--from", "noon"), "--from: expected an ISO-8601 instant"),
    (("--service", "svc_nope"), "--service: expected a service id"),
    (("--staff", "stf_nope"), "--staff: expected a staff id"),
    (("--step", "0"), "--step: expected a whole number of minutes"),
    (("--max-per-day", "0"), "--max-per-day: expected a whole number"),
    (("--now", "yesterday"), "--now: expected an ISO-8601 instant"),
])
def test_slots_errors_name_the_flag_typed(change: tuple[str, str], flag: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    args = {"--snapshot": str(EXAMPLE_SALON), "--service": "svc_cut",
            "--from": "2026-12-01T14:00:00Z", "--to": "2026-12-01T17:00:00Z", "--now": NOW}
    args[change[0]] = change[1]
    assert main(["slots", *[x for kv in args.items() for x in kv]]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"booking-rules: {flag}") and err.count("\n") == 1
    for name in ("service_ids", "staff_id", "step_minutes", "max_slots_per_day", "at end",
                 "at start"):
        assert name not in err


# --- --now without an offset ----------------------------------------------------------


def test_now_without_an_offset_warns_as_a_request_time_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CHECK[:-1], "2026-11-01T12:00:00"]) == 1
    err = capsys.readouterr().err
    assert err == ("booking-rules: warning: --now '2026-11-01T12:00:00' has no offset, so it "
                   "is read as UTC (2026-11-01 07:00 EST (12:00Z)); add Z or an offset such "
                   "as -05:00 to say which instant you mean\n")
    assert main(CHECK) == 1
    assert capsys.readouterr().err == ""


# --- colour and width --------------------------------------------------------------------


def test_colour_rules() -> None:
    text = "FAIL  Queen St\n\nerror    STAFF_DOUBLE_BOOKED\nwarning  X\n"
    assert paint(text, Terminal(color=False)) == text
    coloured = paint(text, Terminal(color=True))
    assert "\x1b[31;1mFAIL\x1b[0m" in coloured and "\x1b[31merror\x1b[0m" in coloured
    assert "\x1b[33mwarning\x1b[0m" in coloured


def test_colour_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert Terminal.for_stream(tty, "auto").color  # type: ignore[arg-type]
    assert not Terminal.for_stream(tty, "never").color  # type: ignore[arg-type]
    assert not Terminal.for_stream(sys.stderr, "auto").color or sys.stderr.isatty()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Terminal.for_stream(tty, "auto").color  # type: ignore[arg-type]
    assert Terminal.for_stream(tty, "always").color  # type: ignore[arg-type]


def test_no_colour_and_no_wrapping_in_a_pipe() -> None:
    done = _cli(*CHECK, "--color", "auto")
    assert b"\x1b[" not in done.stdout
    longest = max(len(line) for line in done.stdout.decode().splitlines())
    assert longest > 100  # lines as they are: a pipe is read by programs
    forced = _cli("--color", "always", *CHECK)
    assert forced.stdout.startswith(b"\x1b[31;1mFAIL\x1b[0m")


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What the command prints on a terminal of 60 columns."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "booking_rules.cli", *args],
                            stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            cwd=ROOT, env={**os.environ, "COLUMNS": "60", **env})
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif proc.poll() is not None:
                break
        proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
        os.close(leader)
        if proc.stderr is not None:
            proc.stderr.close()
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_on_a_terminal_colour_and_wrapping_to_its_width() -> None:
    shown = _on_a_terminal(CHECK, {"TERM": "xterm"})
    assert shown.startswith("\x1b[31;1mFAIL\x1b[0m")
    plain = [line.replace("\x1b[31;1m", "").replace("\x1b[31m", "").replace("\x1b[33m", "")
             .replace("\x1b[0m", "") for line in shown.splitlines()]
    assert max(len(line) for line in plain) <= 60
    # Continuation lines keep the finding's indentation.
    assert any(line.startswith("         ") for line in plain)


def test_no_color_is_respected_on_a_terminal() -> None:
    shown = _on_a_terminal(CHECK, {"TERM": "xterm", "NO_COLOR": "1"})
    assert shown.startswith("FAIL") and "\x1b[" not in shown


def test_wrap_keeps_short_lines_and_indents_continuations() -> None:
    text = "short\n         " + "word " * 30 + "\n         fix: " + "do " * 30
    lines = wrap(text, 50).split("\n")
    assert lines[0] == "short"
    assert all(len(line) <= 50 for line in lines)
    assert all(line.startswith("         ") for line in lines[1:])
    assert wrap(text, None) == text
