"""The web app: its assets under /assets, and index.html for / and every client-side route."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

# The router in the browser owns every other path; these stay the server's.
SERVER_PREFIXES = ("api/", "assets/", "health/", "metrics")


def mount_spa(app: FastAPI, dist: Path) -> None:
    """Call after every other route: the catch-all must come last."""
    index = dist / "index.html"
    # Hashed file names: a new build never reuses a URL, so a missing file is a 404, not the app.
    app.mount("/assets", StaticFiles(directory=dist / "assets", check_dir=False), name="spa-assets")

    @app.get("/{path:path}", include_in_schema=False)
    async def web_app(path: str) -> Response:
        if path.startswith(SERVER_PREFIXES):
            raise HTTPException(status_code=404)
        if not index.is_file():
            # Not built (a checkout without `make frontend-build`): the API documentation instead.
            return RedirectResponse("/api/docs")
        # index.html names the current assets, so browsers must revalidate it on every visit.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
