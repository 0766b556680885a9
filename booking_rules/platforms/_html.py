"""Reading an HTML error page (a gateway's, a framework's) as text, in time linear in its
length, for any platform's body reader.

Each step scans forward once with ``str.find`` or a regular expression anchored on a
literal, and stops at the first construct left open: a regular expression such as
``<!--.*?-->`` retried from every ``<!--`` of a page that never closes one is quadratic
(160 KB of ``<!--`` took 28 s). The result is what those expressions gave, in this order:
``script`` and ``style`` elements, then comments, then tags, each replaced by a space; an
element, comment or tag left open stays as text.
"""

from __future__ import annotations

import html
import re

_RAW_OPEN = re.compile(r"<(script|style)\b", re.I)
_RAW_CLOSE = {"script": re.compile(r"</script\s*>", re.I),
              "style": re.compile(r"</style\s*>", re.I)}
_TITLE_OPEN = re.compile(r"<title", re.I)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.I)


def page_title(page: str) -> str | None:
    """The first ``<title ...>...</title>``'s text, unescaped, whitespace collapsed (None
    without one)."""
    opened = _TITLE_OPEN.search(page)
    if opened is None:
        return None
    # The first ``>`` after the first ``<title`` ends every ``<title`` before it, and a
    # later ``<title`` could only find a later ``</title>``: the first decides.
    inside = page.find(">", opened.end())
    if inside < 0:
        return None
    closed = _TITLE_CLOSE.search(page, inside + 1)
    if closed is None:
        return None
    return " ".join(html.unescape(page[inside + 1:closed.start()]).split())


def page_text(page: str) -> str:
    """The page's text: scripts, styles, comments and tags removed, entities unescaped,
    whitespace collapsed."""
    text = _drop_raw_elements(page)
    text = _drop_between(text, "<!--", "-->")
    text = _drop_between(text, "<", ">")
    return " ".join(html.unescape(text).split())


def _drop_raw_elements(page: str) -> str:
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # elements with no closing tag after some opening one
    for opened in _RAW_OPEN.finditer(page):
        name = opened.group(1).lower()
        if opened.start() < pos or name in unclosed:
            continue
        closed = _RAW_CLOSE[name].search(page, opened.end())
        if closed is None:
            # None after this opening tag: none after any later one either.
            unclosed.add(name)
            continue
        out += (page[pos:opened.start()], " ")
        pos = closed.end()
    out.append(page[pos:])
    return "".join(out)


def _drop_between(text: str, start: str, end: str) -> str:
    """``text`` with each ``start ... end`` (the nearest ``end``) replaced by a space."""
    out: list[str] = []
    pos = 0
    while True:
        first = text.find(start, pos)
        if first < 0:
            break
        last = text.find(end, first + len(start))
        if last < 0:
            break  # open to the end: no later one can close either
        out += (text[pos:first], " ")
        pos = last + len(end)
    out.append(text[pos:])
    return "".join(out)
