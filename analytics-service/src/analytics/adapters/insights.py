"""All SQL of the insights: aggregates over the read model, a few statements per answer."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from analytics.adapters import margins as counted
from analytics.adapters.rates import RATES
from analytics.domain.insights import add_months
from analytics.domain.margins import count_numbered
from analytics.domain.money import ReportingCurrency


def _in_segment(contact: str) -> str:
    """The condition "the contact is a member of :segment_id, if one is asked for" (the
    members as of the segment's last evaluation). The statements below compose it with
    their own column names only, never with input."""
    return f"""(CAST(:segment_id AS uuid) IS NULL OR EXISTS (
          SELECT 1 FROM segment_members AS m
          WHERE m.segment_id = CAST(:segment_id AS uuid) AND m.contact_id = {contact}))"""  # noqa: S608


# A customer: anyone who bought or whose lifecycle stage is past lead. Churned: a churn not
# undone by a later win-back. Erased rows are nobody to count, but their values stay in the
# CLV figures (as in the ABC split). The same conditions keep the rollups (migration 0014).
_IS_CUSTOMER = "erased_at IS NULL AND (orders > 0 OR lifecycle_stage <> 'lead')"
_CHURNED = "churned_at IS NOT NULL AND (won_back_at IS NULL OR won_back_at < churned_at)"
_STARTED = "LEAST(became_contact_at, first_order_at)"

# Every figure from the rollups: whole hours from customer_hours, the customers of the
# partial hours at a window's edge (:y_up and :y_down are :year_ago on the hour, up and
# down; :as_of_down likewise) from customers through the indexes on those moments.
# Customers a year ago: those started before it, less those also churned before it.
_CUSTOMERS = text(
    f"""
    WITH hours AS (
        SELECT
            COALESCE(sum(customers) FILTER (WHERE measure = 'started'), 0) AS started,
            COALESCE(sum(customers) FILTER (
                WHERE measure = 'active' AND hour >= CAST(:y_up AS timestamptz)), 0) AS active,
            COALESCE(sum(customers) FILTER (
                WHERE measure = 'churned' AND hour >= CAST(:y_up AS timestamptz)
                  AND hour < CAST(:as_of_down AS timestamptz)), 0) AS churned_12m,
            COALESCE(sum(customers) FILTER (
                WHERE measure = 'started' AND hour < CAST(:y_down AS timestamptz)), 0)
            - COALESCE(sum(customers) FILTER (
                WHERE measure = 'started_churned' AND hour < CAST(:y_down AS timestamptz)), 0)
            AS customers_year_ago
        FROM customer_hours
    ), edges AS (
        SELECT
            (SELECT count(*) FROM customers
             WHERE last_order_at >= CAST(:year_ago AS timestamptz)
               AND last_order_at < CAST(:y_up AS timestamptz)
               AND {_IS_CUSTOMER} AND NOT ({_CHURNED})) AS active,
            (SELECT count(*) FROM customers
             WHERE ((churned_at >= CAST(:year_ago AS timestamptz)
                     AND churned_at < LEAST(CAST(:y_up AS timestamptz),
                                            CAST(:as_of AS timestamptz)))
                    OR (churned_at >= GREATEST(CAST(:as_of_down AS timestamptz),
                                               CAST(:y_up AS timestamptz))
                        AND churned_at < CAST(:as_of AS timestamptz)))
               AND {_IS_CUSTOMER} AND {_CHURNED}) AS churned_12m,
            (SELECT count(*) FROM customers
             WHERE {_STARTED} >= CAST(:y_down AS timestamptz)
               AND {_STARTED} < CAST(:year_ago AS timestamptz) AND {_IS_CUSTOMER})
            - (SELECT count(*) FROM customers
               WHERE GREATEST({_STARTED}, churned_at) >= CAST(:y_down AS timestamptz)
                 AND GREATEST({_STARTED}, churned_at) < CAST(:year_ago AS timestamptz)
                 AND {_IS_CUSTOMER} AND {_CHURNED}) AS customers_year_ago
    ), figures AS (
        SELECT
            COALESCE(sum(value) FILTER (WHERE measure = 'with_clv'), 0)::int8 AS with_clv,
            sum(value) FILTER (WHERE measure = 'total_clv') AS total_clv,
            COALESCE(sum(value) FILTER (WHERE measure = 'class_A'), 0)::int8 AS class_a,
            COALESCE(sum(value) FILTER (WHERE measure = 'class_B'), 0)::int8 AS class_b,
            COALESCE(sum(value) FILTER (WHERE measure = 'class_C'), 0)::int8 AS class_c
        FROM customer_figures
    )
    SELECT
        hours.started::int8 AS customers,
        (hours.active + edges.active)::int8 AS active,
        (hours.churned_12m + edges.churned_12m)::int8 AS churned_12m,
        (hours.customers_year_ago + edges.customers_year_ago)::int8 AS customers_year_ago,
        (SELECT COALESCE(sum(customers), 0) FROM customer_risks
         WHERE risk >= CAST(:threshold AS float8))::int8 AS at_risk,
        figures.*
    FROM hours, edges, figures
    """  # noqa: S608
)


# The same figures for a saved segment's members, counted from their rows, so the cost
# grows with the members and their rows, not with the read model (bench/README.md).
def _members_join(table: str) -> str:
    """The rows of `table` (as r) of the members of :segment_id. The planner probes the
    contact index per member for a small segment and scans and hashes for a big one; the
    indexes of orders and answers cover what is read (migration 0020), without which it
    hash-joined all 10M orders with even 10,000 members (7 s)."""
    return f"""segment_members AS m JOIN {table} AS r ON r.contact_id = m.contact_id
    WHERE m.segment_id = CAST(:segment_id AS uuid)"""


_SEGMENT_CUSTOMERS = text(
    f"""
    WITH c AS (
        SELECT r.clv, r.abc_class, r.churn_risk, r.last_order_at, r.churned_at,
               {_STARTED} AS started, {_IS_CUSTOMER} AS is_customer, {_CHURNED} AS churned
        FROM {_members_join("customers")}
    )
    SELECT
        count(*) FILTER (WHERE is_customer) AS customers,
        count(*) FILTER (WHERE is_customer AND NOT churned
                         AND last_order_at >= CAST(:year_ago AS timestamptz)) AS active,
        count(*) FILTER (WHERE is_customer AND churned
                         AND churned_at >= CAST(:year_ago AS timestamptz)
                         AND churned_at < CAST(:as_of AS timestamptz)) AS churned_12m,
        count(*) FILTER (WHERE is_customer AND started < CAST(:year_ago AS timestamptz)
                         AND NOT (churned AND churned_at < CAST(:year_ago AS timestamptz))
                        ) AS customers_year_ago,
        count(*) FILTER (WHERE is_customer AND NOT churned
                         AND churn_risk >= CAST(:threshold AS float8)) AS at_risk,
        count(clv) AS with_clv,
        sum(clv) AS total_clv,
        count(*) FILTER (WHERE is_customer AND abc_class = 'A') AS class_a,
        count(*) FILTER (WHERE is_customer AND abc_class = 'B') AS class_b,
        count(*) FILTER (WHERE is_customer AND abc_class = 'C') AS class_c
    FROM c
    """  # noqa: S608
)

# One pass over the members' orders (answers) of [lo, hi): per calendar month (UTC) and
# side of :split (current: at or after it), so the two windows and the monthly trend come
# from one read of each member's rows.
_SEGMENT_ORDERS = text(
    f"""
    SELECT date_trunc('month', r.ordered_at, 'UTC') AS month,
           r.ordered_at >= CAST(:split AS timestamptz) AS current,
           r.currency, sum(r.revenue) AS revenue, count(*) AS orders
    FROM {_members_join("orders")}
      AND r.ordered_at >= CAST(:lo AS timestamptz) AND r.ordered_at < CAST(:hi AS timestamptz)
    GROUP BY 1, 2, 3
    """  # noqa: S608
)

_SEGMENT_ANSWERS = text(
    f"""
    SELECT date_trunc('month', r.responded_at, 'UTC') AS month,
           r.responded_at >= CAST(:split AS timestamptz) AS current,
           count(*) FILTER (WHERE r.category = 'promoter') AS promoters,
           count(*) FILTER (WHERE r.category = 'passive') AS passives,
           count(*) FILTER (WHERE r.category = 'detractor') AS detractors
    FROM {_members_join("nps_responses")}
      AND r.responded_at >= CAST(:lo AS timestamptz)
      AND r.responded_at < CAST(:hi AS timestamptz)
    GROUP BY 1, 2
    """  # noqa: S608
)

_SEGMENT_RENEWALS = text(
    f"""
    SELECT count(*) FILTER (WHERE decide_by < CAST(:in_30 AS date)) AS within_30,
           count(*) AS within_60
    FROM (SELECT coalesce(r.notice_date, r.end_date) AS decide_by
          FROM {_members_join("contracts")} AND r.status IN ('active', 'renewed')) AS running
    WHERE decide_by >= CAST(:today AS date) AND decide_by < CAST(:in_60 AS date)
    """  # noqa: S608
)

_SEGMENT_OPEN_CASES = text(
    f"""
    SELECT count(*) AS open, count(*) FILTER (WHERE r.due_at < :as_of) AS overdue
    FROM {_members_join("feedback_cases")}
      AND r.opened_at <= :as_of AND (r.resolved_at IS NULL OR r.resolved_at > :as_of)
    """  # noqa: S608
)


def _window(rollup: str, rows: str, moment: str) -> str:
    """[lo, hi) as the parts of a UNION ALL: `rollup` (a SELECT from an hourly rollup) for
    the whole hours, `rows` (a SELECT from the rows it sums, timed by `moment`) for the
    partial hours at the edges, [lo, lo_up) and [hi_down, hi), where lo_up and hi_down are
    lo and hi on the hour; a window within one hour is all edge."""
    return f"""
        {rollup}
        WHERE hour >= CAST(:lo_up AS timestamptz) AND hour < CAST(:hi_down AS timestamptz)
        UNION ALL
        {rows}
        WHERE {moment} >= CAST(:lo AS timestamptz)
          AND {moment} < LEAST(CAST(:lo_up AS timestamptz), CAST(:hi AS timestamptz))
        UNION ALL
        {rows}
        WHERE {moment} >= GREATEST(CAST(:hi_down AS timestamptz), CAST(:lo_up AS timestamptz))
          AND {moment} < CAST(:hi AS timestamptz)
    """


# Revenue and orders per currency in [lo, hi).
_REVENUE_BETWEEN = text(
    f"""
    SELECT currency, sum(revenue) AS revenue, sum(orders)::int8 AS orders
    FROM ({
        _window(
            "SELECT currency, revenue, orders FROM revenue_hours",
            "SELECT currency, revenue, 1 FROM orders",
            "ordered_at",
        )
    }) AS parts
    GROUP BY currency
    """  # noqa: S608
)

# Per calendar month (UTC) and currency from :since (a month's start) to :as_of: whole hours
# from the rollup, the partial hour before :as_of from the orders.
_REVENUE_MONTHS = text(
    """
    SELECT date_trunc('month', at, 'UTC') AS month, currency, sum(revenue) AS revenue,
           sum(orders)::int8 AS orders
    FROM (
        SELECT hour AS at, currency, revenue, orders FROM revenue_hours
        WHERE hour >= CAST(:since AS timestamptz) AND hour < CAST(:hi_down AS timestamptz)
        UNION ALL
        SELECT ordered_at, currency, revenue, 1 FROM orders
        WHERE ordered_at >= GREATEST(CAST(:hi_down AS timestamptz), CAST(:since AS timestamptz))
          AND ordered_at < CAST(:as_of AS timestamptz)
    ) AS parts
    GROUP BY 1, 2
    """
)

# NPS answers per category in each window [lo, hi) of the arrays given, three levels deep:
# whole UTC days [d_lo, d_hi) from nps_days; the whole hours at the edges, [lo_up, d_lo)
# and [d_hi, hi_down), from nps_hours; the partial hours, [lo, lo_up) and [hi_down, hi),
# from the answers (lo_up and hi_down are lo and hi on the hour, d_lo and d_hi lo_up and
# hi_down on the day). A window within one hour or one day is all edge. A year is ~365
# day rows plus at most ~46 hour rows, where hours alone were ~26,000 rows (three
# categories per hour).
_NPS_WINDOWS = text(
    """
    SELECT w.lo,
           COALESCE(sum(p.promoters), 0)::int8 AS promoters,
           COALESCE(sum(p.passives), 0)::int8 AS passives,
           COALESCE(sum(p.detractors), 0)::int8 AS detractors
    FROM unnest(CAST(:lo AS timestamptz[]), CAST(:hi AS timestamptz[]),
                CAST(:lo_up AS timestamptz[]), CAST(:hi_down AS timestamptz[]),
                CAST(:d_lo AS timestamptz[]), CAST(:d_hi AS timestamptz[]))
         AS w(lo, hi, lo_up, hi_down, d_lo, d_hi)
    LEFT JOIN LATERAL (
        SELECT promoters, passives, detractors FROM nps_days
        WHERE day >= w.d_lo AND day < w.d_hi
        UNION ALL
        SELECT (category = 'promoter')::int * responses, (category = 'passive')::int * responses,
               (category = 'detractor')::int * responses
        FROM nps_hours WHERE hour >= w.lo_up AND hour < LEAST(w.d_lo, w.hi_down)
        UNION ALL
        SELECT (category = 'promoter')::int * responses, (category = 'passive')::int * responses,
               (category = 'detractor')::int * responses
        FROM nps_hours WHERE hour >= GREATEST(w.d_hi, w.d_lo) AND hour < w.hi_down
        UNION ALL
        SELECT (category = 'promoter')::int, (category = 'passive')::int,
               (category = 'detractor')::int
        FROM nps_responses WHERE responded_at >= w.lo AND responded_at < LEAST(w.lo_up, w.hi)
        UNION ALL
        SELECT (category = 'promoter')::int, (category = 'passive')::int,
               (category = 'detractor')::int
        FROM nps_responses
        WHERE responded_at >= GREATEST(w.hi_down, w.lo_up) AND responded_at < w.hi
    ) AS p ON true
    GROUP BY w.lo
    """
)

# Renewals due: running contracts (active or renewed) whose notice date, the last day to
# decide about the renewal, is in the window. Contracts kept before the read model had
# notice dates count by their end date until their next event.
_RENEWALS = text(
    """
    SELECT count(*) FILTER (WHERE decide_by < CAST(:in_30 AS date)) AS within_30,
           count(*) AS within_60
    FROM (SELECT coalesce(notice_date, end_date) AS decide_by
          FROM contracts WHERE status IN ('active', 'renewed')) AS running
    WHERE decide_by >= CAST(:today AS date) AND decide_by < CAST(:in_60 AS date)
    """
)

# Feedback cases unresolved at :as_of (opened by then, not resolved by then), and of those
# the ones past their due date: the closed loop's open work.
_OPEN_CASES = text(
    """
    SELECT count(*) AS open, count(*) FILTER (WHERE due_at < :as_of) AS overdue
    FROM feedback_cases
    WHERE opened_at <= :as_of AND (resolved_at IS NULL OR resolved_at > :as_of)
    """
)


# Per product within [since, until): the sku most recently sold under it, its name (as
# contacts-service last announced it), the sums in the reporting currency, the orders and
# customers; and the same per calendar month for the trend; of every customer's order
# lines or of a saved segment's members'.
_PRODUCT_MARGINS = text(
    f"""
    WITH {RATES}, sold AS (
        SELECT product_id, (array_agg(sku ORDER BY ordered_at DESC))[1] AS sku,
               sum(quantity) AS quantity, round(sum(revenue * rate), 2) AS revenue,
               round(sum(cost * rate), 2) AS cost,
               count(DISTINCT order_id) AS orders, count(DISTINCT contact_id) AS customers
        FROM order_lines JOIN rates USING (currency)
        WHERE ordered_at >= CAST(:since AS timestamptz)
          AND ordered_at < CAST(:until AS timestamptz)
          AND {_in_segment("order_lines.contact_id")}
        GROUP BY product_id
    )
    SELECT sold.*, p.name AS product_name
    FROM sold LEFT JOIN products AS p USING (product_id)
    ORDER BY sold.revenue DESC, sold.product_id
    """  # noqa: S608
)

_PRODUCT_MONTHS = text(
    f"""
    WITH {RATES}
    SELECT product_id, date_trunc('month', ordered_at, 'UTC') AS month,
           round(sum(revenue * rate), 2) AS revenue, round(sum(cost * rate), 2) AS cost
    FROM order_lines JOIN rates USING (currency)
    WHERE ordered_at >= CAST(:since AS timestamptz) AND ordered_at < CAST(:until AS timestamptz)
      AND {_in_segment("order_lines.contact_id")}
    GROUP BY 1, 2
    """  # noqa: S608
)

_CUSTOMERS_OF_PRODUCTS = text(
    f"""
    WITH {RATES}
    SELECT count(DISTINCT contact_id)
    FROM order_lines JOIN rates USING (currency)
    WHERE product_id = ANY(CAST(:products AS uuid[]))
      AND ordered_at >= CAST(:since AS timestamptz) AND ordered_at < CAST(:until AS timestamptz)
      AND {_in_segment("order_lines.contact_id")}
    """  # noqa: S608
)

# The orders whose lines the margins leave out (a currency without a rate), and their
# currencies.
_LINES_LEFT_OUT = text(
    f"""
    WITH {RATES}
    SELECT count(DISTINCT order_id) AS orders,
           COALESCE(array_agg(DISTINCT currency), '{{}}') AS currencies
    FROM order_lines
    WHERE currency NOT IN (SELECT currency FROM rates)
      AND ordered_at >= CAST(:since AS timestamptz) AND ordered_at < CAST(:until AS timestamptz)
      AND {_in_segment("order_lines.contact_id")}
    """  # noqa: S608
)


# Churns by period (date_trunc's unit: month, quarter or year), reason and the customer's
# current ABC class (none: not classified yet); of everyone or of a saved segment's members.
_CHURN_REASONS = text(
    f"""
    SELECT date_trunc(CAST(:interval AS text), h.churned_at, 'UTC') AS period, h.reason,
           c.abc_class, count(*) AS churns
    FROM churns AS h
    LEFT JOIN customers AS c ON c.contact_id = h.contact_id
    WHERE h.churned_at >= CAST(:since AS timestamptz)
      AND h.churned_at < CAST(:until AS timestamptz)
      AND {_in_segment("h.contact_id")}
    GROUP BY 1, 2, 3
    """  # noqa: S608
)


# Acquisition cohorts: customers by the month of their first order; per cohort and calendar
# month the customers who ordered (whatever the currency) and their revenue in the reporting
# currency, with the orders left out of it (up to :until); of everyone or of a saved
# segment's members.
_COHORTS = text(
    f"""
    WITH {RATES}
    SELECT date_trunc('month', c.first_order_at, 'UTC') AS cohort,
           date_trunc('month', o.ordered_at, 'UTC') AS month,
           count(DISTINCT o.contact_id) AS customers,
           COALESCE(round(sum(o.revenue * r.rate), 2), 0) AS revenue,
           count(*) FILTER (WHERE r.rate IS NULL) AS left_out_orders,
           array_agg(DISTINCT o.currency) FILTER (WHERE r.rate IS NULL) AS left_out_currencies
    FROM customers AS c
    JOIN orders AS o ON o.contact_id = c.contact_id
    LEFT JOIN rates AS r ON r.currency = o.currency
    WHERE c.first_order_at >= CAST(:since AS timestamptz)
      AND c.first_order_at < CAST(:until AS timestamptz)
      AND o.ordered_at < CAST(:until AS timestamptz)
      AND {_in_segment("c.contact_id")}
    GROUP BY 1, 2
    """  # noqa: S608
)


# The same of everyone, from the cohorts counted by the last association run (orders
# recorded and placed before :counted_at) and the other orders: a customer counts in a
# month's cell there only if the run did not (no order of theirs in that month that it
# counted), so the two add up.
_COUNTED_COHORTS = text(
    f"""
    WITH {RATES}, parts AS (
        SELECT cohort, month, customers, CAST(NULL AS text) AS currency,
               CAST(0 AS numeric) AS revenue, CAST(0 AS int8) AS orders
        FROM cohort_months
        WHERE cohort >= CAST(:since AS timestamptz) AND cohort < CAST(:until AS timestamptz)
        UNION ALL
        SELECT cohort, month, 0, currency, revenue, orders FROM cohort_revenue
        WHERE cohort >= CAST(:since AS timestamptz) AND cohort < CAST(:until AS timestamptz)
        UNION ALL
        SELECT date_trunc('month', c.first_order_at, 'UTC'),
               date_trunc('month', o.ordered_at, 'UTC'),
               CASE WHEN GROUPING(o.currency) = 1 THEN count(DISTINCT o.contact_id) FILTER (
                   WHERE NOT EXISTS (
                       SELECT 1 FROM orders AS e
                       WHERE e.contact_id = o.contact_id
                         AND e.ordered_at >= date_trunc('month', o.ordered_at, 'UTC')
                         AND e.ordered_at < date_trunc('month', o.ordered_at, 'UTC')
                                            + interval '1 month'
                         AND e.recorded_at < CAST(:counted_at AS timestamptz)
                         AND e.ordered_at < CAST(:counted_at AS timestamptz)))
               ELSE 0 END,
               o.currency,
               CASE WHEN GROUPING(o.currency) = 0 THEN sum(o.revenue) ELSE 0 END,
               CASE WHEN GROUPING(o.currency) = 0 THEN count(*) ELSE 0 END
        FROM orders AS o JOIN customers AS c ON c.contact_id = o.contact_id
        WHERE (o.recorded_at >= CAST(:counted_at AS timestamptz)
               OR o.ordered_at >= CAST(:counted_at AS timestamptz))
          AND o.ordered_at < CAST(:until AS timestamptz)
          AND c.first_order_at >= CAST(:since AS timestamptz)
          AND c.first_order_at < CAST(:until AS timestamptz)
        -- The customers per cell (any currency), the money per cell and currency.
        GROUP BY GROUPING SETS ((1, 2), (1, 2, o.currency))
    )
    SELECT p.cohort, p.month, sum(p.customers)::int8 AS customers,
           COALESCE(round(sum(p.revenue * r.rate), 2), 0) AS revenue,
           COALESCE(sum(p.orders) FILTER (WHERE p.currency IS NOT NULL AND r.rate IS NULL), 0)
               ::int8 AS left_out_orders,
           array_agg(DISTINCT p.currency) FILTER (WHERE p.currency IS NOT NULL AND r.rate IS NULL)
               AS left_out_currencies
    FROM parts AS p LEFT JOIN rates AS r ON r.currency = p.currency
    GROUP BY 1, 2
    """  # noqa: S608
)
_COUNTED_AT = text("SELECT max(counted_at) FROM association_totals")


# Promoter drivers: each respondent's latest answer in [since, until) (of one survey, or of
# any), promoters against the rest; per group its size, the members with each trait, and
# the mean and sample variance of each measure (the domain turns these into effects).
DRIVER_TRAITS = ("abc_a", "abc_b", "abc_c", "under_contract")
DRIVER_MEASURES = ("tenure_years", "orders", "products", "interactions", "tickets", "service_cost")
_DRIVERS = text(
    f"""
    WITH latest AS (
        SELECT DISTINCT ON (contact_id) contact_id, category
        FROM nps_responses
        WHERE responded_at >= CAST(:since AS timestamptz)
          AND responded_at < CAST(:until AS timestamptz)
          AND (CAST(:survey_id AS uuid) IS NULL OR survey_id = CAST(:survey_id AS uuid))
          AND {_in_segment("nps_responses.contact_id")}
        ORDER BY contact_id, responded_at DESC, response_id
    ), respondents AS (
        SELECT l.category = 'promoter' AS promoter,
               c.abc_class = 'A' AS abc_a, c.abc_class = 'B' AS abc_b, c.abc_class = 'C' AS abc_c,
               EXISTS (SELECT 1 FROM contracts AS k WHERE k.contact_id = l.contact_id
                       AND k.status IN ('active', 'renewed')) AS under_contract,
               CAST(EXTRACT(EPOCH FROM CAST(:until AS timestamptz)
                            - LEAST(c.became_contact_at, c.first_order_at)) / 31557600.0
                    AS float8) AS tenure_years,
               c.orders::float8 AS orders,
               (SELECT count(DISTINCT product_id) FROM order_lines AS o
                WHERE o.contact_id = l.contact_id)::float8 AS products,
               (SELECT count(*) FROM interactions AS i
                WHERE i.contact_id = l.contact_id)::float8 AS interactions,
               (SELECT count(*) FROM interactions AS i
                WHERE i.contact_id = l.contact_id AND i.kind = 'ticket')::float8 AS tickets,
               c.service_cost::float8 AS service_cost
        FROM latest AS l
        JOIN customers AS c ON c.contact_id = l.contact_id
    )
    SELECT promoter, count(*) AS n,
           count(*) FILTER (WHERE abc_a) AS abc_a, count(*) FILTER (WHERE abc_b) AS abc_b,
           count(*) FILTER (WHERE abc_c) AS abc_c,
           count(*) FILTER (WHERE under_contract) AS under_contract,
           avg(tenure_years) AS tenure_years_mean, var_samp(tenure_years) AS tenure_years_var,
           avg(orders) AS orders_mean, var_samp(orders) AS orders_var,
           avg(products) AS products_mean, var_samp(products) AS products_var,
           avg(interactions) AS interactions_mean, var_samp(interactions) AS interactions_var,
           avg(tickets) AS tickets_mean, var_samp(tickets) AS tickets_var,
           avg(service_cost) AS service_cost_mean, var_samp(service_cost) AS service_cost_var
    FROM respondents
    GROUP BY promoter
    """  # noqa: S608
)


# The predicted CLV of the last run, where it made one (as the dashboard's CLV figures count).
_CLV_VALUES = text(
    f"""
    SELECT clv FROM customers
    WHERE clv IS NOT NULL
      AND (CAST(:abc_class AS text) IS NULL OR abc_class = CAST(:abc_class AS text))
      AND {_in_segment("customers.contact_id")}
    """  # noqa: S608
)

# The value the ABC split ranks by, of the customers it classified.
_ABC_VALUES = text(
    f"""
    SELECT COALESCE(clv, net_value) AS value FROM customers
    WHERE abc_class IS NOT NULL AND {_in_segment("customers.contact_id")}
    """  # noqa: S608
)


# The result of the newest successful job of a kind (the CLV fit's: its currency).
_LAST_RUN = text(
    """
    SELECT result FROM jobs
    WHERE kind = :kind AND status = 'succeeded'
    ORDER BY finished_at DESC
    LIMIT 1
    """
)


def _rates(money: ReportingCurrency) -> str:
    return json.dumps(money.as_rates())


@dataclass(frozen=True)
class Sales:
    """What a money aggregate sums: the sales of [since, until), of a saved segment's
    members if one is given, converted into the reporting currency."""

    since: datetime
    until: datetime
    money: ReportingCurrency
    segment_id: uuid.UUID | None = None
    # The last association run's cutoff when its counts answer this (InsightsRepository.
    # counted): the reads add only the lines since.
    counted_at: datetime | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "rates": _rates(self.money),
            "segment_id": self.segment_id,
            "counted_at": self.counted_at,
        }


def _hour_down(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _hour_up(moment: datetime) -> datetime:
    down = _hour_down(moment)
    return down if down == moment else down + timedelta(hours=1)


def _day_down(moment: datetime) -> datetime:
    """Midnight UTC on or before the moment (nps_days keys UTC days)."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _day_up(moment: datetime) -> datetime:
    down = _day_down(moment)
    return down if down == moment else down + timedelta(days=1)


class InsightsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _one(self, statement: Any, **parameters: Any) -> RowMapping:
        return (await self.session.execute(statement, parameters)).mappings().one()

    async def _all(self, statement: Any, **parameters: Any) -> list[RowMapping]:
        return list((await self.session.execute(statement, parameters)).mappings().all())

    async def customer_figures(
        self,
        as_of: datetime,
        year_ago: datetime,
        threshold: float,
        segment_id: uuid.UUID | None = None,
    ) -> RowMapping:
        if segment_id is not None:
            return await self._one(
                _SEGMENT_CUSTOMERS,
                segment_id=segment_id,
                as_of=as_of,
                year_ago=year_ago,
                threshold=threshold,
            )
        return await self._one(
            _CUSTOMERS,
            as_of=as_of,
            as_of_down=_hour_down(as_of),
            year_ago=year_ago,
            y_up=_hour_up(year_ago),
            y_down=_hour_down(year_ago),
            threshold=threshold,
        )

    async def revenue_windows(
        self, as_of: datetime, year_ago: datetime, two_years_ago: datetime
    ) -> dict[str, list[RowMapping]]:
        """Revenue and orders per currency of [year_ago, as_of) (current) and
        [two_years_ago, year_ago) (previous)."""
        return {
            "current": await self._revenue_between(year_ago, as_of),
            "previous": await self._revenue_between(two_years_ago, year_ago),
        }

    async def _revenue_between(self, lo: datetime, hi: datetime) -> list[RowMapping]:
        return await self._all(
            _REVENUE_BETWEEN, lo=lo, hi=hi, lo_up=_hour_up(lo), hi_down=_hour_down(hi)
        )

    async def revenue_by_month(self, since: datetime, as_of: datetime) -> list[RowMapping]:
        return await self._all(_REVENUE_MONTHS, since=since, as_of=as_of, hi_down=_hour_down(as_of))

    async def nps_windows(
        self, as_of: datetime, year_ago: datetime, two_years_ago: datetime
    ) -> list[dict[str, Any]]:
        """The answers per category of [year_ago, as_of) (current) and [two_years_ago,
        year_ago); a window without answers is left out."""
        by_start = await self._nps_windows([(year_ago, as_of), (two_years_ago, year_ago)])
        return [
            {**by_start[lo], "current": current}
            for current, lo in ((True, year_ago), (False, two_years_ago))
            if by_start[lo]["promoters"] + by_start[lo]["passives"] + by_start[lo]["detractors"]
        ]

    async def nps_by_month(self, since: datetime, as_of: datetime) -> list[dict[str, Any]]:
        """Per calendar month from `since` (a month's start) up to as_of; a month without
        answers is left out."""
        starts = [since]
        while (following := add_months(starts[-1], 1)) < as_of:
            starts.append(following)
        by_start = await self._nps_windows(list(zip(starts, [*starts[1:], as_of], strict=True)))
        return [
            {**row, "month": month}
            for month, row in by_start.items()
            if row["promoters"] + row["passives"] + row["detractors"]
        ]

    async def last_run(self, kind: str) -> dict[str, Any] | None:
        """The result of the newest successful job of this kind."""
        result = await self.session.scalar(_LAST_RUN, {"kind": kind})
        return dict(result) if result is not None else None

    async def member_orders(
        self, segment_id: uuid.UUID, lo: datetime, split: datetime, hi: datetime
    ) -> list[RowMapping]:
        """A segment's members' orders of [lo, hi) per month, side of `split` (current) and
        currency: their revenue and count."""
        return await self._all(_SEGMENT_ORDERS, segment_id=segment_id, lo=lo, split=split, hi=hi)

    async def member_answers(
        self, segment_id: uuid.UUID, lo: datetime, split: datetime, hi: datetime
    ) -> list[RowMapping]:
        """A segment's members' NPS answers of [lo, hi) per month and side of `split`
        (current): promoters, passives and detractors."""
        return await self._all(_SEGMENT_ANSWERS, segment_id=segment_id, lo=lo, split=split, hi=hi)

    async def _nps_windows(
        self, windows: list[tuple[datetime, datetime]]
    ) -> dict[datetime, RowMapping]:
        """The answers per category of each window [lo, hi), by lo."""
        los, his = [lo for lo, _ in windows], [hi for _, hi in windows]
        lo_up, hi_down = [_hour_up(lo) for lo in los], [_hour_down(hi) for hi in his]
        rows = await self._all(
            _NPS_WINDOWS,
            lo=los,
            hi=his,
            lo_up=lo_up,
            hi_down=hi_down,
            d_lo=[_day_up(moment) for moment in lo_up],
            d_hi=[_day_down(moment) for moment in hi_down],
        )
        return {row["lo"]: row for row in rows}

    async def renewals_due(
        self, today: date, in_30: date, in_60: date, segment_id: uuid.UUID | None = None
    ) -> RowMapping:
        if segment_id is not None:
            return await self._one(
                _SEGMENT_RENEWALS, segment_id=segment_id, today=today, in_30=in_30, in_60=in_60
            )
        return await self._one(_RENEWALS, today=today, in_30=in_30, in_60=in_60)

    async def open_cases(self, as_of: datetime, segment_id: uuid.UUID | None = None) -> RowMapping:
        if segment_id is not None:
            return await self._one(_SEGMENT_OPEN_CASES, segment_id=segment_id, as_of=as_of)
        return await self._one(_OPEN_CASES, as_of=as_of)

    async def counted(self, sales: Sales, statement: Any = _COUNTED_AT) -> Sales:
        """`sales` answered from the last association run's counts and the lines since,
        where they can answer it: of everyone, up to a moment after the run's cutoff (any
        window of whole months back). Otherwise (a segment, an earlier moment, no run yet)
        as it was: counted from every line of the window."""
        counted_at = await self.session.scalar(statement)
        if sales.segment_id is not None or counted_at is None or counted_at > sales.until:
            return sales
        return replace(sales, counted_at=counted_at)

    async def counted_margins(self, sales: Sales) -> Sales:
        """As counted(), for the margins: of a run that counted them."""
        return await self.counted(sales, counted.COUNTED_AT)

    async def product_margins(self, sales: Sales) -> list[RowMapping]:
        if sales.counted_at is not None:
            return await self._all(counted.PRODUCT_MARGINS, **sales.parameters())
        return await self._all(_PRODUCT_MARGINS, **sales.parameters())

    async def product_months(self, sales: Sales) -> list[RowMapping]:
        if sales.counted_at is not None:
            return await self._all(counted.PRODUCT_MONTHS, **sales.parameters())
        return await self._all(_PRODUCT_MONTHS, **sales.parameters())

    async def lines_left_out(self, sales: Sales) -> dict[str, Any]:
        statement = _LINES_LEFT_OUT if sales.counted_at is None else counted.LINES_LEFT_OUT
        row = await self._one(statement, **sales.parameters())
        return {"orders": row["orders"], "currencies": sorted(row["currencies"])}

    async def customers_of(self, products: list[uuid.UUID], sales: Sales) -> int:
        parameters = {"products": products, **sales.parameters()}
        if sales.counted_at is None:
            return int(await self.session.scalar(_CUSTOMERS_OF_PRODUCTS, parameters) or 0)
        numbered = await self.session.scalars(counted.NUMBERED_CUSTOMERS, parameters)
        added = await self.session.scalar(counted.NEW_CUSTOMERS_OF_PRODUCTS, parameters)
        return count_numbered(list(numbered.all())) + int(added or 0)

    async def churn_reasons(
        self, interval: str, since: datetime, until: datetime, segment_id: uuid.UUID | None
    ) -> list[RowMapping]:
        return await self._all(
            _CHURN_REASONS, interval=interval, since=since, until=until, segment_id=segment_id
        )

    async def cohorts(self, sales: Sales) -> list[RowMapping]:
        """Of everyone up to a moment after the last association run's cutoff: from its
        counts and the orders since; otherwise (a segment, an earlier moment, no run yet)
        from all orders."""
        sales = await self.counted(sales)
        if sales.counted_at is not None:
            return await self._all(_COUNTED_COHORTS, **sales.parameters())
        return await self._all(_COHORTS, **sales.parameters())

    async def driver_groups(
        self,
        since: datetime,
        until: datetime,
        survey_id: uuid.UUID | None,
        segment_id: uuid.UUID | None = None,
    ) -> list[RowMapping]:
        return await self._all(
            _DRIVERS, since=since, until=until, survey_id=survey_id, segment_id=segment_id
        )

    async def clv_values(
        self, abc_class: str | None, segment_id: uuid.UUID | None = None
    ) -> list[Decimal]:
        found = await self.session.scalars(
            _CLV_VALUES, {"abc_class": abc_class, "segment_id": segment_id}
        )
        return list(found.all())

    async def abc_values(self, segment_id: uuid.UUID | None = None) -> list[Decimal]:
        return list((await self.session.scalars(_ABC_VALUES, {"segment_id": segment_id})).all())
