"""the recompute's update of every customer stays on its page, and skips the hourly rollups

bench/recompute.py at 200k customers: the recompute's one `UPDATE customers` of the score
columns (every row, on every run) took 31 s of 82 s. Two causes, both fixed here:

- Only about 40 % of those updates were HOT. At fillfactor 70 a page (rows of about 260
  bytes) has room for the new versions of about 8 of its 20 rows; the others go to another
  page and insert into all seven indexes of the table. At fillfactor 45 every row's next
  version fits on its own page (measured: 100 % HOT, 5x faster on a copy of the table), and
  the next recompute's scan of the table prunes the old versions again. The table is
  rewritten (CLUSTER by its primary key) so the existing pages get the room too; it grows
  by about 1.6x.
- The update's statement trigger (0014/0015) spent 40 % of the statement grouping two
  million transition rows into the hourly rollups, where every one of them cancels out: the
  recompute writes none of the columns the hours count. Its transaction now sets
  `analytics.recompute_scores_only` for that statement, and the UPDATE trigger then adds
  only the risks and figures (which do follow the scores). The rows still come from the
  transition tables, so the figures stay exact whatever a concurrent writer changed.

The functions are built from 0014's statement as 0015 changed it (both are read from their
files: released, never changed), split into the hours part and the rest.

Revision ID: 0017_recompute_in_place
Revises: 0016
Create Date: 2026-11-28
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0017_recompute_in_place"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Set (transaction-locally) by the recompute around its UPDATE of the score columns only.
SCORES_ONLY = "analytics.recompute_scores_only"
_HOURS = "hours AS (\n"
_AFTER_HOURS = "\n),\nrisks AS ("


def _migration(name: str) -> ModuleType:
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _deltas_0015() -> tuple[ModuleType, ModuleType, str]:
    rollups = _migration("0015_abc_rollup_customers_only.py")
    rollups_0014 = rollups._rollups_0014()
    deltas: str = rollups_0014._CUSTOMER_DELTAS.replace(
        rollups._EVERY_CLASSIFIED, rollups._CUSTOMERS_CLASSIFIED
    )
    return rollups, rollups_0014, deltas


def upgrade() -> None:
    _, rollups_0014, deltas = _deltas_0015()
    assert deltas.count(_HOURS) == 1
    assert deltas.count(_AFTER_HOURS) == 1
    head, _, tail = deltas.partition(_HOURS)
    hours, _, rest = tail.partition(_AFTER_HOURS)
    # `head` is the WITH of the changed rows and `c`, ending in the comma before `hours`.
    hours_part = head.rstrip().removesuffix(",") + "\n" + hours
    scores_part = head + "risks AS (" + rest
    changes = rollups_0014._CHANGES["UPDATE"][1]
    op.execute(
        "CREATE OR REPLACE FUNCTION customers_rollups_update() RETURNS trigger"
        " LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"IF current_setting('{SCORES_ONLY}', true) IS DISTINCT FROM 'on' THEN\n"
        f"{hours_part.format(changes=changes)};\nEND IF;\n"
        f"{scores_part.format(changes=changes)};\nRETURN NULL;\nEND\n$$"
    )
    op.execute("ALTER TABLE customers SET (fillfactor = 45)")
    op.execute("CLUSTER customers USING pk_customers")


def downgrade() -> None:
    rollups, _, deltas = _deltas_0015()
    op.execute("ALTER TABLE customers SET (fillfactor = 70)")
    op.execute("CLUSTER customers USING pk_customers")
    rollups._replace_functions(deltas)
