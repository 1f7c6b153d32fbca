"""HTTP routes of the insights: the dashboard, offer margins, churn reasons and cohorts."""

from __future__ import annotations

import inspect
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from analytics.adapters.associations import AssociationRepository
from analytics.adapters.insights import InsightsRepository
from analytics.adapters.repository import CustomerRepository
from analytics.domain import offers as offers_domain
from analytics.domain.insights import add_months
from analytics.domain.offers import Offer, rank_offers
from analytics.entrypoints.dependencies import UowDep
from analytics.entrypoints.runtime_settings import RulesDep
from analytics.service_layer import associations, insights
from analytics.service_layer.unit_of_work import AnalyticsUnitOfWork
from treue.identity import CurrentIdentity, current_identity
from treue.problems import NotFound, ValidationFailed, problem_responses

router = APIRouter(
    prefix="/api/v1/analytics", tags=["analytics"], dependencies=[Depends(current_identity)]
)

Months = Annotated[
    int, Query(ge=1, le=60, description="How many calendar months, ending with as_of's month")
]
Interval = Literal["month", "quarter", "year"]
AsOf = Annotated[
    datetime | None,
    Query(description="The moment the figures are as of (default: now); for reproducible reports"),
]

SegmentId = Annotated[
    uuid.UUID | None,
    Query(
        description="Only this saved segment's members (as of its last evaluation); "
        "404 for an unknown segment"
    ),
]


async def _require_segment(uow: AnalyticsUnitOfWork, segment_id: uuid.UUID | None) -> None:
    if segment_id is not None and await uow.segments.get(segment_id) is None:
        raise NotFound(f"there is no segment {segment_id}")


def _moment(as_of: datetime | None) -> datetime:
    if as_of is None:
        return datetime.now(UTC)
    return as_of if as_of.tzinfo is not None else as_of.replace(tzinfo=UTC)


def _window(
    since: datetime | None, until: datetime | None, months_back: int, until_name: str
) -> tuple[datetime, datetime]:
    """[since, until): until defaults to now, since to `months_back` months before it."""
    end = _moment(until)
    start = add_months(end, months_back) if since is None else _moment(since)
    if start >= end:
        raise ValidationFailed("since", f"must be before {until_name}")
    return start, end


class ChurnFigures(BaseModel):
    churned_12m: int = Field(description="Customers churned in the last 12 months, not won back")
    customers_12m_ago: int = Field(description="Customers 12 months ago (and not churned then)")
    rate_12m: float | None = Field(description="churned_12m / customers_12m_ago")


class NpsMonth(BaseModel):
    month: date
    score: float | None = Field(description="NPS of the month's answers; none without answers")
    responses: int


class NpsFigures(BaseModel):
    score_12m: float | None = Field(description="% promoters - % detractors, last 12 months")
    responses_12m: int
    previous_score: float | None = Field(description="The NPS of the 12 months before")
    change: float | None = Field(description="score_12m - previous_score, in points")
    trend: list[NpsMonth] = Field(description="The last 12 calendar months, oldest first")


class LeftOut(BaseModel):
    """What a money figure leaves out: orders in a currency with no exchange rate into the
    reporting currency (PUT /api/v1/settings/analytics sets the rates)."""

    orders: int = Field(description="Orders not in the figure: their currency has no rate")
    currencies: list[str] = Field(description="Their currencies")


class RevenueMonth(BaseModel):
    month: date
    revenue: Decimal
    orders: int


class RevenueFigures(BaseModel):
    currency: str = Field(description="The reporting currency every amount here is in")
    last_12m: Decimal
    previous_12m: Decimal
    change: float | None = Field(description="Relative change (0.25 = +25 %); none without a base")
    orders_12m: int = Field(description="Orders in last_12m (not those left out)")
    left_out: LeftOut = Field(description="Orders of the last 12 months left out")
    trend: list[RevenueMonth] = Field(description="The last 12 calendar months, oldest first")


class ClvFigures(BaseModel):
    currency: str = Field(
        description="The currency of the last CLV run's predictions: the reporting currency "
        "when it ran (a change of it queues a new run)"
    )
    customers: int = Field(description="Customers with a prediction of the last CLV run")
    total: Decimal
    average: Decimal | None
    left_out_customers: int = Field(
        description="Customers the last run made no prediction for because every order of "
        "theirs is in a currency without an exchange rate"
    )
    left_out_currencies: list[str] = Field(description="The currencies the run left out")


class RenewalsDue(BaseModel):
    within_30_days: int
    within_60_days: int


class OpenCases(BaseModel):
    open: int = Field(description="Feedback cases not resolved (open or in progress)")
    overdue: int = Field(description="Of those, the ones past their due date")


class Dashboard(BaseModel):
    as_of: datetime
    segment_id: uuid.UUID | None = Field(
        None, description="The saved segment whose members were counted, if one"
    )
    customers: int = Field(description="Contacts who bought or whose stage is past lead")
    active_customers: int = Field(description="Customers not churned with an order in 12 months")
    churn: ChurnFigures
    nps: NpsFigures
    revenue: RevenueFigures
    clv: ClvFigures
    abc: dict[str, int] = Field(description="Customers per ABC class as of the last recompute")
    at_risk: int = Field(description="Customers whose churn risk is at least risk_threshold")
    risk_threshold: float
    renewals_due: RenewalsDue = Field(
        description="Running contracts (active, renewed) whose notice date, the last day to"
        " decide about the renewal, is within 30 / 60 days"
    )
    feedback_cases: OpenCases = Field(
        description="The closed loop's open work: detractors' feedback cases unresolved as of"
        " `as_of` (from survey-service's feedback_case.updated events)"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "as_of": "2026-11-27T12:00:00Z",
                    "segment_id": None,
                    "customers": 412,
                    "active_customers": 301,
                    "churn": {"churned_12m": 15, "customers_12m_ago": 380, "rate_12m": 0.0395},
                    "nps": {
                        "score_12m": 31.5,
                        "responses_12m": 220,
                        "previous_score": 24.0,
                        "change": 7.5,
                        "trend": [{"month": "2026-11-01", "score": 35.0, "responses": 20}],
                    },
                    "revenue": {
                        "currency": "EUR",
                        "last_12m": "1843200.50",
                        "previous_12m": "1610000.00",
                        "change": 0.1448,
                        "orders_12m": 1290,
                        "left_out": {"orders": 3, "currencies": ["USD"]},
                        "trend": [{"month": "2026-11-01", "revenue": "152000.00", "orders": 98}],
                    },
                    "clv": {
                        "currency": "EUR",
                        "customers": 398,
                        "total": "2950000.00",
                        "average": "7412.06",
                        "left_out_customers": 1,
                        "left_out_currencies": ["USD"],
                    },
                    "abc": {"A": 61, "B": 102, "C": 249},
                    "at_risk": 23,
                    "risk_threshold": 0.6,
                    "renewals_due": {"within_30_days": 7, "within_60_days": 12},
                    "feedback_cases": {"open": 9, "overdue": 2},
                }
            ]
        }
    }


@router.get("/dashboard", response_model=Dashboard, responses=problem_responses(404))
async def get_dashboard(
    uow: UowDep,
    identity: CurrentIdentity,
    rules: RulesDep,
    segment_id: SegmentId = None,
    as_of: AsOf = None,
) -> Dashboard:
    """The figures of the start page in one call: customers and active customers, the churn
    rate of the last 12 months, NPS (last 12 months, the 12 before, and by month), revenue
    (the same), the predicted CLV in total and on average, the ABC split, customers at
    risk, contract renewals due (by notice date) and the open and overdue feedback cases.

    Money: revenue is in the reporting currency of GET /api/v1/settings/analytics
    (`revenue.currency`); an order in another currency counts through its exchange rate
    there, and without one it is left out of the amounts and of `orders_12m` and counted in
    `revenue.left_out` instead. The CLV figures are in the currency of the last CLV run
    (`clv.currency`), which left out the customers whose orders have no rate.

    With `segment_id` the same figures, by the same definitions, of a saved segment's
    members only (as of its last evaluation; 404 for an unknown segment): their customer
    rows, orders, NPS answers, contracts and feedback cases. Without it the figures come
    from rollups and take milliseconds at any size; a segment's are counted from its
    members' rows, so they take time in proportion to the members and their orders: up to
    seconds for segments of 100,000 members and more."""
    identity.require_scope("analytics:read")
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.dashboard(
            InsightsRepository(uow.session),
            _moment(as_of),
            rules.churn_risk_threshold,
            rules.money(),
            segment_id,
        )
    return Dashboard.model_validate(figures)


class MarginFigures(BaseModel):
    revenue: Decimal
    cost: Decimal
    margin: Decimal = Field(description="revenue - cost")
    margin_percent: float | None = Field(description="margin / revenue in %; none without revenue")


class MarginMonth(MarginFigures):
    month: date


class ProductMargin(MarginFigures):
    product_id: uuid.UUID
    sku: str = Field(description="The SKU the product was last sold under")
    product_name: str | None = Field(
        description="The product's name as contacts-service last announced it; none until "
        "analytics has seen a product event of it"
    )
    quantity: Decimal
    orders: int
    customers: int = Field(description="Customers who bought it in the period")
    candidate_to_drop: bool = Field(description="margin_percent below threshold_percent")
    trend: list[MarginMonth] = Field(description="One point per calendar month, oldest first")


class DropCandidates(BaseModel):
    products: int
    revenue: Decimal = Field(description="The candidates' revenue in the period")
    margin: Decimal
    customers: int = Field(description="Customers who bought any candidate in the period")


class ProductMargins(BaseModel):
    since: datetime
    until: datetime
    segment_id: uuid.UUID | None = Field(
        None, description="The saved segment whose members' purchases were counted, if one"
    )
    currency: str = Field(description="The reporting currency every amount here is in")
    left_out: LeftOut = Field(description="Orders of the period whose lines were left out")
    threshold_percent: Decimal
    products: list[ProductMargin] = Field(description="By revenue, highest first")
    candidates: DropCandidates

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "since": "2025-12-01T00:00:00Z",
                    "until": "2026-11-27T12:00:00Z",
                    "segment_id": None,
                    "currency": "EUR",
                    "left_out": {"orders": 2, "currencies": ["USD"]},
                    "threshold_percent": "20",
                    "products": [
                        {
                            "product_id": "5b0c8f9e-3f1d-4a57-9a57-1d3c0c3b8f10",
                            "sku": "WV-SERVICE-PLUS",
                            "product_name": "Wartungsvertrag Service Plus",
                            "quantity": "42.000",
                            "revenue": "50400.00",
                            "cost": "44352.00",
                            "margin": "6048.00",
                            "margin_percent": 12.0,
                            "orders": 40,
                            "customers": 31,
                            "candidate_to_drop": True,
                            "trend": [
                                {
                                    "month": "2026-11-01",
                                    "revenue": "3600.00",
                                    "cost": "3168.00",
                                    "margin": "432.00",
                                    "margin_percent": 12.0,
                                }
                            ],
                        }
                    ],
                    "candidates": {
                        "products": 1,
                        "revenue": "50400.00",
                        "margin": "6048.00",
                        "customers": 31,
                    },
                }
            ]
        }
    }


@router.get("/products/margins", response_model=ProductMargins, responses=problem_responses(404))
async def get_product_margins(
    uow: UowDep,
    identity: CurrentIdentity,
    rules: RulesDep,
    months: Months = 12,
    threshold_percent: Annotated[
        Decimal | None,
        Query(
            ge=-100,
            le=100,
            description="Margin % under which a product is a candidate to drop "
            "(default: the margin threshold of GET /api/v1/settings/analytics)",
        ),
    ] = None,
    segment_id: SegmentId = None,
    as_of: AsOf = None,
) -> ProductMargins:
    """Offer margins (A6) from the order lines: per product the revenue, cost, margin and
    margin % over the period and by month; products whose margin % is under the threshold
    are flagged as candidates to drop, with the revenue, margin and customers that dropping
    them all would affect. Of every customer's purchases, or of a saved segment's members'
    (`segment_id`).

    Amounts are in the reporting currency (`currency`, GET /api/v1/settings/analytics): a
    line sold in another currency is converted by that currency's exchange rate; without a
    rate it is left out of every figure here (amounts, quantities, orders, customers), and
    its orders and currency are counted in `left_out`, so no amount is summed as if it were
    in a currency it is not.

    Fast (under a second at 16M lines, where a count of every line takes a minute) for
    everyone's purchases up to a moment after the last association run's cutoff (five
    minutes before the run started; runs every few hours and on POST
    /api/v1/analytics/associations/runs), so with `as_of` omitted: for any `months`,
    threshold and exchange rates, the run's counts per product, month and currency plus the
    lines recorded since, the same figures as a count of every line. With `segment_id`, an
    `as_of` before the last run's cutoff, or before any run, every line of the window is
    read (seconds to minutes at millions of lines)."""
    identity.require_scope("analytics:read")
    threshold = rules.margin_threshold if threshold_percent is None else threshold_percent
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.product_margins(
            InsightsRepository(uow.session),
            _moment(as_of),
            months,
            threshold,
            rules.money(),
            segment_id,
        )
    return ProductMargins.model_validate(figures)


class ReasonSeries(BaseModel):
    reason: str
    counts: list[int] = Field(description="Churns per period, aligned with `periods`")
    total: int


class ClassReasons(BaseModel):
    abc_class: str | None = Field(description="A, B, C, or none: not classified yet")
    counts: dict[str, int] = Field(description="Churns per reason code")
    total: int


class ChurnReasons(BaseModel):
    interval: Interval
    segment_id: uuid.UUID | None = Field(description="The saved segment counted, if one")
    since: datetime
    until: datetime
    periods: list[date] = Field(description="The start of each period, oldest first")
    reasons: list[str] = Field(description="The reason codes, customer.churned's first")
    series: list[ReasonSeries] = Field(description="One series per reason, for a stacked chart")
    totals: list[int] = Field(description="All churns per period")
    by_abc_class: list[ClassReasons]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "interval": "quarter",
                    "segment_id": None,
                    "since": "2026-01-01T00:00:00Z",
                    "until": "2026-11-27T12:00:00Z",
                    "periods": ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"],
                    "reasons": ["price", "service", "other"],
                    "series": [
                        {"reason": "price", "counts": [2, 1, 0, 3], "total": 6},
                        {"reason": "service", "counts": [0, 1, 1, 0], "total": 2},
                        {"reason": "other", "counts": [0, 0, 1, 0], "total": 1},
                    ],
                    "totals": [2, 2, 2, 3],
                    "by_abc_class": [
                        {
                            "abc_class": "A",
                            "counts": {"price": 2, "service": 0, "other": 0},
                            "total": 2,
                        },
                        {
                            "abc_class": "B",
                            "counts": {"price": 1, "service": 1, "other": 0},
                            "total": 2,
                        },
                        {
                            "abc_class": "C",
                            "counts": {"price": 3, "service": 1, "other": 1},
                            "total": 5,
                        },
                        {
                            "abc_class": None,
                            "counts": {"price": 0, "service": 0, "other": 0},
                            "total": 0,
                        },
                    ],
                }
            ]
        }
    }


@router.get("/churn/reasons", response_model=ChurnReasons, responses=problem_responses(404))
async def get_churn_reasons(
    uow: UowDep,
    identity: CurrentIdentity,
    interval: Annotated[Interval, Query(description="The period to count churns by")] = "month",
    since: Annotated[
        datetime | None,
        Query(description="From this moment's period on (default: 11 months before as_of)"),
    ] = None,
    segment_id: Annotated[
        uuid.UUID | None, Query(description="Only the churns of this saved segment's members")
    ] = None,
    as_of: AsOf = None,
) -> ChurnReasons:
    """Churn reasons over time (C6): each customer.churned (also of customers won back
    since) counted by its reason code per month, quarter or year, and per reason by the
    customer's current ABC class; of all customers or of a saved segment's members."""
    identity.require_scope("analytics:read")
    start, until = _window(since, as_of, -11, "as_of")
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.churn_reasons(
            InsightsRepository(uow.session), until, interval, start, segment_id
        )
    return ChurnReasons.model_validate(figures)


class CohortRow(BaseModel):
    cohort: date = Field(description="The acquisition month: that of the first order")
    customers: int = Field(description="Customers acquired in that month")
    active: list[int] = Field(description="Per month since acquisition: customers who ordered")
    retention: list[float | None] = Field(description="active / customers, per month since")
    revenue: list[Decimal] = Field(description="The cohort's revenue per month since")


class Cohorts(BaseModel):
    since: datetime
    until: datetime
    segment_id: uuid.UUID | None = Field(
        None, description="The saved segment whose members were counted, if one"
    )
    currency: str = Field(description="The reporting currency of the revenue")
    left_out: LeftOut = Field(
        description="The cohorts' orders left out of the revenue (they count for retention)"
    )
    months_since: list[int] = Field(description="The matrix's columns: 0 = acquisition month")
    cohorts: list[CohortRow] = Field(
        description="The matrix's rows, oldest first; each as long as months have passed"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "since": "2026-10-01T00:00:00Z",
                    "until": "2026-11-27T12:00:00Z",
                    "segment_id": None,
                    "currency": "EUR",
                    "left_out": {"orders": 0, "currencies": []},
                    "months_since": [0, 1],
                    "cohorts": [
                        {
                            "cohort": "2026-10-01",
                            "customers": 40,
                            "active": [40, 9],
                            "retention": [1.0, 0.225],
                            "revenue": ["48000.00", "7300.00"],
                        },
                        {
                            "cohort": "2026-11-01",
                            "customers": 31,
                            "active": [31],
                            "retention": [1.0],
                            "revenue": ["35100.00"],
                        },
                    ],
                }
            ]
        }
    }


@router.get("/cohorts", response_model=Cohorts, responses=problem_responses(404))
async def get_cohorts(
    uow: UowDep,
    identity: CurrentIdentity,
    rules: RulesDep,
    months: Months = 12,
    segment_id: SegmentId = None,
    as_of: AsOf = None,
) -> Cohorts:
    """Cohorts (A8): customers grouped by the month of their first order; for each cohort
    and each month since, how many of them ordered (retention) and their revenue, as a
    triangular matrix for a heat map. Of every customer or of a saved segment's members
    (`segment_id`). Revenue is in the reporting currency (`currency`); an order in a
    currency without an exchange rate counts for retention but not for revenue, and is
    counted in `left_out`."""
    identity.require_scope("analytics:read")
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.cohorts(
            InsightsRepository(uow.session), _moment(as_of), months, rules.money(), segment_id
        )
    return Cohorts.model_validate(figures)


class Driver(BaseModel):
    attribute: str = Field(
        description="abc_a, abc_b, abc_c, under_contract (shares); tenure_years, orders, "
        "products, interactions, tickets, service_cost (means)"
    )
    kind: Literal["share", "mean"]
    promoters: float | None = Field(description="The promoters' share or mean")
    others: float | None = Field(description="The passives' and detractors' share or mean")
    difference: float | None = Field(description="promoters - others; none without data")
    ci_low: float | None = Field(description="95 % confidence interval of the difference")
    ci_high: float | None
    significant: bool = Field(description="The interval excludes zero: not likely noise")
    odds_ratio: float | None = Field(
        None,
        description="Shares only: the promoters' odds of having the trait over the others' "
        "(> 1: more common among promoters); none for means and without data",
    )
    odds_ratio_ci_low: float | None = Field(
        None, description="95 % confidence interval of the odds ratio (Woolf's log method)"
    )
    odds_ratio_ci_high: float | None = None
    haldane_corrected: bool = Field(
        False,
        description="A cell of the 2x2 table was zero, so 0.5 was added to every cell "
        "before the odds ratio and its interval were computed",
    )


class PromoterDrivers(BaseModel):
    since: datetime
    until: datetime
    survey_id: uuid.UUID | None
    segment_id: uuid.UUID | None = Field(
        None, description="The saved segment whose members were counted, if one"
    )
    promoters: int = Field(description="Respondents whose latest answer was a promoter's")
    others: int = Field(description="Respondents whose latest answer was not")
    drivers: list[Driver] = Field(description="Significant ones first, strongest first")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "since": "2025-11-27T12:00:00Z",
                    "until": "2026-11-27T12:00:00Z",
                    "survey_id": None,
                    "segment_id": None,
                    "promoters": 88,
                    "others": 132,
                    "drivers": [
                        {
                            "attribute": "under_contract",
                            "kind": "share",
                            "promoters": 0.62,
                            "others": 0.31,
                            "difference": 0.31,
                            "ci_low": 0.18,
                            "ci_high": 0.44,
                            "significant": True,
                            "odds_ratio": 3.6992,
                            "odds_ratio_ci_low": 2.097,
                            "odds_ratio_ci_high": 6.5254,
                            "haldane_corrected": False,
                        },
                        {
                            "attribute": "tickets",
                            "kind": "mean",
                            "promoters": 1.2,
                            "others": 1.4,
                            "difference": -0.2,
                            "ci_low": -0.61,
                            "ci_high": 0.21,
                            "significant": False,
                        },
                    ],
                }
            ]
        }
    }


@router.get("/nps/drivers", response_model=PromoterDrivers, responses=problem_responses(404))
async def get_promoter_drivers(
    uow: UowDep,
    identity: CurrentIdentity,
    survey_id: Annotated[uuid.UUID | None, Query(description="Only this survey's answers")] = None,
    segment_id: Annotated[
        uuid.UUID | None, Query(description="Only the answers of this saved segment's members")
    ] = None,
    since: Annotated[
        datetime | None, Query(description="Answers from (default: 12 months before until)")
    ] = None,
    until: Annotated[datetime | None, Query(description="Answers before (default: now)")] = None,
) -> PromoterDrivers:
    """Promoter drivers (A5): what distinguishes promoters from passives and detractors.
    Each respondent counts once, by their latest answer in the period; for each attribute
    the promoters' and the others' share (ABC class, under a running contract) or mean
    (tenure, orders, distinct products bought, interactions, support tickets, service
    cost), their difference and its 95 % confidence interval (Wald for shares, Welch for
    means) — an interval covering zero is what noise looks like. Tenure is as of `until`,
    the other attributes as analytics knows them now.

    For each share also the odds ratio: with a and b the promoters with and without the
    trait, c and d the others with and without it, OR = (a·d) / (b·c), and its 95 %
    interval by Woolf's log method, exp(ln OR ± 1.96·√(1/a + 1/b + 1/c + 1/d)). When a cell
    is zero, 0.5 is added to every cell first (Haldane-Anscombe) and `haldane_corrected` says
    so. An odds-ratio interval covering 1 is noise. Means have no odds ratio.

    Per survey (`survey_id`), per period (`since`, `until`) and per saved segment
    (`segment_id`: its members as of the last evaluation; 404 for an unknown segment)."""
    identity.require_scope("analytics:read")
    start, end = _window(since, until, -12, "until")
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.promoter_drivers(
            InsightsRepository(uow.session), start, end, survey_id, segment_id
        )
    return PromoterDrivers.model_validate(figures)


class ClvBin(BaseModel):
    low: Decimal = Field(description="Inclusive")
    high: Decimal = Field(description="Exclusive")
    customers: int


class ClvDistribution(BaseModel):
    abc_class: Literal["A", "B", "C"] | None = Field(description="The class counted, if one")
    segment_id: uuid.UUID | None = Field(
        None, description="The saved segment whose members were counted, if one"
    )
    currency: str = Field(description="The currency of the last CLV run's predictions")
    customers: int = Field(description="Customers with a prediction of the last CLV run")
    left_out_customers: int = Field(
        description="Customers (of all, whatever the filters) the last run made no prediction "
        "for because none of their orders is in a currency with an exchange rate"
    )
    left_out_currencies: list[str] = Field(description="The currencies the run left out")
    median: Decimal | None
    mean: Decimal | None
    bins: list[ClvBin] = Field(
        description="Log scale with round edges (1-2-5 steps, or whole decades), lowest "
        "first; values under a cent in a first bin of their own; none without customers"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "abc_class": None,
                    "segment_id": None,
                    "currency": "EUR",
                    "customers": 398,
                    "left_out_customers": 1,
                    "left_out_currencies": ["USD"],
                    "median": "3120.50",
                    "mean": "7412.06",
                    "bins": [
                        {"low": "1000.00", "high": "2000.00", "customers": 120},
                        {"low": "2000.00", "high": "5000.00", "customers": 180},
                        {"low": "5000.00", "high": "10000.00", "customers": 97},
                        {"low": "10000.00", "high": "20000.00", "customers": 1},
                    ],
                }
            ]
        }
    }


@router.get("/clv/distribution", response_model=ClvDistribution, responses=problem_responses(404))
async def get_clv_distribution(
    uow: UowDep,
    identity: CurrentIdentity,
    rules: RulesDep,
    bins: Annotated[
        int,
        Query(
            ge=2,
            le=100,
            description="At most this many bins: 1-2-5 steps when they fit, else coarser "
            "steps of whole decades",
        ),
    ] = 20,
    abc_class: Annotated[
        Literal["A", "B", "C"] | None, Query(description="Only this ABC class")
    ] = None,
    segment_id: SegmentId = None,
) -> ClvDistribution:
    """How the predicted CLV of the last CLV run spreads over the customers (A2): a
    histogram with the median and the mean. CLV is spread over orders of magnitude (most
    customers worth hundreds, a few worth millions), so the bins are on a log scale: each
    bin is a step of the same ratio between round edges (100, 200, 500, 1,000, ...), from
    the edge at or below the lowest prediction to the first above the highest. Equal-width
    bins would put nearly every customer into the first bin; quantile bins would be equally
    full by construction and have odd edges. Empty bins between occupied ones are kept.

    Customers the run made no prediction for (no order up to its as_of, or only orders in
    currencies without an exchange rate: `left_out_customers`) are not counted. The values
    are in the currency of the last run (`currency`). Of every customer, of an ABC class, of
    a saved segment's members, or of both."""
    identity.require_scope("analytics:read")
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.clv_distribution(
            InsightsRepository(uow.session), bins, abc_class, rules.money(), segment_id
        )
    return ClvDistribution.model_validate(figures)


class ParetoBucket(BaseModel):
    customers: int = Field(description="Customers in this slice")
    customer_share: float = Field(description="Share of the customers up to this slice, 0..1")
    value: Decimal = Field(description="The slice's value (negatives as 0)")
    value_share: float = Field(description="The slice's share of the total value, 0..1")
    cumulative_share: float = Field(description="Share of the total value up to this slice")


class AbcPareto(BaseModel):
    segment_id: uuid.UUID | None = Field(
        None, description="The saved segment whose members were ranked, if one"
    )
    customers: int = Field(description="Customers the last recompute classified")
    total_value: Decimal
    buckets: list[ParetoBucket] = Field(description="Highest value first")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "segment_id": None,
                    "customers": 400,
                    "total_value": "1000000.00",
                    "buckets": [
                        {
                            "customers": 20,
                            "customer_share": 0.05,
                            "value": "420000.00",
                            "value_share": 0.42,
                            "cumulative_share": 0.42,
                        }
                    ],
                }
            ]
        }
    }


@router.get("/segments/abc/pareto", response_model=AbcPareto, responses=problem_responses(404))
async def get_abc_pareto(
    uow: UowDep,
    identity: CurrentIdentity,
    buckets: Annotated[
        int, Query(ge=1, le=100, description="Slices of (nearly) equal customer count")
    ] = 20,
    segment_id: SegmentId = None,
) -> AbcPareto:
    """The Pareto curve behind the ABC split (A3): the classified customers ranked by the
    value the split uses (predicted CLV, else net value; negatives as 0), in slices, each
    with its value and the running share of the total — bars and a cumulative line, to
    read against the class thresholds of GET /segments/abc. With `segment_id` only the
    segment's members are ranked (their classes stay those of the whole split)."""
    identity.require_scope("analytics:read")
    async with uow:
        await _require_segment(uow, segment_id)
        figures = await insights.abc_pareto(InsightsRepository(uow.session), buckets, segment_id)
    return AbcPareto.model_validate(figures)


PRODUCT_NAME = (
    "The product's name as contacts-service last announced it; none until analytics has "
    "seen a product event of it (show the SKU then)"
)


class OfferRead(BaseModel):
    product_id: uuid.UUID
    sku: str
    product_name: str | None = Field(description=PRODUCT_NAME)
    score: float = Field(description="confidence x margin_per_sale: the margin to expect")
    confidence: float = Field(description="Share of the buyers of because_of who bought this")
    lift: float = Field(description="confidence / this product's share of buyers (> 1: together)")
    margin_per_sale: Decimal | None = Field(
        description="Average margin per sale in `currency`, of the sales whose currency "
        "converts; none when none does (the offer then scores 0)"
    )
    because_of: uuid.UUID = Field(description="The customer's product that suggests it")
    because_of_sku: str
    because_of_name: str | None = Field(description=PRODUCT_NAME)
    reason: str = Field(description="Why this offer, in words")


class Offers(BaseModel):
    contact_id: uuid.UUID
    currency: str = Field(description="The reporting currency of score and margin_per_sale")
    items: list[OfferRead] = Field(description="Best first")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "contact_id": "9f1d2c3b-4a5e-4f60-8a7b-1c2d3e4f5a6b",
                    "currency": "EUR",
                    "items": [
                        {
                            "product_id": "5b0c8f9e-3f1d-4a57-9a57-1d3c0c3b8f10",
                            "sku": "WV-SERVICE-PLUS",
                            "product_name": "Wartungsvertrag Service Plus",
                            "score": 540.0,
                            "confidence": 0.6,
                            "lift": 2.4,
                            "margin_per_sale": "900.00",
                            "because_of": "0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b",
                            "because_of_sku": "FR-5AX-200",
                            "because_of_name": "Fräse 5-Achs 200",
                            "reason": "6 of 10 customers who bought Fräse 5-Achs 200 also "
                            "bought Wartungsvertrag Service Plus (2.4 x as often as customers "
                            "at large); 900.00 EUR margin per sale",
                        }
                    ],
                }
            ]
        }
    }


ASSOCIATIONS_AS_OF = (
    "The co-purchase counts (together, buyers, population) and the margin per sale are "
    "those of the last association run (POST /api/v1/analytics/associations/runs; it also "
    "runs every few hours), so a purchase since then does not move them yet. What the "
    "customer owns is read as of now: a product they bought since is never offered. Before "
    "the first run there are no offers."
)


@router.get(
    "/customers/{contact_id}/offers",
    response_model=Offers,
    responses=problem_responses(404),
    summary="Next best offers",
    description="Next best offers (A7): products the customer has not bought yet. "
    + inspect.cleandoc(offers_domain.__doc__ or "").split("\n", 2)[2]
    + "\n\n"
    + ASSOCIATIONS_AS_OF,
)
async def get_offers(
    contact_id: uuid.UUID,
    request: Request,
    identity: CurrentIdentity,
    rules: RulesDep,
    limit: Annotated[int, Query(ge=1, le=20, description="At most this many offers")] = 5,
) -> Offers:
    identity.require_scope("analytics:read")
    money = rules.money()
    async with request.app.state.runtime.session_factory() as session:
        if await CustomerRepository(session).get(contact_id) is None:
            raise NotFound(f"analytics knows no customer {contact_id} (yet)")
        found = await associations.co_purchases(
            AssociationRepository(session), contact_id, money, limit
        )
    offers = rank_offers(found, limit)
    return Offers(
        contact_id=contact_id,
        currency=money.currency,
        items=[_offer(o, money.currency) for o in offers],
    )


def _offer(offer: Offer, currency: str) -> OfferRead:
    margin = (
        "margin per sale unknown (no exchange rate for its currency)"
        if offer.margin_per_sale is None
        else f"{offer.margin_per_sale:.2f} {currency} margin per sale"
    )
    reason = (
        f"{offer.customers_together} of {offer.customers_with_owned} customers who bought "
        f"{offer.because_of_name or offer.because_of_sku} also bought "
        f"{offer.name or offer.sku} ({offer.lift:g} x as often as customers at large); {margin}"
    )
    return OfferRead(
        product_id=offer.product_id,
        sku=offer.sku,
        product_name=offer.name,
        score=offer.score,
        confidence=offer.confidence,
        lift=offer.lift,
        margin_per_sale=offer.margin_per_sale,
        because_of=offer.because_of,
        because_of_sku=offer.because_of_sku,
        because_of_name=offer.because_of_name,
        reason=reason,
    )


PROSPECT_KNOWN = (
    "The customer as analytics last heard of them; none (with the value fields) until "
    "analytics has seen a contact event of them"
)


class Prospect(BaseModel):
    contact_id: uuid.UUID
    confidence: float = Field(description="Share of the buyers of because_of who bought it")
    because_of: uuid.UUID = Field(description="The customer's product whose buyers bought it")
    because_of_sku: str
    because_of_name: str | None = Field(description=PRODUCT_NAME)
    reason: str
    first_name: str | None = Field(description=PROSPECT_KNOWN)
    last_name: str | None = Field(description=PROSPECT_KNOWN)
    company: str | None
    abc_class: str | None = Field(description="A, B or C by value share; /segments/abc")
    currency: str | None = Field(
        description="The currency of net_value: that of the customer's orders, as sold"
    )
    net_value: Decimal | None = Field(
        description="Historical value: revenue - cost - service cost - acquisition cost"
    )
    clv: Decimal | None = Field(description="Predicted CLV of the last CLV run, if it made one")
    clv_currency: str | None = Field(
        description="The currency of clv: the reporting currency of the CLV run that predicted it"
    )


class Prospects(BaseModel):
    product_id: uuid.UUID
    items: list[Prospect] = Field(description="Most likely first")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "product_id": "5b0c8f9e-3f1d-4a57-9a57-1d3c0c3b8f10",
                    "items": [
                        {
                            "contact_id": "9f1d2c3b-4a5e-4f60-8a7b-1c2d3e4f5a6b",
                            "confidence": 0.6,
                            "because_of": "0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b",
                            "because_of_sku": "FR-5AX-200",
                            "because_of_name": "Fräse 5-Achs 200",
                            "reason": "6 of 10 customers who bought Fräse 5-Achs 200 also "
                            "bought it",
                            "first_name": "Anna",
                            "last_name": "Becker",
                            "company": "Becker Metallbau GmbH",
                            "abc_class": "A",
                            "currency": "EUR",
                            "net_value": "18450.00",
                            "clv": "24100.00",
                            "clv_currency": "EUR",
                        }
                    ],
                }
            ]
        }
    }


@router.get(
    "/products/{product_id}/prospects",
    response_model=Prospects,
    description=inspect.cleandoc(
        """Customers to offer a product to (A7): those who have not bought it, ranked by the
        co-purchase confidence of the product of theirs whose buyers most often bought it
        too, each with their name and value (net value, CLV, ABC class) to judge the call by.
        A product nobody bought has no prospects.

        The confidences are those of the last association run
        (POST /api/v1/analytics/associations/runs; it also runs every few hours); who
        bought what is read as of now: a customer who bought the product since is no
        prospect. Before the first run there are none."""
    ),
)
async def get_prospects(
    product_id: uuid.UUID,
    request: Request,
    identity: CurrentIdentity,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many customers")] = 50,
) -> Prospects:
    identity.require_scope("analytics:read")
    async with request.app.state.runtime.session_factory() as session:
        rows = await associations.prospects(AssociationRepository(session), product_id, limit)
        run_currencies = await CustomerRepository(session).run_currencies(
            {row["clv_run_id"] for row in rows if row["clv_run_id"] is not None}
        )
    items = [
        Prospect(
            contact_id=row["contact_id"],
            confidence=row["confidence"],
            because_of=row["owned"],
            because_of_sku=row["owned_sku"],
            because_of_name=row["owned_name"],
            reason=f"{row['together']} of {row['owners']} customers who bought "
            f"{row['owned_name'] or row['owned_sku']} also bought it",
            first_name=row["first_name"],
            last_name=row["last_name"],
            company=row["company"],
            abc_class=row["abc_class"],
            currency=row["currency"],
            net_value=row["net_value"],
            clv=row["clv"],
            clv_currency=(
                run_currencies.get(row["clv_run_id"]) if row["clv"] is not None else None
            ),
        )
        for row in rows
    ]
    return Prospects(product_id=product_id, items=items)
