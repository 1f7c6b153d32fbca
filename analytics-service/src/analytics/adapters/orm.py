"""analytics-service's read model: its own copy of what the other services told it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    func,
    literal_column,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from treue.db import make_metadata
from treue.runtime_settings import add_runtime_settings_table
from treue.tables import add_backbone_tables

metadata = make_metadata()
backbone = add_backbone_tables(metadata)
runtime_settings = add_runtime_settings_table(metadata)

Money = Numeric(14, 2)

customers = Table(
    "customers",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_version", Integer, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("email", String(320)),
    Column("company", String(200)),
    Column("language", String(2), nullable=False),
    Column("lifecycle_stage", String(20), nullable=False),
    Column("tags", ARRAY(String(50)), nullable=False, server_default="{}"),
    Column("acquisition_channel", String(100)),
    Column("acquisition_cost", Money),
    Column("became_contact_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Historical value (A1), kept current by the order and interaction events.
    Column("currency", String(3)),
    Column("revenue", Money, nullable=False, server_default="0"),
    Column("cost", Money, nullable=False, server_default="0"),
    Column("service_cost", Money, nullable=False, server_default="0"),
    Column("margin", Money, Computed("revenue - cost", persisted=True), nullable=False),
    Column(
        "net_value",
        Money,
        Computed("revenue - cost - service_cost - COALESCE(acquisition_cost, 0)", persisted=True),
        nullable=False,
    ),
    Column("orders", Integer, nullable=False, server_default="0"),
    Column("first_order_at", DateTime(timezone=True)),
    Column("last_order_at", DateTime(timezone=True)),
    # Predictions (A2) of the last successful CLV run.
    Column("clv", Money),
    Column("expected_purchases_12m", Float),
    Column("p_alive", Float),
    Column("clv_run_id", UUID(as_uuid=True)),
    # Segmentation (A3): recomputed over all customers after each CLV run and on demand.
    Column("abc_class", String(1)),
    Column("rfm_recency", SmallInteger),
    Column("rfm_frequency", SmallInteger),
    Column("rfm_monetary", SmallInteger),
    Column("rfm", String(3)),
    # Churn risk (A4): the score, what drives it, and whether its crossing of the threshold
    # was announced (so it is announced once per crossing).
    Column("churn_risk", Float),
    Column("churn_drivers", ARRAY(String(40))),
    Column("churn_alerted", Boolean, nullable=False, server_default="false"),
    Column("churned_at", DateTime(timezone=True)),
    Column("won_back_at", DateTime(timezone=True)),
    # Set when the contact was erased (GDPR): the row is anonymous (personal data gone, a
    # fresh random id) and stays only so that totals and value shares do not change.
    Column("erased_at", DateTime(timezone=True)),
    Index("ix_customers_became_contact_at", "became_contact_at", "contact_id"),
    Index("ix_customers_net_value", "net_value", "contact_id"),
    # The edges of the dashboard's windows (migration 0014); the recompute writes none of
    # these columns, so its updates stay HOT.
    Index("ix_customers_last_order_at", "last_order_at"),
    Index(
        "ix_customers_churned_at",
        "churned_at",
        postgresql_where=literal_column("churned_at IS NOT NULL"),
    ),
    Index(
        "ix_customers_started",
        func.least(literal_column("became_contact_at"), literal_column("first_order_at")),
    ),
    Index(
        "ix_customers_started_churned",
        func.greatest(
            func.least(literal_column("became_contact_at"), literal_column("first_order_at")),
            literal_column("churned_at"),
        ),
        postgresql_where=literal_column("churned_at IS NOT NULL"),
    ),
    # The recompute rewrites every row: room on each page for every row's next version
    # keeps those updates HOT (migration 0017).
    postgresql_with={"fillfactor": 45},
)

# Orders and interactions are kept one row each: their ids make a replayed event a no-op,
# and the customer's totals can be recomputed from them.
orders = Table(
    "orders",
    metadata,
    Column("order_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("ordered_at", DateTime(timezone=True), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("revenue", Money, nullable=False),
    Column("cost", Money, nullable=False),
    # When analytics recorded it (not when it was placed): the cohorts add the orders
    # recorded since the last association run to its counts (migration 0022).
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Covering: a segment's dashboard reads each member's revenue from it (migration 0020).
    Index("ix_orders_contact_id", "contact_id", "ordered_at", postgresql_include=["revenue"]),
    Index("ix_orders_ordered_at", "ordered_at"),
    Index("ix_orders_recorded_at", "recorded_at"),
)

# Each customer's purchase summary for the CLV fit, recounted from their orders by a
# statement trigger on every write to `orders` (migration 0021): first and last purchase day
# (UTC), purchase days, orders, and the revenue of the days after the first. `currency` is
# NULL when the orders are in several currencies (the fit reads those from the orders).
customer_purchases = Table(
    "customer_purchases",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("currency", String(3)),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("days", Integer, nullable=False),
    Column("orders", Integer, nullable=False),
    Column("repeat_revenue", Numeric(18, 2), nullable=False),
)

# The lines of each order as sold (product, quantity, revenue, cost): offer margins and
# co-purchases. Keyed by order and line number, so a replayed order adds nothing.
order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", UUID(as_uuid=True), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("ordered_at", DateTime(timezone=True), nullable=False),
    Column("product_id", UUID(as_uuid=True), nullable=False),
    Column("sku", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("quantity", Numeric(12, 3), nullable=False),
    Column("revenue", Money, nullable=False),
    Column("cost", Money, nullable=False),
    Index("ix_order_lines_contact_id", "contact_id"),
    Index("ix_order_lines_product_id", "product_id", "ordered_at"),
    Index("ix_order_lines_ordered_at", "ordered_at"),
)

# Revenue and orders per UTC hour and currency, added to by each order as it is recorded:
# the dashboard's windows read whole hours here and only their partial edge hours from
# orders, and convert each currency into the reporting currency.
revenue_hours = Table(
    "revenue_hours",
    metadata,
    Column("hour", DateTime(timezone=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("revenue", Numeric(18, 2), nullable=False),
    Column("orders", Integer, nullable=False),
)

# The dashboard's rollups, kept by statement-level triggers on customers and nps_responses
# (migration 0014): every statement adds what its new rows contribute and takes away what
# its old rows did. Customers per measure and UTC hour ("started", "active", "churned",
# "started_churned"); customers not churned per churn-risk score; the CLV count and total
# and the ABC split ("with_clv", "total_clv", "class_A", ...); NPS answers per hour.
customer_hours = Table(
    "customer_hours",
    metadata,
    Column("measure", String(20), primary_key=True),
    Column("hour", DateTime(timezone=True), primary_key=True),
    Column("customers", Integer, nullable=False),
)

customer_risks = Table(
    "customer_risks",
    metadata,
    Column("risk", Float, primary_key=True),
    Column("customers", Integer, nullable=False),
)

customer_figures = Table(
    "customer_figures",
    metadata,
    Column("measure", String(20), primary_key=True),
    Column("value", Numeric(20, 2), nullable=False),
)

nps_hours = Table(
    "nps_hours",
    metadata,
    Column("hour", DateTime(timezone=True), primary_key=True),
    Column("category", String(20), primary_key=True),
    Column("responses", Integer, nullable=False),
)

# The newest version of each product as contacts-service announced it: what offers and
# margins call a product. Order lines keep the SKU as sold.
products = Table(
    "products",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("sku", String(100), nullable=False),
    Column("name", String(300), nullable=False),
)

# Co-purchase associations as the last `product-associations` run counted them (migration
# 0022): next best offers and prospects read these instead of every order line.
association_products = Table(
    "association_products",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("position", Integer, nullable=False, unique=True),
    Column("sku", String(100), nullable=False),
    Column("buyers", Integer, nullable=False),
    Column("together", LargeBinary, nullable=False),
)

association_sales = Table(
    "association_sales",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("margin", Numeric(20, 2), nullable=False),
    Column("lines", BigInteger, nullable=False),
)

association_totals = Table(
    "association_totals",
    metadata,
    Column("population", BigInteger, nullable=False),
    Column("counted_at", DateTime(timezone=True), primary_key=True),
)

# Acquisition cohorts of the orders before the last association run (migration 0022).
cohort_months = Table(
    "cohort_months",
    metadata,
    Column("cohort", DateTime(timezone=True), primary_key=True),
    Column("month", DateTime(timezone=True), primary_key=True),
    Column("customers", BigInteger, nullable=False),
)

cohort_revenue = Table(
    "cohort_revenue",
    metadata,
    Column("cohort", DateTime(timezone=True), primary_key=True),
    Column("month", DateTime(timezone=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("revenue", Numeric(20, 2), nullable=False),
    Column("orders", BigInteger, nullable=False),
)

# Offer margins of the lines before the last association run (migration 0024): sums per
# product, month and currency; the customers by the month of their last purchase, as
# counts, as the run's numbers (for unions of products), and apart for those who bought a
# product in several currencies; the orders with lines per month and currency.
margin_months = Table(
    "margin_months",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("month", DateTime(timezone=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("quantity", Numeric(20, 3), nullable=False),
    Column("revenue", Numeric(20, 2), nullable=False),
    Column("cost", Numeric(20, 2), nullable=False),
    Column("lines", BigInteger, nullable=False),
    Column("orders", BigInteger, nullable=False),
    Column("last_buyers", BigInteger, nullable=False),
)

margin_mixed_buyers = Table(
    "margin_mixed_buyers",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("month", DateTime(timezone=True), nullable=False),
)

margin_customers = Table(
    "margin_customers",
    metadata,
    Column("product_id", UUID(as_uuid=True), primary_key=True),
    Column("month", DateTime(timezone=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("customers", LargeBinary, nullable=False),
)

margin_orders = Table(
    "margin_orders",
    metadata,
    Column("month", DateTime(timezone=True), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("orders", BigInteger, nullable=False),
)

# One row per UTC day, the categories as columns (migration 0019): the dashboard's NPS
# windows read whole days here, whole hours at their edges from nps_hours.
nps_days = Table(
    "nps_days",
    metadata,
    Column("day", DateTime(timezone=True), primary_key=True),
    Column("promoters", Integer, nullable=False),
    Column("passives", Integer, nullable=False),
    Column("detractors", Integer, nullable=False),
)

interactions = Table(
    "interactions",
    metadata,
    Column("interaction_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("sentiment", String(20)),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("cost", Money),
    Index("ix_interactions_contact_id", "contact_id", "occurred_at"),
)

# The newest version of each contract and revision of each NPS response: churn-risk signals.
contracts = Table(
    "contracts",
    metadata,
    Column("contract_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("end_date", Date, nullable=False),
    Column("auto_renew", Boolean, nullable=False),
    # end_date - notice_period_days: the last day to decide about the renewal
    Column("notice_date", Date),
    Index("ix_contracts_contact_id", "contact_id"),
    Index(
        "ix_contracts_running_end_date",
        "end_date",
        postgresql_where=literal_column("status IN ('active', 'renewed')"),
    ),
)

nps_responses = Table(
    "nps_responses",
    metadata,
    Column("response_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("survey_id", UUID(as_uuid=True)),
    Column("revision", Integer, nullable=False),
    Column("category", String(20), nullable=False),
    Column("responded_at", DateTime(timezone=True), nullable=False),
    Index(
        "ix_nps_responses_contact_id",
        "contact_id",
        "responded_at",
        postgresql_include=["category"],
    ),
    Index("ix_nps_responses_responded_at", "responded_at", postgresql_include=["category"]),
)

# Feedback cases as survey-service announces them (feedback_case.updated): the open work of
# the closed loop on the dashboard.
feedback_cases = Table(
    "feedback_cases",
    metadata,
    Column("feedback_case_id", UUID(as_uuid=True), primary_key=True),
    Column("contact_id", UUID(as_uuid=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_feedback_cases_contact_id", "contact_id"),
    Index(
        "ix_feedback_cases_unresolved_due_at",
        "due_at",
        postgresql_where=literal_column("status <> 'resolved'"),
    ),
)

# Each churn as announced (customer.churned), won back later or not: the reasons over time.
# The event has no id of its own; contact, time and reason make a replay a no-op.
churns = Table(
    "churns",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("churned_at", DateTime(timezone=True), primary_key=True),
    Column("reason", String(40), primary_key=True),
    Index("ix_churns_churned_at", "churned_at"),
)

# Everything analytics holds about what one contact did, by `contact_id`: erasure
# anonymises it, a merge moves it to the survivor.
CONTACT_ACTIVITY = (
    orders,
    order_lines,
    interactions,
    contracts,
    nps_responses,
    feedback_cases,
    churns,
)

# Saved dynamic segments (filters over the customers) and who is in each as of the last
# evaluation: the difference to the next evaluation is what segment.changed announces.
segments = Table(
    "segments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("description", Text),
    Column("filters", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("uq_segments_name", func.lower(literal_column("name")), unique=True),
    Index("ix_segments_created_at", "created_at", "id"),
)

segment_members = Table(
    "segment_members",
    metadata,
    Column(
        "segment_id",
        UUID(as_uuid=True),
        ForeignKey("segments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Index("ix_segment_members_contact_id", "contact_id"),
)

# Contact ids erased (GDPR), without any data: a replayed contact event of one of them must
# not bring the person back.
erased_contacts = Table(
    "erased_contacts",
    metadata,
    Column("contact_id", UUID(as_uuid=True), primary_key=True),
    Column("erased_at", DateTime(timezone=True), nullable=False),
)
