from __future__ import annotations

import pytest

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.errors import RunformError
from runform.providers.cutover.api import (
    AmbiguousWrite,
    ApiError,
    BadRequest,
    CutoverClient,
    EndpointTooNew,
    ErrorObject,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    ValidationFailed,
)
from runform.providers.cutover.api.errors import error_class_for
from runform.providers.cutover.sandbox import SANDBOX_TOKEN


def test_validation_message_names_resource_and_field():
    err = ValidationFailed(
        "POST",
        "/core/runbooks/7/tasks",
        status=422,
        errors=[
            ErrorObject.from_json(
                {
                    "status": "422",
                    "detail": "must be greater than 0",
                    "code": "greater_than",
                    "source": {"pointer": "/data/attributes/duration"},
                }
            )
        ],
    )
    assert err.describe('task "Back up ledger"') == (
        'task "Back up ledger" duration: must be greater than 0 (code greater_than)'
    )
    assert (
        str(err)
        == "POST /core/runbooks/7/tasks duration: must be greater than 0 (code greater_than)"
    )
    assert err.codes == ["greater_than"]
    assert isinstance(err, RunformError)


def test_several_errors_stay_on_one_line():
    err = ValidationFailed(
        "POST",
        "/core/runbooks",
        status=422,
        errors=[
            ErrorObject(detail="can't be blank", code="blank", pointer="/data/attributes/name"),
            ErrorObject(detail="is invalid", code="invalid", pointer="/data/relationships/folder"),
        ],
    )
    message = err.describe('runbook "R"')
    assert "\n" not in message
    assert message == (
        'runbook "R" name: can\'t be blank (code blank); '
        'runbook "R" folder: is invalid (code invalid)'
    )


def test_parameter_source_and_nested_pointer():
    assert ErrorObject.from_json({"source": {"parameter": "page[size]"}}).field == (
        "parameter page[size]"
    )
    nested = ErrorObject.from_json(
        {"source": {"pointer": "/data/attributes/custom_field_values/0"}}
    )
    assert nested.field == "custom_field_values.0"
    assert ErrorObject.from_json("odd").detail == "odd"


def test_endpoint_too_new_is_explained():
    err = EndpointTooNew("DELETE", "/core/runbooks/1/tasks/2", status=405)
    assert "this endpoint is newer than your Cutover instance" in str(err)
    assert err.describe('task "X"').startswith('task "X": this endpoint is newer')


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequest),
        (401, Unauthorized),
        (403, Forbidden),
        (404, NotFound),
        (405, EndpointTooNew),
        (409, BadRequest),
        (422, ValidationFailed),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_maps_to_class(status, cls):
    assert error_class_for(status) is cls
    assert issubclass(cls, ApiError)


def test_ambiguous_write_carries_body_and_says_so():
    body = {"data": {"type": "task", "attributes": {"name": "Deploy"}}}
    err = AmbiguousWrite("POST", "/core/runbooks/1/tasks", body, reason="no complete response")
    assert err.body == body
    assert err.method == "POST"
    assert err.describe('task "Deploy"') == 'task "Deploy": no complete response'


def test_detail_repeating_the_field_name_is_not_doubled():
    error = ErrorObject(
        detail="Start scheduled can't be blank",
        code="blank",
        pointer="/data/attributes/start_scheduled",
    )
    assert error.sentence() == "start_scheduled: can't be blank (code blank)"
    assert ErrorObject(detail="name", pointer="/data/attributes/name").sentence() == "name: name"


@pytest.mark.anyio
async def test_the_client_s_own_message_names_what_was_sent(sandbox):
    """Raised by the client itself (no label from the caller): the body names the task."""
    transport = InProcessTransport(app=sandbox.app)
    async with CutoverClient(sandbox.base_url, SANDBOX_TOKEN, transport) as client:
        workspace = (await client.list("/core/workspaces"))[0]
        runbook = await client.create(
            "/core/runbooks", "runbook", {"name": "R"}, {"workspace": workspace}
        )
        stream = await client.create(
            f"/core/runbooks/{runbook.id}/streams", "stream", {"name": "S"}
        )
        with pytest.raises(ValidationFailed) as refused:
            await client.create(
                f"/core/runbooks/{runbook.id}/tasks",
                "task",
                {"name": "Back up ledger", "duration": -5},
                {"stream": stream},
            )
    assert str(refused.value).startswith('task "Back up ledger" duration: must be greater than')
    assert "(code greater_than" in str(refused.value)
