"""The one reader of JSON input: snapshots, requests, error bodies, corpus entries.

Every input file is read with a bound, and every document is held to the same limits
before any other code sees it, so hostile or odd input ends in one short
:class:`~booking_rules.InputError` naming the file, where in it (a JSON path, or a line and
column when the text is not JSON), and what was expected; never in a traceback, a hang, or
all of the machine's memory.

The limits (README "Input limits"):

* a snapshot file holds at most ``MAX_SNAPSHOT_BYTES`` (2 GiB; a million appointments take
  580 MB), any other JSON file (a request, an error body, a corpus ``meta.json``) at most
  ``MAX_DOCUMENT_BYTES`` (4 MiB), a ruleset at most ``MAX_RULESET_BYTES`` (1 MiB);
* an input path is a regular file: a directory, a FIFO, a device (``/dev/zero``) or a
  symbolic-link loop is refused before anything is read, and a file that grows past its
  bound while it is read is refused at the bound;
* JSON nests at most ``MAX_DEPTH`` (64) arrays and objects deep, and an object's key is
  at most ``MAX_KEY`` (256) characters (keys are echoed in notices and paths);
* integers lie within ``±MAX_INT`` (2**53 - 1, the range every JSON reader agrees on,
  RFC 8259 §6); ``NaN`` and ``Infinity`` are not JSON, and a number too large for a double
  is refused;
* text is UTF-8 (a leading byte-order mark is skipped), and a string holds no lone UTF-16
  surrogate (``"\\ud800"``).

Layering: below the core (like ``_time`` and ``_errors``), so the core, the platforms,
explain and the CLI all read through it.
"""

from __future__ import annotations

import codecs
import errno
import math
import mmap
import os
import re
import stat
from collections.abc import Iterator
from itertools import chain, compress, repeat
from operator import is_
from pathlib import Path
from typing import IO, Any

import msgspec

from ._errors import InputError, echo

MAX_SNAPSHOT_BYTES = 2 * 1024**3
MAX_DOCUMENT_BYTES = 4 * 1024**2
MAX_RULESET_BYTES = 1024**2
MAX_DEPTH = 64
MAX_INT = 2**53 - 1
MAX_KEY = 256

# Above this size a document that failed to decode is diagnosed from the decoder's own
# message (a byte offset) instead of a second, precise read that would cost its size again.
_PRECISE_BELOW = 64 * 1024**2
_BOM = b"\xef\xbb\xbf"
_CHUNK = 1024**2

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_INT",
    "MAX_KEY",
    "MAX_RULESET_BYTES",
    "MAX_SNAPSHOT_BYTES",
    "check_value",
    "loads",
    "map_file",
    "read_bytes",
    "read_head",
    "read_json",
    "read_json_stream",
    "read_text",
    "size_text",
]


def size_text(n: int) -> str:
    """``4 MiB``, ``1.5 GiB``, ``812 bytes``: a size for people."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"


# --- files ---------------------------------------------------------------------------------


def _open(path: str | Path, what: str, limit: int) -> tuple[int, int]:
    """An open descriptor of a regular file of at most ``limit`` bytes, and its size.

    Opened without blocking (a FIFO with no writer would otherwise wait forever) and
    checked on the descriptor itself, so what is read is what was checked."""
    name = str(path)
    if isinstance(path, str) and not path:
        raise InputError("(empty path)", "", f"the name of a {what} file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(name, "", f"an existing {what} file") from None
    except OSError as exc:
        raise InputError(name, "", f"a readable {what} file; {_why(exc)}") from None
    except ValueError:  # a NUL byte in the name
        raise InputError(name, "", f"a {what} file name without NUL bytes") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(name, "", f"a regular {what} file, not {_kind(st.st_mode)}")
        if st.st_size > limit:
            raise InputError(name, "", f"a {what} file of at most {size_text(limit)}; this "
                             f"one holds {size_text(st.st_size)}")
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "its path is a loop of symbolic links"
    if exc.errno == errno.ENAMETOOLONG:
        return "its name is too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOTDIR:
        return "a part of its path is not a directory"
    return exc.strerror or exc.__class__.__name__


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_bytes(path: str | Path, *, what: str = "JSON",
               limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or an InputError
    naming the file (missing, a directory, a FIFO, a device, a link loop, too large)."""
    fd, size = _open(path, what, limit)
    chunks: list[bytes] = []
    got = 0
    try:
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - got) or 1)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if got > limit:  # it grew while being read
                raise InputError(str(path), "", f"a {what} file of at most "
                                 f"{size_text(limit)}; this one grew past it while read")
    except OSError as exc:
        raise InputError(str(path), "", f"a readable {what} file; {_why(exc)}") from None
    finally:
        os.close(fd)
    del size
    return b"".join(chunks)


def map_file(path: str | Path, *, what: str = "snapshot",
             limit: int = MAX_SNAPSHOT_BYTES) -> mmap.mmap | bytes:
    """The regular file ``path`` mapped into memory (read-only; the text of a long history
    is as big as the snapshot, and a map costs no copy), or ``b""`` for an empty file."""
    fd, size = _open(path, what, limit)
    try:
        if size == 0:
            return b""
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.errno not in (errno.ENODEV, errno.EACCES,
                                                          errno.EINVAL):
            raise InputError(str(path), "", f"a readable {what} file; {_why(exc)}"
                             ) from None
    finally:
        os.close(fd)  # the map keeps its own reference to the file
    # A file system that cannot map: read it, with the same bound.
    return read_bytes(path, what=what, limit=limit)


def read_head(path: str | os.PathLike[str], size: int) -> bytes | None:
    """The first ``size`` bytes of the regular file ``path`` (to sniff its kind), or None
    when it is not one or cannot be read: the caller's full read then says why. Never
    blocks on a FIFO, never reads a device."""
    try:
        fd, _ = _open(os.fspath(path), "JSON", MAX_SNAPSHOT_BYTES)
    except InputError:
        return None
    try:
        return os.read(fd, size)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_text(path: str | Path, *, what: str, limit: int) -> str:
    """A UTF-8 text file read with a bound (a ruleset): an InputError names the first byte
    that is not UTF-8 by line and column."""
    data = read_bytes(path, what=what, limit=limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise InputError(str(path), f"line {line} column {col}",
                         f"UTF-8 text; byte 0x{data[exc.start]:02X} is not") from None


def read_json(path: str | Path, *, what: str = "JSON",
              limit: int = MAX_DOCUMENT_BYTES) -> Any:
    """A JSON file read with a bound and held to the limits above."""
    return loads(read_bytes(path, what=what, limit=limit), str(path))


def read_json_stream(stream: IO[bytes], source: str, *, limit: int = MAX_DOCUMENT_BYTES
                     ) -> Any:
    """JSON from a binary stream (standard input), read with the same bound."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(source, "", f"at most {size_text(limit)} of JSON")
    return loads(data, source)


# --- documents -----------------------------------------------------------------------------

_DECODE = msgspec.json.Decoder()


def loads(data: bytes | bytearray | memoryview | mmap.mmap | str, source: str,
          prefix: str = "") -> Any:
    """A JSON document held to the limits above; ``prefix`` is the JSON path of ``data``
    within its file (a snapshot decodes its keys one by one)."""
    view: Any = data
    if isinstance(data, str):
        view = data.encode("utf-8", "surrogatepass")
    elif not isinstance(data, bytes | bytearray | memoryview | mmap.mmap):
        view = memoryview(data)  # msgspec.Raw
    if bytes(view[:3]) == _BOM:
        view = memoryview(view)[3:]
    try:
        value = _DECODE.decode(view)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise _diagnose(view, source, prefix, exc) from None
    # What msgspec decoded holds no NaN, no number a double cannot hold, no lone
    # surrogate and only string keys. Left to check: the depth, integers and key lengths,
    # by a walk of the containers alone whose per-value work runs in C; only when it finds
    # a problem is every value walked, to name the first one by its path.
    if not _cheap_ok(value):
        check_value(value, source, prefix)
    return value


def _cheap_ok(value: Any) -> bool:
    """Whether ``value`` (as msgspec decodes: dicts, lists, scalars) nests at most
    ``MAX_DEPTH`` deep, holds no integer beyond ``MAX_INT`` and no key longer than
    ``MAX_KEY``. One level at a time, every pass over a level's values runs in C (30,000
    client records cost a few milliseconds, not a Python loop each)."""
    level = [value]
    for depth in range(1, MAX_DEPTH + 2):  # the containers of ``level`` are this deep
        types = list(map(type, level))
        numbers = list(compress(level, map(is_, types, repeat(int))))
        if numbers and (max(numbers) > MAX_INT or min(numbers) < -MAX_INT):
            return False
        dicts = list(compress(level, map(is_, types, repeat(dict))))
        lists = list(compress(level, map(is_, types, repeat(list))))
        if not dicts and not lists:
            return True
        if depth > MAX_DEPTH:
            return False
        if dicts and max(map(len, chain.from_iterable(dicts)), default=0) > MAX_KEY:
            return False
        level = list(chain(chain.from_iterable(map(dict.values, dicts)),
                           chain.from_iterable(lists)))
    return False  # pragma: no cover (the loop returns)


def check_value(value: Any, source: str, prefix: str = "") -> bool:
    """Hold a decoded document (or a dict given to the Python API) to the limits: depth,
    integer size, finite numbers, string keys, no lone surrogate. Cheap when it passes (one
    walk without paths); the path of the first problem is found by a second walk.

    True when the cheap walk passed: no string, integer or float in ``value`` is of a
    subclass (a caller's own type, which a reader may convert), so a typed read that
    keeps values as given reads what pydantic would. False when the careful walk passed."""
    if _fine(value):
        return True
    for path, problem, got in _problems(value, prefix):
        raise InputError(source, path, problem, got)
    return False


def _fine(value: Any) -> bool:
    # The common case, kept fast: exact dicts and lists, scalars checked in line.
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        v, depth = pop()
        if type(v) is dict or isinstance(v, dict):
            if depth > MAX_DEPTH:
                return False
            for k in v:
                if type(k) is not str or len(k) > MAX_KEY or not (k.isascii() or _utf8(k)):
                    return False
            items: Any = v.values()
        elif type(v) is list or isinstance(v, list | tuple):
            if depth > MAX_DEPTH:
                return False
            items = v
        else:
            items = (v,)
            depth -= 1
        for x in items:
            tx = type(x)
            if tx is str:
                if not (x.isascii() or _utf8(x)):
                    return False
            elif tx is int:
                if not -MAX_INT <= x <= MAX_INT:
                    return False
            elif tx is float:
                if not math.isfinite(x):
                    return False
            elif tx is dict or tx is list or isinstance(x, dict | list | tuple):
                push((x, depth + 1))
            elif isinstance(x, str | int | float) and not isinstance(x, bool):
                return False  # a subclass: the careful walk decides
    return True


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _problems(value: Any, prefix: str) -> Iterator[tuple[str, str, object]]:
    """(JSON path, what was expected, what was found) of each problem, depth first in
    document order."""
    stack: list[tuple[Any, int, str]] = [(value, 1, prefix)]
    while stack:
        v, depth, path = stack.pop()
        if isinstance(v, _Bad):
            yield path, v.expected, v.text
            continue
        if isinstance(v, str):
            if not _utf8(v):
                yield path, "a string without a lone UTF-16 surrogate (\\ud800-\\udfff)", v
            continue
        if isinstance(v, bool):
            continue
        if isinstance(v, int):
            if not -MAX_INT <= v <= MAX_INT:
                yield path, f"an integer within ±{MAX_INT:,} (2**53 - 1)", _digits(v)
            continue
        if isinstance(v, float):
            if not math.isfinite(v):
                yield path, "a finite number (NaN and Infinity are not JSON)", str(v)
            continue
        if isinstance(v, dict | list | tuple):
            if depth > MAX_DEPTH:
                shown = path if len(path) <= 80 else f"{path[:60]}... ({depth - 1} levels)"
                yield shown, f"JSON nested at most {MAX_DEPTH} arrays and objects deep", None
                continue
            if isinstance(v, dict):
                children: list[tuple[Any, int, str]] = []
                for k, x in v.items():
                    if not isinstance(k, str):
                        yield path, "an object whose keys are strings", k
                        continue
                    if len(k) > MAX_KEY:
                        yield path, f"object keys of at most {MAX_KEY} characters", k
                        continue
                    where = _key_path(path, k)
                    if not _utf8(k):
                        yield where, "a key without a lone UTF-16 surrogate", k
                        continue
                    children.append((x, depth + 1, where))
            else:
                children = [(x, depth + 1, f"{path}[{i}]") for i, x in enumerate(v)]
            stack.extend(reversed(children))


def _digits(n: int) -> str:
    # str() of an int of 5,000 digits is refused by Python itself (and is quadratic).
    if n.bit_length() > 1000:
        return f"an integer of about {int(n.bit_length() * 0.30103):,} digits"
    return str(n)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _key_path(path: str, key: str) -> str:
    if _IDENT.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{echo(key, 40)}]"


# --- diagnosing a document that did not decode --------------------------------------------


class _Bad:
    """A value the precise read found out of bounds: its path is found by the walk."""

    __slots__ = ("expected", "text")

    def __init__(self, text: str, expected: str) -> None:
        self.text, self.expected = text, expected


def _constant(name: str) -> _Bad:
    return _Bad(name, "a finite number (NaN and Infinity are not JSON)")


def _int(text: str) -> int | _Bad:
    digits = len(text.lstrip("-"))
    if digits > 16:
        return _Bad(text if digits <= 40 else f"{text[:20]}... ({digits:,} digits)",
                    f"an integer within ±{MAX_INT:,} (2**53 - 1)")
    return int(text)


def _float(text: str) -> float | _Bad:
    value = float(text)
    if not math.isfinite(value):
        return _Bad(text[:40], "a number a double can hold (at most about 1.8e308)")
    return value


def _diagnose(data: Any, source: str, prefix: str, exc: BaseException) -> InputError:
    """The one clear message for a document that did not decode."""
    import json

    where = f"{prefix} " if prefix else ""
    if isinstance(exc, RecursionError):
        return _too_deep(data, source, where)
    size = len(data)
    if size <= _PRECISE_BELOW:
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line, col = _line_col(raw, err.start)
            return InputError(source, f"{where}line {line} column {col}",
                              f"UTF-8 text; byte 0x{raw[err.start]:02X} is not")
        try:
            value = json.loads(text, parse_constant=_constant, parse_int=_int,
                               parse_float=_float)
        except RecursionError:
            return _too_deep(data, source, where)
        except json.JSONDecodeError as err:
            if not text.strip():
                return InputError(source, prefix, "valid JSON (the file is empty)")
            return InputError(source, f"{where}line {err.lineno} column {err.colno}",
                              f"valid JSON ({err.msg})")
        for path, problem, got in _problems(value, prefix):
            return InputError(source, path, problem, got)
        # Python's reader took what msgspec did not: say what msgspec said.
        return InputError(source, prefix, f"valid JSON ({_plain(str(exc))})")
    message = str(exc)
    offset = re.search(r"\(byte (\d+)\)", message)
    if "Invalid UTF-8" in message:
        pos = _first_bad_utf8(data)
        line, col = _line_col(data, pos)
        return InputError(source, f"{where}line {line} column {col}", "UTF-8 text")
    if offset is not None:
        pos = int(offset.group(1))
        line, col = _line_col(data, pos)
        head = bytes(data[pos:pos + 9])
        if head.startswith((b"NaN", b"Infinity", b"-Infinity")):
            return InputError(source, f"{where}line {line} column {col}",
                              "a finite number (NaN and Infinity are not JSON)")
        return InputError(source, f"{where}line {line} column {col}",
                          f"valid JSON ({_plain(message)})")
    return InputError(source, prefix, f"valid JSON ({_plain(message)})")


def _plain(message: str) -> str:
    message = re.sub(r"\s*\(byte \d+\)", "", message)
    message = message.removeprefix("JSON is malformed: ")
    if message == "Input data was truncated":
        return "the text ends before the document does, or holds a lone surrogate"
    return message


def _too_deep(data: Any, source: str, where: str) -> InputError:
    pos = _depth_position(data)
    line, col = _line_col(data, pos)
    return InputError(source, f"{where}line {line} column {col}",
                      f"JSON nested at most {MAX_DEPTH} arrays and objects deep")


_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _depth_position(data: Any) -> int:
    depth = 0
    for match in _TOKENS.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in (b"]", b"}"):
            depth -= 1
    return 0


def _first_bad_utf8(data: Any) -> int:
    decoder = codecs.getincrementaldecoder("utf-8")()
    for lo in range(0, len(data), _CHUNK):
        chunk = bytes(data[lo:lo + _CHUNK])
        try:
            decoder.decode(chunk, final=lo + _CHUNK >= len(data))
        except UnicodeDecodeError as err:
            return max(0, lo + err.start - len(decoder.getstate()[0]))
    return 0


_NEWLINE = re.compile(b"\n")


def _line_col(data: Any, pos: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of byte ``pos``."""
    line, start = 1, 0
    for match in _NEWLINE.finditer(data, 0, pos):
        line += 1
        start = match.end()
    return line, pos - start + 1
