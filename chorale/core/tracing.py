"""A request id for every request, carried into the tasks it enqueues and into every log line
(structured JSON logs in production), so that one deposit can be followed from the HTTP call
to the worker that processed it."""

import contextlib
import functools
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="")
VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "X-Request-ID"


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def request_id_set(value: str) -> Iterator[str]:
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


class RequestIdMiddleware:
    """Take the caller's X-Request-ID when it is sane (a proxy's, an ERP's), else make one;
    echo it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        value = given if VALID.match(given) else new_request_id()
        request.request_id = value  # type: ignore[attr-defined]
        with request_id_set(value):
            response = self.get_response(request)
        response[HEADER] = value
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def traced[T](func: Callable[..., T]) -> Callable[..., T]:
    """For a task function: accepts the `request_id` its enqueuer passed and runs under it
    (a task enqueued outside any request gets an id of its own)."""

    @functools.wraps(func)
    def run(*args: Any, request_id: str = "", **kwargs: Any) -> T:
        with request_id_set(request_id or new_request_id()):
            return func(*args, **kwargs)

    return run


def enqueue(task: Any, **kwargs: Any) -> Any:
    """Enqueue a traced task with the current request id."""
    return task.enqueue(request_id=current_request_id(), **kwargs)
