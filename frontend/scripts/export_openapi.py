"""Prints the gateway's merged OpenAPI document, built from the code, no server needed.

The same merge the running gateway serves at /api/v1/openapi.json, so the generated client
matches the code even while the local stack still runs an older build.
usage: .venv/bin/python frontend/scripts/export_openapi.py > frontend/openapi.json
"""

from __future__ import annotations

import json
import sys

from analytics.main import create_app as analytics_app
from contacts.main import create_app as contacts_app
from gateway.entrypoints.docs import merge
from gateway.main import create_app as gateway_app
from survey.main import create_app as survey_app


def main() -> None:
    # Keyed like GatewaySettings.upstream_replicas(): the merge names unreachable services by these keys.
    services = {
        "contacts": contacts_app().openapi(),
        "survey": survey_app().openapi(),
        "analytics": analytics_app().openapi(),
    }
    json.dump(merge(gateway_app().openapi(), services), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
