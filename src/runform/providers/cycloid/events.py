"""The apply audit sink: one Cycloid event after each apply (and after a refusal), when
runform.yaml's `cycloid: events:` asks for it. A failing sink never fails the apply: what went
wrong is reported and the apply's own exit code stands."""

from __future__ import annotations

from runform.errors import RunformError
from runform.providers.cycloid.client import CycloidClient
from runform.providers.cycloid.models import EventSettings

SEVERITY = {"applied": "info", "failed": "err", "refused": "warn"}
COLOR = {"applied": "green", "failed": "red", "refused": "orange"}


async def send_event(
    client: CycloidClient, organization: str, settings: EventSettings, outcome: str, message: str
) -> str | None:
    """Send the event; None when sent, else why it was not."""
    body = {
        "type": "Custom",
        "title": settings.title,
        "message": message or outcome,
        "severity": SEVERITY[outcome],
        "tags": [*settings.tags, {"key": "outcome", "value": outcome}],
        "color": settings.color or COLOR[outcome],
    }
    try:
        await client.send("POST", f"/organizations/{organization}/events", body)
    except RunformError as err:
        return str(err)
    return None
