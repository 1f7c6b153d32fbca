"""NPS answers per UTC day, one row per day with a column per category

bench/README.md measured the dashboard at 1M customers after 0014: NPS was 240 of its 302 ms
(p50), because every window read its whole hours from `nps_hours`, one row per hour and
category (about 26,000 rows a year). `nps_days` holds one row a day, the three categories
as columns: a year is 365 rows. The dashboard reads whole days here, the whole hours at a
window's edges from `nps_hours` (at most 23 on each side) and the partial hours from the
answers, so it stays exact for any moment.

Statement-level triggers with transition tables keep it, beside 0014's triggers on the same
statements (which keep `nps_hours`, still read for the edges): each statement that writes
answers adds what its new rows contribute and takes away what its old rows did, in one
grouped upsert; a change that moves nothing upserts nothing. The statement kinds and their
transition tables are 0014's, read from its file (it is released and never changes).

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-28
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CATEGORIES = {"promoters": "promoter", "passives": "passive", "detractors": "detractor"}
_SUMS = ",\n       ".join(
    f"COALESCE(sum(sign) FILTER (WHERE category = '{category}'), 0)"
    for category in _CATEGORIES.values()
)
_MOVED = " OR ".join(
    f"sum(sign) FILTER (WHERE category = '{category}') <> 0" for category in _CATEGORIES.values()
)
_ADDED = ", ".join(f"{column} = nps_days.{column} + excluded.{column}" for column in _CATEGORIES)
# What the rows of `changes` (sign, then every answer column) contribute, as one upsert.
_DAY_DELTAS = f"""
INSERT INTO nps_days (day, {", ".join(_CATEGORIES)})
SELECT date_trunc('day', responded_at, 'UTC'),
       {_SUMS}
FROM ({{changes}}) AS changes
GROUP BY 1 HAVING {_MOVED}
ORDER BY 1
ON CONFLICT (day) DO UPDATE SET {_ADDED}
"""  # noqa: S608


def _changes_0014() -> dict[str, tuple[str, str]]:
    """Per statement kind, its REFERENCING clause and the signed rows it changed."""
    path = Path(__file__).with_name("0014_dashboard_rollups.py")
    spec = importlib.util.spec_from_file_location("rollups_0014", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    changes: dict[str, tuple[str, str]] = module._CHANGES
    return changes


def upgrade() -> None:
    op.create_table(
        "nps_days",
        sa.Column("day", sa.DateTime(timezone=True), primary_key=True),
        *(sa.Column(column, sa.Integer, nullable=False) for column in _CATEGORIES),
    )
    # No writer may add answers between the count and the triggers taking over.
    op.execute("LOCK TABLE nps_responses IN SHARE MODE")
    op.execute(_DAY_DELTAS.format(changes="SELECT 1 AS sign, * FROM nps_responses"))
    for kind, (referencing, changes) in _changes_0014().items():
        name = f"nps_responses_days_{kind.lower()}"
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{_DAY_DELTAS.format(changes=changes)};\nRETURN NULL;\nEND\n$$"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {kind} ON nps_responses {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    for kind in _changes_0014():
        name = f"nps_responses_days_{kind.lower()}"
        op.execute(f"DROP TRIGGER {name} ON nps_responses")
        op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("nps_days")
