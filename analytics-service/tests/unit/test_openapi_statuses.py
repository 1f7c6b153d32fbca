"""The OpenAPI document names every status a route answers: schemathesis found 404s and
409s that clients could not know of (the document listed only 200, 400, 401 and 422)."""

from __future__ import annotations

import pytest

from analytics.main import create_app
from analytics.settings import AnalyticsSettings

DOCUMENT = create_app(AnalyticsSettings(run_background=False)).openapi()


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("get", "/api/v1/analytics/customers/{contact_id}", {"404"}),
        ("get", "/api/v1/analytics/customers/{contact_id}/offers", {"404"}),
        ("get", "/api/v1/analytics/clv/runs/{run_id}", {"404"}),
        ("get", "/api/v1/analytics/associations/runs/{run_id}", {"404"}),
        ("get", "/api/v1/analytics/dashboard", {"404"}),
        ("get", "/api/v1/analytics/churn/reasons", {"404"}),
        ("get", "/api/v1/analytics/nps/drivers", {"404"}),
        ("get", "/api/v1/analytics/segments/recompute/{job_id}", {"404"}),
        ("post", "/api/v1/analytics/segments", {"409"}),
        ("get", "/api/v1/analytics/segments/{segment_id}", {"404"}),
        ("patch", "/api/v1/analytics/segments/{segment_id}", {"404", "409"}),
        ("delete", "/api/v1/analytics/segments/{segment_id}", {"404"}),
        ("get", "/api/v1/analytics/segments/{segment_id}/members", {"404"}),
    ],
)
def test_the_domain_errors_a_route_answers_are_documented_as_problems(
    method: str, path: str, statuses: set[str]
) -> None:
    responses = DOCUMENT["paths"][path][method]["responses"]

    assert statuses <= responses.keys()
    for status in statuses:
        assert "application/problem+json" in responses[status]["content"]
