"""Cycloid's error document, `{"errors": [{"code", "message", "details"}]}`, as the sandbox
answers it.

The reference shows the envelope but lists no codes; the sandbox names each code after its
HTTP status (docs/design.md, Cycloid unknowns), and clients map on the code.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

CODES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    411: "LengthRequired",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


class ApiError(Exception):
    """One failed request: its status and the errors it reports."""

    def __init__(self, status: int, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.errors = [{"code": CODES[status], "message": message, "details": details or []}]
        self.headers: dict[str, str] = {}

    @classmethod
    def invalid(cls, problems: list[str]) -> ApiError:
        return cls(422, "the request is not valid", problems)

    def response(self) -> JSONResponse:
        return JSONResponse({"errors": self.errors}, status_code=self.status, headers=self.headers)
