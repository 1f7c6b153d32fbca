"""the dashboard's ABC split counts the customers its `customers` figure counts

0014's rollup counted every classified row in `class_A/B/C`, but the recompute classifies
every row of `customers`: leads without value (as C) and erased rows too. The dashboard
showed 199 customers and an ABC split adding up to 257. The triggers' functions are
redefined here with the one change that `class_*` counts `is_customer` rows only (the
condition of the `started` measure, whose sum is the dashboard's `customers`), and the
`class_*` measures are recounted from the table.

The statement of 0014 is read from its file (it is released and never changes), so the
functions stay identical to it but for that condition, and the downgrade restores them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVERY_CLASSIFIED = "FROM c WHERE abc_class IS NOT NULL GROUP BY abc_class"
_CUSTOMERS_CLASSIFIED = "FROM c WHERE is_customer AND abc_class IS NOT NULL GROUP BY abc_class"
# The classified rows, or only the customers among them (`is_customer` of 0014's statement).
_RECOUNT_CLASSES = """
INSERT INTO customer_figures (measure, value)
SELECT 'class_' || abc_class, count(*) FROM customers
WHERE abc_class IS NOT NULL
  AND (NOT :customers_only OR (erased_at IS NULL AND (orders > 0 OR lifecycle_stage <> 'lead')))
GROUP BY abc_class
"""


def _rollups_0014() -> ModuleType:
    path = Path(__file__).with_name("0014_dashboard_rollups.py")
    spec = importlib.util.spec_from_file_location("rollups_0014", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replace_functions(deltas: str) -> None:
    rollups = _rollups_0014()
    for kind, (_, changes) in rollups._CHANGES.items():
        name = f"customers_rollups_{kind.lower()}"
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{deltas.format(changes=changes)};\nRETURN NULL;\nEND\n$$"
        )


def _recount_classes(*, customers_only: bool) -> None:
    op.execute("DELETE FROM customer_figures WHERE measure IN ('class_A', 'class_B', 'class_C')")
    op.execute(
        sa.text(_RECOUNT_CLASSES).bindparams(
            sa.bindparam("customers_only", customers_only, type_=sa.Boolean)
        )
    )


def upgrade() -> None:
    # No writer may change customers between the recount and the new functions taking over.
    op.execute("LOCK TABLE customers IN SHARE MODE")
    deltas: str = _rollups_0014()._CUSTOMER_DELTAS
    assert deltas.count(_EVERY_CLASSIFIED) == 1
    _replace_functions(deltas.replace(_EVERY_CLASSIFIED, _CUSTOMERS_CLASSIFIED))
    _recount_classes(customers_only=True)


def downgrade() -> None:
    op.execute("LOCK TABLE customers IN SHARE MODE")
    _replace_functions(_rollups_0014()._CUSTOMER_DELTAS)
    _recount_classes(customers_only=False)
