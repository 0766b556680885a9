"""What a PNE answer means, status first, and what to do; and what cannot be known.

Each reading says what the status means at PNE (from its guide: a bad gateway key or user
is 401; writes are live, there is no sandbox; a gateway key has a daily request budget),
names what the body and the cache can and cannot tell apart, and gives remedies with the
endpoint to look at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import PneResponse

# What is never knowable from a PNE answer, whatever it is (PNE publishes no codes).
ALWAYS_UNKNOWN = (
    "PNE publishes no error codes and no error body shape, so which of its checks refused "
    "the request cannot be read from the answer: what the check finds is the engine's "
    "reading of the cache, not PNE's word.",
)


@dataclass(frozen=True)
class Reading:
    """A status read: what it means, what to do (action, endpoint), what stays unknown,
    and whether it is about the request at all (401, 429 and 5xx are not)."""

    meaning: str
    remedies: Sequence[tuple[str, str]]
    unknown: Sequence[str]
    about_request: bool


def _mentions(text: str, *words: str) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def read_status(response: PneResponse, write: str) -> Reading:
    """The reading of ``response`` to ``write`` (``POST /appointments`` or ``POST
    /orders``)."""
    status, text = response.status, response.text
    if status == 401:
        key = _mentions(text, "apikey", "api key", "subscription", "gateway", "quota key")
        user = _mentions(text, "user", "password", "credential", "authoriz", "basic")
        if key and not user:
            meaning = ("401: the body names the gateway key: the `apikey` query parameter "
                       "is missing, wrong, or not valid for this API.")
        elif user and not key:
            meaning = ("401: the body names the user: the Basic `Authorization` header "
                       "(USERNAME:PASSWORD) is missing or wrong.")
        else:
            meaning = ("401: PNE needs two credentials on every call, the gateway key "
                       "(`apikey` query parameter) and a user (HTTP Basic); a bad key or a "
                       "bad user both give 401, and this body does not say which.")
        return Reading(meaning, (
            ("call GET /status with the same key and user: a 401 there too means the "
             "credentials, not this request", "GET /status?apikey=..."),
            ("check the `apikey` is on the query string of every call (not a header)", ""),
            ("check the Basic header: base64 of USERNAME:PASSWORD", ""),
        ), ("which of the two credentials was refused, unless the body names it",),
            False)
    if status == 403:
        return Reading(
            "403: the credentials were read but may not do this. A VISH key cannot write "
            "appointments (VISH is read-only there) or reach customers, products and "
            "ShowAvailable.", (("check the key is a PatientNow Essentials key, not VISH "
                                "(check with --platform vish to see what VISH refuses)",
                                ""),),
            ("whether the key's product or the user's role refused it",), False)
    if status == 404:
        return Reading(
            f"404: the path or an id in it is not known to PNE. For {write} the path has "
            "no id, so the endpoint itself was not found (a VISH key has no "
            "ShowAvailable or customers), or an id inside the body made PNE answer 404.",
            (("compare the base URL with https://api.envisiongo.com/api/v1", ""),
             ("look each id up: GET /employees, /services, /customers with CompanyId",
              "GET /employees?CompanyId=...")),
            ("which id PNE did not find: the body does not name it",), True)
    if status == 409:
        return Reading(
            "409: a conflict with the current state: for an appointment, most likely the "
            "time is no longer free (another booking took it after the cache was read).",
            (("read the employee's appointments for that day again and re-check",
              "GET /appointments?CompanyId=...&EmployeeId=..."),
             ("ask ShowAvailable for the day and pick a slot it offers",
              "GET /appointments/ShowAvailable")),
            ("what PNE found in conflict: the body does not say",), True)
    if status == 429:
        wait = (f" It asked to wait {response.retry_after} s (Retry-After)."
                if response.retry_after else "")
        return Reading(
            "429: the gateway's request budget is spent (a third-party note gives 1,000 "
            f"requests a day per key; unconfirmed).{wait} Nothing was written.",
            (("wait (Retry-After, or until the budget resets) before sending again", ""),
             ("read from the local snapshot instead of PNE: check, slots and explain need "
              "no request", "")),
            ("the real budget and when it resets: PNE does not publish them",), False)
    if status is not None and status >= 500:
        return Reading(
            f"{status}: PNE failed on its side. Writes are live and not idempotent: the "
            "appointment or order may have been written before the error.",
            (("before sending again, read back: the customer's appointments or the "
              "orders of the day", "POST /customers/{id}/Appointments, GET /orders"),
             ("retry later, once, only if the read-back shows nothing written", "")),
            ("whether the write happened: only a read-back can tell",), False)
    if status is not None and 200 <= status < 300:
        return Reading(f"{status}: PNE accepted the request; there is nothing to explain.",
                       (), (), False)
    said = f"{status}" if status is not None else "An answer without a status"
    return Reading(
        f"{said}: PNE did not accept the request. Without codes, its validation text is "
        "all it says" + (f": \"{response.text[:300]}\"." if response.text else " (none "
                         "here)."),
        (("correct what the check reports, then send again", ""),),
        ("which rule of PNE's refused it, beyond what the text says",), True)
