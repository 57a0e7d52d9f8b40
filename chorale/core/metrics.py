"""Prometheus instruments measured in the processes themselves (web and task workers); the
figures read from the database (flows, invoices, the queue) are collected at scrape time by
`chorale.ops`. With PROMETHEUS_MULTIPROC_DIR set (several gunicorn workers or task workers on one
machine), every process writes there and /metrics adds them up."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)

REQUEST_SECONDS = Histogram(
    "chorale_http_request_duration_seconds",
    "Time to answer an HTTP request, by view and status class.",
    ["method", "view", "status"],
    buckets=LATENCY_BUCKETS,
)
VALIDATION_SECONDS = Histogram(
    "chorale_validation_duration_seconds",
    "Time to validate one invoice document (schema, rules, reform rules), by syntax.",
    ["syntax"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5),
)


class RequestTimingMiddleware:
    """Observes every request's duration under its URL name (never its raw path: the label
    set stays small whatever the URLs carry)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        REQUEST_SECONDS.labels(request.method, view, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response
