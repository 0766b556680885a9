"""Phorest credentials: HTTP Basic, user ``global/<email>``, from the environment or a file.

The password lives in a ``Secret`` whose ``repr``/``str`` never show it; it leaves this
module only as the ``Authorization`` header httpx builds. No message, log line, cache row
or progress line is ever given the password, and none is given the username either
(an email: personal data); messages name where the credentials came from instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ._errors import SetupError

ENV_USERNAME = "PHOREST_USERNAME"
ENV_PASSWORD = "PHOREST_PASSWORD"


class Secret:
    """A string that does not print."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Credentials:
    """A Phorest API user. ``source`` says where they came from, for messages."""

    username: Secret
    password: Secret = field(repr=False)
    source: str = "the caller"

    @classmethod
    def of(cls, username: str, password: str, source: str = "the caller") -> Credentials:
        return cls(Secret(username), Secret(password), source)

    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.username.reveal(), self.password.reveal())

    @property
    def username_hint(self) -> str | None:
        """Why the username is likely wrong, without showing it."""
        if not self.username.reveal().startswith("global/"):
            return "the username does not start with 'global/' (Phorest expects global/<email>)"
        return None


def from_environment(environ: Mapping[str, str] | None = None) -> Credentials:
    env = os.environ if environ is None else environ
    user, password = env.get(ENV_USERNAME), env.get(ENV_PASSWORD)
    missing = [n for n, v in ((ENV_USERNAME, user), (ENV_PASSWORD, password)) if not v]
    if missing:
        raise SetupError(f"no Phorest credentials: set {' and '.join(missing)} (or name a "
                         "file with --credentials-file)")
    assert user is not None and password is not None
    return Credentials.of(user, password, f"the environment ({ENV_USERNAME}/{ENV_PASSWORD})")


# A credentials file is a few lines: anything much bigger is not one.
_MAX_CREDENTIALS_BYTES = 64 * 1024


def read_credentials_text(path: str | Path) -> str:
    """The text of a credentials file the user named, read by the bounded reader (README
    "Input limits": a FIFO, a device or a directory is refused before reading, and no more
    than 64 KiB is read); a SetupError names the file and the need, never its content."""
    from .. import _json
    from .._errors import InputError

    name = str(path)
    if not os.path.lexists(path):
        raise SetupError(f"credentials file {name}: not found")
    try:
        data = _json.read_bytes(path, what="credentials", limit=_MAX_CREDENTIALS_BYTES)
        return data.decode("utf-8")
    except InputError as exc:
        raise SetupError(f"credentials file {name}: cannot be read (expected "
                         f"{exc.expected})") from None
    except UnicodeDecodeError:
        raise SetupError(f"credentials file {name}: cannot be read "
                         "(UnicodeDecodeError)") from None


def from_file(path: str | Path) -> Credentials:
    """A JSON object ``{"username": ..., "password": ...}``, or ``KEY=value`` lines with
    PHOREST_USERNAME and PHOREST_PASSWORD (a ``.env`` file)."""
    name = str(path)
    text = read_credentials_text(path)
    source = f"the file {name}"
    values: dict[str, str] = {}
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            # The message of a JSON error quotes the text around it: the password.
            raise SetupError(f"credentials file {name}: not valid JSON") from None
        if isinstance(data, dict):
            values = {str(k): v for k, v in data.items() if isinstance(v, str)}
        user, password = values.get("username"), values.get("password")
        expected = 'a JSON object {"username": "global/<email>", "password": "..."}'
    else:
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.removeprefix("export ").partition("=")
                values[key.strip()] = value.strip().strip("'\"")
        user, password = values.get(ENV_USERNAME), values.get(ENV_PASSWORD)
        expected = f"lines {ENV_USERNAME}=global/<email> and {ENV_PASSWORD}=..."
    if not user or not password:
        raise SetupError(f"credentials file {name}: expected {expected}")
    return Credentials.of(user, password, source)
