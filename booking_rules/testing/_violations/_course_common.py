"""What the course rules' provocations share: a client with a course of two items."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from ._build import Build


def new_course(b: Build, **limits: int) -> tuple[str, str, str, str]:
    """A client with a course (``limits``) of two items: (client, item, other item,
    service of the item)."""
    course = b.fresh("crs")
    b.add("courses", {"courseId": course, "name": "Laser x6", **limits})
    client, service, other_service = b.any_client(), b.any_service(), b.any_service()
    item, other = b.fresh("cci"), b.fresh("cci")
    b.add("clientCourses", {
        "clientCourseId": b.fresh("cc"), "clientId": client, "courseId": course,
        "expiryDate": (b.day + timedelta(days=400)).isoformat(), "archived": False,
        "clientCourseItems": [
            {"clientCourseItemId": item, "serviceId": service, "initialUnits": 6,
             "remainingUnits": 4},
            {"clientCourseItemId": other, "serviceId": other_service, "initialUnits": 6,
             "remainingUnits": 4}]})
    return client, item, other, service


def session_item_of(b: Build, item: str, other: str) -> tuple[str, str]:
    """One of the course's two items for an existing session, and its service."""
    chosen = b.draw(st.sampled_from((item, other)))
    for cc in b.doc["clientCourses"]:
        for it in cc["clientCourseItems"]:
            if it["clientCourseItemId"] == chosen:
                return chosen, str(it["serviceId"])
    raise AssertionError(chosen)
