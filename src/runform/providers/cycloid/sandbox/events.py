"""The organization's events: `sendEvent` stores one, `getEvents` reads a time range.

`begin` and `end` (Unix milliseconds) are required; `type` and `severity` filter by any of the
values given."""

from __future__ import annotations

import time

from starlette.responses import JSONResponse, Response

from runform.providers.cycloid.sandbox import validation as v
from runform.providers.cycloid.sandbox.context import Context, data
from runform.providers.cycloid.sandbox.errors import ApiError

# CSS 2's colour keywords (https://www.w3.org/TR/CSS2/syndata.html#value-def-color).
CSS2_COLORS = frozenset(
    (
        "aqua",
        "black",
        "blue",
        "fuchsia",
        "gray",
        "green",
        "lime",
        "maroon",
        "navy",
        "olive",
        "orange",
        "purple",
        "red",
        "silver",
        "teal",
        "white",
        "yellow",
    )
)


def send_event(ctx: Context) -> Response:
    body = v.check(ctx.body, v.EVENT)
    problems = [
        f"tags.{index}: needs a string key and value"
        for index, tag in enumerate(body["tags"])
        if not isinstance(tag.get("key"), str) or not isinstance(tag.get("value"), str)
    ]
    if "color" in body and body["color"] not in CSS2_COLORS:
        problems.append("color: must be a CSS 2 colour keyword")
    if problems:
        raise ApiError.invalid(problems)
    event = {**body, "id": ctx.store.next_id(), "timestamp": int(time.time() * 1000)}
    ctx.store.put("event", ctx.organization, str(event["id"]), event)
    return data(None)


def get_events(ctx: Context) -> Response:
    bounds = {}
    problems = []
    for name in ("begin", "end"):
        text = ctx.one(name)
        if text is None or not text.isdigit():
            problems.append(f"{name}: is required, in Unix milliseconds")
        else:
            bounds[name] = int(text)
    types, severities = ctx.query.get("type", []), ctx.query.get("severity", [])
    problems += [
        f"type: {t!r} is not one of {list(v.EVENT_TYPES)}" for t in types if t not in v.EVENT_TYPES
    ]
    problems += [
        f"severity: {s!r} is not one of {list(v.EVENT_SEVERITIES)}"
        for s in severities
        if s not in v.EVENT_SEVERITIES
    ]
    if problems:
        raise ApiError.invalid(problems)
    found = [
        e
        for e in ctx.store.all("event", ctx.organization)
        if bounds["begin"] <= e["timestamp"] <= bounds["end"]
        and (not types or e["type"] in types)
        and (not severities or e["severity"] in severities)
    ]
    return JSONResponse({"data": found})
