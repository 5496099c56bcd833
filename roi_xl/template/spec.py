"""The measurement-plan workbook, described as data.

Everything `build.py` writes, `check.py` reads and the examples fill comes from here: the sheets,
each list as an Excel table at a fixed place with a fixed number of rows, every column's header,
kind (an input the user types, or a computed cell), number format, drop-down validation and
formula, the Summary figures and the names code reads them by.

Formulas refer to the lists by structured references, as a user would type them
(`COST_TOTAL(tblCosts[Amount],...)`; in a table's own rows the form Excel stores,
`tblCosts[[#This Row],[Hours]]`), never to whole columns, and call roi-xl's functions by their
plain Excel names. Drop-down validations keep A1 ranges (Excel takes no structured reference
there).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from ..references import column_letters, quote_sheet

# ------------------------------------------------------------------ drop-down lists

CHANNELS = ("Facebook", "Instagram", "LinkedIn", "Twitter/X", "TikTok", "YouTube", "Pinterest",
            "WhatsApp", "Blog", "Email", "All channels", "Other")
OBJECTIVE_TYPES = ("Sales", "Leads", "Customer service", "Web traffic", "Awareness", "Engagement",
                   "Retention", "Reputation", "Recruitment", "Other")
DIRECTIONS = ("higher", "lower")
COST_CATEGORIES = ("Staff", "Platforms and tools", "Advertising", "Content and creative",
                   "Agency and freelancers", "Refunds and discounts", "Research", "Training",
                   "Conferences and events", "Other")
FREQUENCIES = ("Real time", "Daily", "Weekly", "Monthly", "Quarterly")
CADENCES = ("Weekly", "Fortnightly", "Monthly", "Quarterly", "Yearly")
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "MXN", "BRL", "ARS", "COP",
              "CLP", "PEN", "CAD", "AUD")
TOOLS = ("Google Analytics", "Meta Business Suite", "Meta Ads Manager", "LinkedIn Campaign Manager",
         "LinkedIn Page Analytics", "X Analytics", "TikTok Analytics", "YouTube Studio", "CRM",
         "E-commerce platform", "Call-centre system", "Help-desk software", "Social listening tool",
         "Survey tool")

# ATTRIBUTION_WEIGHTS' models (roi_xl.measures.attribution.MODELS), in the order a reader meets them.
ATTRIBUTION_MODELS = ("first", "last", "linear", "position", "time_decay")

LISTS: dict[str, tuple[str, ...]] = {
    "channel": CHANNELS, "objective_type": OBJECTIVE_TYPES, "direction": DIRECTIONS,
    "cost_category": COST_CATEGORIES, "frequency": FREQUENCIES, "cadence": CADENCES,
    "currency": CURRENCIES, "tool": TOOLS, "model": ATTRIBUTION_MODELS,
}
# Lists whose drop-down only suggests: other values are accepted (a tool not in the list).
SUGGESTION_LISTS = frozenset({"tool"})

# ------------------------------------------------------------------ formats and styles

_CURRENCY_SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£"}


def currency_format(currency: str, decimals: int = 2) -> str:
    """The number format of money cells for a currency code: a symbol or the code itself
    (chart axes take whole amounts: `decimals=0`)."""
    code = (currency or "EUR").upper()
    symbol = _CURRENCY_SYMBOL.get(code)
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    if symbol:
        return f'"{symbol}"{number};-"{symbol}"{number}'
    return f'{number} "{code}";-{number} "{code}"'


FORMATS = {
    "text": "@",
    "int": "#,##0",
    "number": "#,##0.00",
    "hours": "#,##0.0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "periods": "0.00",
    # "money" is resolved per workbook by currency_format()
}

INPUT_FILL = "FFF9C4"      # light yellow: type here
COMPUTED_FILL = "E7E6E6"   # grey: calculated, do not type over
HEADER_FILL = "1F4E78"     # dark blue table headers, white bold text
SECTION_FILL = "D9E1F2"
RED_FILL = "F8696B"
AMBER_FILL = "FFD966"
GREEN_FILL = "A9D08E"

INPUT = "input"
COMPUTED = "computed"

# ------------------------------------------------------------------ declarations


def _escape(header: str) -> str:
    """A column name as written inside a structured reference's brackets."""
    return "".join("'" + ch if ch in "[]#'" else ch for ch in header)


def column_ref(table: str, header: str) -> str:
    """`tblCosts[Amount]`: a column's data cells."""
    return f"{table}[{_escape(header)}]"


def here(table: str, header: str, last: str | None = None) -> str:
    """`tblCosts[[#This Row],[Amount]]`: the column's cell in the formula's own row (or a span
    of columns up to `last`), the form Excel stores for `[@Amount]`."""
    span = f"[{_escape(header)}]" + (f":[{_escape(last)}]" if last else "")
    return f"{table}[[#This Row],{span}]"



@dataclass(frozen=True)
class Column:
    key: str                  # the field name examples and check use
    header: str
    kind: str = INPUT         # INPUT or COMPUTED
    fmt: str = "text"         # a FORMATS key or "money"
    width: float = 14
    validation: str | None = None   # a LISTS key, "ref:<range>", "date", "fraction", "nonneg", "int"
    # for COMPUTED columns: the same in every row, with {r} the row's Excel number and {i} its
    # index in the table (0 for the first row); or a function of (r, i) giving each row's text
    formula: str | Callable[[int, int], str] | None = None
    required: bool = False    # check: a filled row must have it
    help: str = ""            # the validation input message


@dataclass(frozen=True)
class Table:
    name: str                 # Excel table name
    sheet: str
    header_row: int
    rows: int                 # data rows (capacity)
    columns: tuple[Column, ...]
    title: str = ""           # section heading above the header (Value sheet)
    first_col: int = 1
    style: str = "TableStyleLight9"

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + self.rows

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.columns) - 1

    @property
    def ref(self) -> str:
        return (f"{column_letters(self.first_col)}{self.header_row}:"
                f"{column_letters(self.last_col)}{self.last_row}")

    def letter(self, key: str) -> str:
        for i, col in enumerate(self.columns):
            if col.key == key:
                return column_letters(self.first_col + i)
        raise KeyError(f"{self.name} has no column {key!r}")

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def col(self, key: str) -> str:
        """The structured reference to one column's data: `tblCosts[Amount]`."""
        return column_ref(self.name, self.column(key).header)

    @property
    def input_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.kind == INPUT)


@dataclass(frozen=True)
class Field:
    """One labelled cell of Start or Summary: label in column A, value in column B."""
    row: int
    label: str
    key: str | None = None          # a field name (examples fill Start/RONI inputs by it)
    kind: str = INPUT
    fmt: str = "text"
    formula: str | None = None
    name: str | None = None         # a workbook-level defined name
    validation: str | None = None
    default: object = None
    note: str = ""                  # shown in column C


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    intro: str = ""
    freeze: str | None = None
    tables: tuple[Table, ...] = ()
    fields: tuple[Field, ...] = ()
    tab_color: str | None = None
    landscape: bool | None = None   # None: landscape when the columns are wider than A4 portrait


def quote(sheet: str) -> str:
    return sheet if sheet.replace("_", "").isalnum() else quote_sheet(sheet)


HEADER_ROW = 4  # list sheets: title row 1, instructions row 2, header row 4, data from row 5

# ------------------------------------------------------------------ the list sheets

OBJECTIVE_ROWS = 20
KPI_ROWS = 50
TACTIC_ROWS = 100
METRIC_ROWS = 50
COST_ROWS = 100
REPORT_ROWS = 20

_OBJ_FIRST, _OBJ_LAST = HEADER_ROW + 1, HEADER_ROW + OBJECTIVE_ROWS
_KPI_FIRST, _KPI_LAST = HEADER_ROW + 1, HEADER_ROW + KPI_ROWS
_MET_FIRST, _MET_LAST = HEADER_ROW + 1, HEADER_ROW + METRIC_ROWS

_OID = here("tblObjectives", "ID")
_MID = here("tblMetrics", "ID")
_CAD, _SENT = here("tblReports", "Cadence"), here("tblReports", "Last sent")


# One cell of the formula's own row, per table (short names keep the formulas readable).
_K, _C, _A, _D, _T, _U, _P = (partial(here, t) for t in (
    "tblKPIs", "tblCosts", "tblActions", "tblDeflection", "tblTraffic", "tblUplift", "tblPeriods"))


OBJECTIVES = Table("tblObjectives", "Objectives", HEADER_ROW, OBJECTIVE_ROWS, (
    Column("id", "ID", width=8, required=True, help="A short code: A, B, C..."),
    Column("objective", "Objective", width=44, required=True),
    Column("type", "Type", width=18, validation="objective_type", required=True),
    Column("owner", "Owner", width=18),
    Column("notes", "Notes", width=40),
    Column("kpis", "KPIs", kind=COMPUTED, fmt="int", width=8,
           formula=f'=IF({_OID}="","",COUNTIF({column_ref("tblKPIs", "Objective")},{_OID}))'),
))

KPIS = Table("tblKPIs", "KPIs", HEADER_ROW, KPI_ROWS, (
    Column("id", "ID", width=8, required=True),
    Column("kpi", "KPI", width=40, required=True),
    Column("objective", "Objective", width=11, required=True,
           validation=f"ref:Objectives!$A${_OBJ_FIRST}:$A${_OBJ_LAST}"),
    Column("channel", "Channel", width=14, validation="channel", required=True),
    Column("period", "Period", width=14, required=True, help="e.g. March 2025, Q1 2025"),
    Column("metric", "Metric", width=10, required=True,
           validation=f"ref:Metrics!$A${_MET_FIRST}:$A${_MET_LAST}"),
    Column("direction", "Direction", width=11, validation="direction",
           help="higher: more is better; lower: less is better"),
    Column("baseline", "Baseline", fmt="number", width=12, validation="number"),
    Column("target", "Target", fmt="number", width=12, validation="number", required=True),
    Column("actual", "Actual", fmt="number", width=12, validation="number"),
    Column("weight", "Weight", fmt="number", width=9, validation="nonneg"),
    Column("attainment", "Attainment", kind=COMPUTED, fmt="percent", width=12,
           formula=(f'=IF(OR({_K("ID")}="",{_K("Target")}="",{_K("Actual")}=""),"",'
                    f'KPI_ATTAINMENT({_K("Actual")},{_K("Target")},{_K("Direction")},'
                    f'{_K("Baseline")}))')),
    Column("status", "Status", kind=COMPUTED, width=10,
           formula=f'=IF({_K("Attainment")}="","",KPI_STATUS({_K("Attainment")},Start!$B$11,Start!$B$12))'),
    Column("tactics", "Tactics", kind=COMPUTED, fmt="int", width=9,
           formula=f'=IF({_K("ID")}="","",COUNTIF({column_ref("tblTactics", "KPI")},{_K("ID")}))'),
))

TACTICS = Table("tblTactics", "Tactics", HEADER_ROW, TACTIC_ROWS, (
    Column("id", "ID", width=8, required=True),
    Column("kpi", "KPI", width=9, required=True,
           validation=f"ref:KPIs!$A${_KPI_FIRST}:$A${_KPI_LAST}"),
    Column("tactic", "Tactic", width=50, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("owner", "Owner", width=18),
    Column("start", "Start", fmt="date", width=12, validation="date"),
    Column("end", "End", fmt="date", width=12, validation="date"),
))

METRICS = Table("tblMetrics", "Metrics", HEADER_ROW, METRIC_ROWS, (
    Column("id", "ID", width=8, required=True),
    Column("metric", "Metric", width=36, required=True),
    Column("definition", "Definition", width=44),
    Column("tool", "Tool", width=26, validation="tool", required=True,
           help="The tool that measures it (pick or type your own)"),
    Column("frequency", "Frequency", width=12, validation="frequency", required=True),
    Column("owner", "Owner", width=18),
    Column("used_by", "Used by KPIs", kind=COMPUTED, fmt="int", width=12,
           formula=f'=IF({_MID}="","",COUNTIF({column_ref("tblKPIs", "Metric")},{_MID}))'),
))

COSTS = Table("tblCosts", "Costs", HEADER_ROW, COST_ROWS, (
    Column("category", "Category", width=24, validation="cost_category", required=True),
    Column("item", "Item", width=40),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("hours", "Hours", fmt="hours", width=10, validation="nonneg"),
    Column("rate", "Rate", fmt="money", width=12, validation="nonneg"),
    Column("amount", "Amount", fmt="money", width=14, validation="number"),
    Column("allocation", "Allocation", fmt="percent", width=11, validation="fraction",
           help="Share charged to social, 0% to 100%; blank is 100%"),
    Column("cost", "Cost", kind=COMPUTED, fmt="money", width=14,
           formula=(f'=IF(AND({_C("Category")}="",{_C("Item")}="",{_C("Hours")}="",'
                    f'{_C("Amount")}=""),"",COST_TOTAL({_C("Amount")},{_C("Hours")},{_C("Rate")},'
                    f'{_C("Allocation")}))')),
))

REPORTS = Table("tblReports", "Reporting", HEADER_ROW, REPORT_ROWS, (
    Column("report", "Report", width=30, required=True),
    Column("audience", "Audience", width=26, required=True),
    Column("cadence", "Cadence", width=13, validation="cadence", required=True),
    Column("template", "Template / format", width=30),
    Column("metrics", "Metrics covered", width=22),
    Column("owner", "Owner", width=18),
    Column("last_sent", "Last sent", fmt="date", width=12, validation="date"),
    Column("next_due", "Next due", kind=COMPUTED, fmt="date", width=12,
           formula=(f'=IF(OR({_CAD}="",{_SENT}=""),"",IF({_CAD}="Weekly",{_SENT}+7,'
                    f'IF({_CAD}="Fortnightly",{_SENT}+14,IF({_CAD}="Monthly",EDATE({_SENT},1),'
                    f'IF({_CAD}="Quarterly",EDATE({_SENT},3),EDATE({_SENT},12))))))')),
))

# ------------------------------------------------------------------ the Value sheet (stacked tables)

REVENUE = Table("tblRevenue", "Value", 5, 20, (
    Column("source", "Source", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("kpi", "KPI", width=12, validation=f"ref:KPIs!$A${_KPI_FIRST}:$A${_KPI_LAST}"),
    Column("orders", "Orders / deals", fmt="int", width=14, validation="nonneg"),
    Column("revenue", "Revenue", fmt="money", width=16, validation="number", required=True),
    Column("notes", "How it is attributed", width=36),
), title="1. Revenue attributed to social (hard value)")

ACTIONS = Table("tblActions", "Value", 28, 20, (
    Column("action", "Action", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("count", "Count", fmt="int", width=12, validation="nonneg", required=True),
    Column("unit_value", "Unit value", fmt="money", width=14, validation="number", required=True),
    Column("value", "Value", kind=COMPUTED, fmt="money", width=16,
           formula=(f'=IF(AND({_A("Count")}="",{_A("Unit value")}=""),"",'
                    f'ACTION_VALUE({_A("Count")},{_A("Unit value")}))')),
    Column("notes", "Where the unit value comes from", width=36),
), title="2. Value of social actions (likes, shares, comments, clicks, leads...)")

DEFLECTION = Table("tblDeflection", "Value", 51, 10, (
    Column("item", "Service contacts", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("contacts", "Contacts deflected", fmt="int", width=12, validation="nonneg",
           required=True),
    Column("cost_per_contact", "Cost per call", fmt="money", width=14, validation="number",
           required=True),
    Column("social_cost", "Social cost per contact", fmt="money", width=16, validation="number"),
    Column("savings", "Savings", kind=COMPUTED, fmt="money", width=36,
           formula=(f'=IF({_D("Contacts deflected")}="","",DEFLECTION_SAVINGS('
                    f'{_D("Contacts deflected")},{_D("Cost per call")},'
                    f'{_D("Social cost per contact")}))')),
), title="3. Service contacts handled on social instead of the call centre (deflection savings)")

TRAFFIC = Table("tblTraffic", "Value", 64, 10, (
    Column("item", "Traffic", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("visits", "Visits", fmt="int", width=12, validation="nonneg", required=True),
    Column("conversion_rate", "Conversion rate", fmt="percent", width=14, validation="fraction",
           required=True),
    Column("value_per_conversion", "Value per conversion", fmt="money", width=16,
           validation="number", required=True),
    Column("value", "Value", kind=COMPUTED, fmt="money", width=36,
           formula=(f'=IF({_T("Visits")}="","",TRAFFIC_VALUE({_T("Visits")},'
                    f'{_T("Conversion rate")},{_T("Value per conversion")}))')),
), title="4. Web traffic referred by social (traffic value)")

UPLIFT = Table("tblUplift", "Value", 77, 10, (
    Column("segment", "Segment", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("engaged_value", "Engaged customer value", fmt="money", width=12,
           validation="number", required=True),
    Column("other_value", "Other customer value", fmt="money", width=14, validation="number",
           required=True),
    Column("engaged_count", "Engaged customers", fmt="int", width=16, validation="nonneg",
           required=True),
    Column("uplift", "Uplift", kind=COMPUTED, fmt="money", width=36,
           formula=(f'=IF({_U("Engaged customer value")}="","",SEGMENT_UPLIFT('
                    f'{_U("Engaged customer value")},{_U("Other customer value")},'
                    f'{_U("Engaged customers")}))')),
), title="5. Followers compared with non-followers (segment uplift)")

# ------------------------------------------------------------------ long buying cycles

LAG_ROWS = 12          # periods after the one a deal is opened in: 0..11
PERIOD_ROWS = 24
_PERIODS_HEADER = 90
_LAG_HEADER = _PERIODS_HEADER + PERIOD_ROWS + 4                 # 118
_LAG_FIRST = _LAG_HEADER + 1


def _landing(r: int, i: int) -> str:
    """Pipeline value landing in period i: sum over k of opened[i - k] x share[k], the column
    LAG_SPREAD(tblPeriods[Pipeline opened], tblLag[Share arriving]) would spill, written out
    period by period so that every Excel, and the engine's plan, compute it cell by cell."""
    opened, share = PERIODS.letter("opened"), LAG.letter("share")
    terms = "+".join(f"{opened}{r - k}*${share}${_LAG_FIRST + k}" for k in range(min(i + 1, LAG_ROWS)))
    return f'=IF({PERIODS.letter("period")}{r}="","",{terms})'


PERIODS = Table("tblPeriods", "Value", _PERIODS_HEADER, PERIOD_ROWS, (
    Column("period", "Period", width=40, required=True),
    Column("opened", "Pipeline opened", fmt="money", width=14, validation="nonneg",
           help="Expected value (PIPELINE_VALUE) of the pipeline social opened in this period."),
    Column("hard", "Hard value", fmt="money", width=14, validation="number"),
    Column("soft", "Soft value", fmt="money", width=12, validation="number"),
    Column("landing", "Pipeline landing", kind=COMPUTED, fmt="money", width=14,
           formula=lambda r, i: _landing(r, i)),
    Column("total", "Total", kind=COMPUTED, fmt="money", width=14,
           formula=(f'=IF(AND({_P("Hard value")}="",{_P("Soft value")}="",'
                    f'{_P("Pipeline landing")}=""),"",'
                    f'SUM({here("tblPeriods", "Hard value", "Pipeline landing")}))')),
), title="6. Value by period, in order (for payback); pipeline lands by the lag profile (7)")

LAG = Table("tblLag", "Value", _LAG_HEADER, LAG_ROWS, (
    Column("after", "Periods later", kind=COMPUTED, fmt="int", width=40, formula="={i}"),
    Column("share", "Share arriving", fmt="percent", width=14, validation="fraction",
           help="Share of a period's pipeline value that closes this many periods later."),
    Column("cumulative", "Cumulative", kind=COMPUTED, fmt="percent", width=12,
           formula=f"=SUM($B${_LAG_FIRST}:B{{r}})"),
), title="7. Lag profile: when pipeline value lands (long buying cycles; at most 100% in all)")

PIPELINE = Table("tblPipeline", "Value", _LAG_HEADER + LAG_ROWS + 4, 8, (
    Column("stage", "Stage", width=40, required=True),
    Column("deals", "Deals", fmt="int", width=14, validation="nonneg", required=True),
    Column("probability", "Win probability", fmt="percent", width=12, validation="fraction",
           required=True),
    Column("deal_value", "Deal value", fmt="money", width=14, validation="number", required=True),
    Column("expected", "Expected value", kind=COMPUTED, fmt="money", width=14,
           formula=(f'=IF({here("tblPipeline", "Deals")}="","",PIPELINE_VALUE('
                    f'{here("tblPipeline", "Deals")},{here("tblPipeline", "Win probability")},'
                    f'{here("tblPipeline", "Deal value")}))')),
), title="8. Pipeline opened by social in the period, by stage (expected value)")

# ------------------------------------------------------------------ attribution

TOUCH_ROWS = 6


def _path(model: str) -> str:
    """ATTRIBUTED_VALUE of the formula row's channel over the touches typed in tblTouches (their
    count is PathTouches), crediting the attributed revenue (HardValue) under `model`."""
    ch, days = TOUCHES.letter("channel"), TOUCHES.letter("days")
    first = TOUCHES.first_row
    channel = here("tblAttribution", "Channel")
    chain = '""'
    for n in range(TOUCH_ROWS, 0, -1):
        last = first + n - 1
        call = (f"ATTRIBUTED_VALUE(${ch}${first}:${ch}${last},${days}${first}:${days}${last},"
                f"HardValue,{channel},{model},HalfLife)")
        chain = f"IF(PathTouches={n},{call},{chain})"
    return f'=IF({channel}="","",{chain})'


TOUCHES = Table("tblTouches", "Value", PIPELINE.last_row + 4, TOUCH_ROWS, (
    Column("touch", "Touch", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel", required=True),
    Column("days", "Days before conversion", fmt="int", width=12, validation="nonneg",
           help="How many days before the conversion this touch happened."),
), title="9. Touch path of a typical conversion, oldest touch first (attribution)")

ATTRIBUTION = Table("tblAttribution", "Value", TOUCHES.last_row + 4, 8, (
    Column("channel", "Channel", width=40, validation="channel", required=True),
    Column("chosen", "Chosen model", kind=COMPUTED, fmt="money", width=14,
           formula=_path("AttributionModel")),
    *(Column(m, title, kind=COMPUTED, fmt="money", width=14, formula=_path(f'"{m}"'))
      for m, title in (("first", "First touch"), ("last", "Last touch"), ("linear", "Linear"),
                       ("position", "Position"), ("time_decay", "Time decay"))),
), title="10. Attributed revenue by channel: the path above under each model (Start: model)")

# ------------------------------------------------------------------ reputation and relationships

_R = partial(here, "tblReputation")
_L = partial(here, "tblRelationships")

REPUTATION = Table("tblReputation", "Value", ATTRIBUTION.last_row + 4, 10, (
    Column("source", "Source or period", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("own", "Own mentions", fmt="int", width=12, validation="nonneg", required=True),
    Column("all", "All mentions", fmt="int", width=14, validation="nonneg",
           required=True, help="Mentions of every brand compared, yours included."),
    Column("positive", "Positive", fmt="int", width=14, validation="nonneg"),
    Column("negative", "Negative", fmt="int", width=14, validation="nonneg"),
    Column("neutral", "Neutral", fmt="int", width=14, validation="nonneg"),
    Column("share_of_voice", "Share of voice", kind=COMPUTED, fmt="percent", width=12,
           formula=(f'=IF({_R("All mentions")}="","",SHARE_OF_VOICE('
                    f'{_R("Own mentions")},{_R("All mentions")}))')),
    Column("net_sentiment", "Net sentiment", kind=COMPUTED, fmt="percent", width=12,
           formula=(f'=IF(AND({_R("Positive")}="",{_R("Negative")}=""),"",NET_SENTIMENT('
                    f'{_R("Positive")},{_R("Negative")},{_R("Neutral")}))')),
), title="11. Reputation: share of voice and sentiment of mentions")

RELATIONSHIPS = Table("tblRelationships", "Value", REPUTATION.last_row + 4, 10, (
    Column("programme", "Programme", width=40, required=True),
    Column("channel", "Channel", width=14, validation="channel"),
    Column("advocates", "Advocates", fmt="int", width=12, validation="nonneg"),
    Column("referrals", "Referrals per advocate", fmt="number", width=14, validation="nonneg"),
    Column("referral_conversion", "Referral conversion", fmt="percent", width=14,
           validation="fraction"),
    Column("customer_value", "Value per new customer", fmt="money", width=14, validation="number"),
    Column("referral_value", "Referral value", kind=COMPUTED, fmt="money", width=14,
           formula=(f'=IF({_L("Advocates")}="","",REFERRAL_VALUE({_L("Advocates")},'
                    f'{_L("Referrals per advocate")},{_L("Referral conversion")},'
                    f'{_L("Value per new customer")}))')),
    Column("customers", "Customers", fmt="int", width=12, validation="nonneg"),
    Column("uplift", "Retention uplift", fmt="percent", width=12, validation="number",
           help="Extra share of customers kept thanks to the relationship, -100% to 100%."),
    Column("period_value", "Value per period", fmt="money", width=14, validation="number"),
    Column("periods", "Periods", fmt="int", width=10, validation="nonneg"),
    Column("discount", "Discount rate", fmt="percent", width=12, validation="number"),
    Column("retention_value", "Retention value", kind=COMPUTED, fmt="money", width=14,
           formula=(f'=IF({_L("Customers")}="","",RETENTION_VALUE({_L("Customers")},'
                    f'{_L("Retention uplift")},{_L("Value per period")},{_L("Periods")},'
                    f'{_L("Discount rate")}))')),
), title="12. Relationships: word of mouth (referrals) and customers kept (retention)")

VALUE_TABLES = (REVENUE, ACTIONS, DEFLECTION, TRAFFIC, UPLIFT, PERIODS, LAG, PIPELINE, TOUCHES,
                ATTRIBUTION, REPUTATION, RELATIONSHIPS)

# ------------------------------------------------------------------ Start

START_FIELDS = (
    Field(4, "Client", "client", name="Client"),
    Field(5, "Currency", "currency", validation="currency", name="Currency", default="EUR",
          note="Money formats are set for this currency when the plan is generated."),
    Field(6, "Period start", "start", fmt="date", validation="date", name="PeriodStart"),
    Field(7, "Period end", "end", fmt="date", validation="date", name="PeriodEnd"),
    Field(8, "Report cadence", "cadence", validation="cadence", name="ReportCadence",
          default="Monthly"),
    Field(9, "Prepared by", "prepared_by", name="PreparedBy"),
    Field(11, "KPI amber from", "amber", fmt="percent", validation="fraction2", name="AmberAt",
          default=0.9, note="Attainment from which a KPI shows AMBER."),
    Field(12, "KPI green from", "green", fmt="percent", validation="fraction2", name="GreenAt",
          default=1.0, note="Attainment from which a KPI shows GREEN."),
    Field(13, "Attainment cap in the score", "cap", fmt="percent", validation="fraction2",
          name="AttainmentCap", default=1.5,
          note="A KPI counts at most this much in the weighted score."),
    Field(16, "Attribution model", "model", validation="model", name="AttributionModel",
          default="position",
          note="How the touch path (Value, table 9) credits revenue: first, last, linear, "
               "position or time_decay."),
    Field(17, "Time-decay half-life (days)", "half_life", fmt="number", validation="nonneg",
          name="HalfLife", default=7,
          note="time_decay: a touch this many days older counts half."),
    Field(18, "Touches in the path", kind=COMPUTED, fmt="int", name="PathTouches",
          formula=f"=COUNTA({TOUCHES.col('channel')})",
          note="Touches typed in table 9 of the Value sheet, from the top."),
)
START_SECTIONS = ((3, "Plan"), (10, "KPI thresholds"), (15, "Attribution"))

INSTRUCTIONS = (
    "Yellow cells are yours to fill in; grey cells are calculated: do not type over them.",
    "1. Start: client, currency, period and how often reports go out.",
    "2. Objectives: what social media must achieve (e.g. A sales, B a customer-service channel, "
    "C web traffic).",
    "3. Metrics: every metric that feeds a KPI, the tool that measures it and how often it is read.",
    "4. KPIs: per objective, channel and period (\"sales in March through Facebook\"), with its "
    "metric, target and actual.",
    "5. Tactics: at least two per KPI; a KPI with fewer shows its tactic count in red.",
    "6. Costs: the full cost: staff hours x rate, platforms, ads, refunds and discounts given "
    "through customer care, research, training, conferences.",
    "7. Value: revenue attributed to social (hard value) and the value of actions, service "
    "deflection, web traffic and follower uplift (soft value), then value by period; the "
    "pipeline social opened and when it lands (lag profile); the touch path that credits "
    "revenue to channels; mentions, sentiment, referrals and customers kept.",
    "8. Summary: cost by category, ROI on hard and on total value, RONI, KPI score, payback, "
    "pipeline, share of voice and sentiment.",
    "9. Reporting: each report, its audience and cadence.",
    "Formulas use the roi-xl functions (SOCIAL_ROI, KPI_ATTAINMENT...): in Excel through the "
    "xlwings add-in (sheet xlwings.conf), headless with `roi-xl recalc`; `roi-xl check` applies "
    "the plan's rules.",
)
INSTRUCTIONS_ROW = 21

# ------------------------------------------------------------------ Summary

CATEGORY_FIRST = 9                                         # rows 9..18: one per cost category
CATEGORY_LAST = CATEGORY_FIRST + len(COST_CATEGORIES) - 1
_COST_KEYS = COSTS.col("category")
_COST_AMOUNTS = COSTS.col("cost")
TOTAL_COST_ROW = CATEGORY_LAST + 2                          # 20


def _category_field(i: int, category: str) -> Field:
    row = CATEGORY_FIRST + i
    return Field(row, category, kind=COMPUTED, fmt="money",
                 formula=f'=COST_ROLLUP({_COST_KEYS},{_COST_AMOUNTS},A{row})')


_TC = f"$B${TOTAL_COST_ROW}"
VALUE_FIRST = 24
# Value by source: one row each, in this order, then the soft and total values.
(HARD_ROW, PIPELINE_ROW, ACTION_ROW, DEFLECTION_ROW, TRAFFIC_ROW, UPLIFT_ROW, REFERRAL_ROW,
 RETENTION_ROW) = range(VALUE_FIRST, VALUE_FIRST + 8)
VALUE_SOURCES_LAST = RETENTION_ROW            # the pie chart and the shares cover 24..31
SOFT_ROW, TOTAL_VALUE_ROW = RETENTION_ROW + 1, RETENTION_ROW + 2          # 32, 33
RETURN_HEAD = TOTAL_VALUE_ROW + 2                                          # 35
ROI_ROW, ROI_TOTAL_ROW, NET_ROW, SCORE_ROW, PAYBACK_ROW = range(RETURN_HEAD + 1, RETURN_HEAD + 6)
RONI_HEAD = PAYBACK_ROW + 2                                                # 42
AT_RISK_ROW, PROBABILITY_ROW, FORGONE_ROW, SAVED_ROW, RONI_ROW = range(RONI_HEAD + 1, RONI_HEAD + 6)
REPUTATION_HEAD = RONI_ROW + 2                                             # 49
OPENED_ROW, SOV_ROW, SENTIMENT_ROW, MODEL_ROW = range(REPUTATION_HEAD + 1, REPUTATION_HEAD + 5)

SUMMARY_FIELDS = (
    Field(3, "Client", kind=COMPUTED, formula='=IF(Start!$B$4="","",Start!$B$4)'),
    Field(4, "Period start", kind=COMPUTED, fmt="date", formula='=IF(Start!$B$6="","",Start!$B$6)'),
    Field(5, "Period end", kind=COMPUTED, fmt="date", formula='=IF(Start!$B$7="","",Start!$B$7)'),
    Field(6, "Currency", kind=COMPUTED, formula='=IF(Start!$B$5="","",Start!$B$5)'),
    *(_category_field(i, c) for i, c in enumerate(COST_CATEGORIES)),
    Field(CATEGORY_LAST + 1, "Not in a listed category", kind=COMPUTED, fmt="money",
          formula=f"={_TC}-SUM(B{CATEGORY_FIRST}:B{CATEGORY_LAST})"),
    Field(TOTAL_COST_ROW, "Total cost", kind=COMPUTED, fmt="money", name="TotalCost",
          formula=(f"=COST_TOTAL({COSTS.col('amount')},{COSTS.col('hours')},"
                   f"{COSTS.col('rate')},{COSTS.col('allocation')})")),
    Field(HARD_ROW, "Attributed revenue (hard)", kind=COMPUTED, fmt="money", name="HardValue",
          formula=f"=SUM({REVENUE.col('revenue')})"),
    Field(PIPELINE_ROW, "Pipeline landing in the period", kind=COMPUTED, fmt="money",
          name="PipelineLanding", formula=f"=SUM({PERIODS.col('landing')})",
          note="Expected value of pipeline opened, landing by the lag profile"),
    Field(ACTION_ROW, "Action value", kind=COMPUTED, fmt="money", name="ActionValue",
          formula=f"=ACTION_VALUE({ACTIONS.col('count')},{ACTIONS.col('unit_value')})"),
    Field(DEFLECTION_ROW, "Service deflection savings", kind=COMPUTED, fmt="money",
          name="DeflectionSavings", formula=f"=SUM({DEFLECTION.col('savings')})"),
    Field(TRAFFIC_ROW, "Web traffic value", kind=COMPUTED, fmt="money", name="TrafficValue",
          formula=f"=SUM({TRAFFIC.col('value')})"),
    Field(UPLIFT_ROW, "Follower uplift", kind=COMPUTED, fmt="money", name="SegmentUplift",
          formula=f"=SUM({UPLIFT.col('uplift')})"),
    Field(REFERRAL_ROW, "Referrals (word of mouth)", kind=COMPUTED, fmt="money",
          name="ReferralValue", formula=f"=SUM({RELATIONSHIPS.col('referral_value')})"),
    Field(RETENTION_ROW, "Customers kept (retention)", kind=COMPUTED, fmt="money",
          name="RetentionValue", formula=f"=SUM({RELATIONSHIPS.col('retention_value')})"),
    Field(SOFT_ROW, "Soft value", kind=COMPUTED, fmt="money", name="SoftValue",
          formula=f"=SUM(B{ACTION_ROW}:B{RETENTION_ROW})"),
    Field(TOTAL_VALUE_ROW, "Total value", kind=COMPUTED, fmt="money", name="TotalValue",
          formula=f"=B{HARD_ROW}+B{PIPELINE_ROW}+B{SOFT_ROW}"),
    Field(ROI_ROW, "ROI on hard value", kind=COMPUTED, fmt="percent", name="ROI",
          formula=f"=SOCIAL_ROI(B{HARD_ROW},{_TC})",
          note="(attributed revenue - total cost) / total cost"),
    Field(ROI_TOTAL_ROW, "ROI on total value", kind=COMPUTED, fmt="percent", name="ROITotal",
          formula=f"=SOCIAL_ROI(B{TOTAL_VALUE_ROW},{_TC})",
          note="(hard + pipeline + soft value - total cost) / total cost"),
    Field(NET_ROW, "Net value", kind=COMPUTED, fmt="money", name="NetValue",
          formula=f"=B{TOTAL_VALUE_ROW}-{_TC}"),
    Field(SCORE_ROW, "Weighted KPI score", kind=COMPUTED, fmt="percent", name="KPIScore",
          formula=f"=KPI_SCORE({KPIS.col('attainment')},{KPIS.col('weight')},Start!$B$13)"),
    Field(PAYBACK_ROW, "Payback (periods)", kind=COMPUTED, fmt="periods", name="Payback",
          formula=f"=PAYBACK_PERIODS({_TC},{PERIODS.col('total')})",
          note="Periods (Value sheet, table 6) until value covers cost"),
    Field(AT_RISK_ROW, "Revenue at risk", "revenue_at_risk", fmt="money", validation="number",
          name="RevenueAtRisk", note="Revenue that could be lost by staying off social"),
    Field(PROBABILITY_ROW, "Loss probability", "loss_probability", fmt="percent",
          validation="fraction", name="LossProbability", note="Chance, 0% to 100%, that it is lost"),
    Field(FORGONE_ROW, "Forgone returns", "forgone_returns", fmt="money", validation="number",
          name="ForgoneReturns", note="Other returns given up by not investing"),
    Field(SAVED_ROW, "Cost saved (total cost)", kind=COMPUTED, fmt="money", formula=f"={_TC}"),
    Field(RONI_ROW, "RONI", kind=COMPUTED, fmt="percent", name="RONI",
          formula=f"=SOCIAL_RONI(B{AT_RISK_ROW},B{PROBABILITY_ROW},B{SAVED_ROW},B{FORGONE_ROW})",
          # A negative RONI is explained where it shows (the note is a formula, as narrow as before).
          note=(f'=IF(IFERROR(B{RONI_ROW}<0,FALSE),"Below 0: not investing saves more than it risks",'
                '"(at risk x probability + forgone - saved) / saved")')),
    Field(OPENED_ROW, "Pipeline opened (expected value)", kind=COMPUTED, fmt="money",
          name="PipelineOpened",
          formula=(f"=PIPELINE_VALUE({PIPELINE.col('deals')},{PIPELINE.col('probability')},"
                   f"{PIPELINE.col('deal_value')})"),
          note="Value table 8; what has not landed yet is still to come"),
    Field(SOV_ROW, "Share of voice", kind=COMPUTED, fmt="percent", name="ShareOfVoice",
          formula=(f'=IFERROR(SHARE_OF_VOICE({REPUTATION.col("own")},{REPUTATION.col("all")}),"")'),
          note="Own mentions / all brands' mentions (Value table 11)"),
    Field(SENTIMENT_ROW, "Net sentiment", kind=COMPUTED, fmt="percent", name="NetSentiment",
          formula=(f'=IFERROR(NET_SENTIMENT({REPUTATION.col("positive")},'
                   f'{REPUTATION.col("negative")},{REPUTATION.col("neutral")}),"")'),
          note="(positive - negative) / all mentions rated, -100% to 100%"),
    Field(MODEL_ROW, "Attribution model", kind=COMPUTED,
          formula='=IF(AttributionModel="","linear",AttributionModel)',   # the functions' default
          note="Start sheet; Value table 10 compares the models"),
)

SUMMARY_SECTIONS = (  # (row, heading, column headers for B and C)
    (8, "Cost by category", ("Cost", "Share")),
    (VALUE_FIRST - 1, "Value by source", ("Value", "Share")),
    (RETURN_HEAD, "Return", ("", "")),
    (RONI_HEAD, "Risk of not investing (RONI)", ("", "")),
    (REPUTATION_HEAD, "Pipeline and reputation", ("", "")),  # fits column A unwrapped
)

# The names the batch summary and the tests read.
SUMMARY_NAMES = ("Client", "Currency", "PeriodStart", "PeriodEnd", "TotalCost", "HardValue",
                 "SoftValue", "TotalValue", "ROI", "ROITotal", "RONI", "KPIScore", "Payback")

# ------------------------------------------------------------------ the KPI chart's data

# The KPI attainment chart plots a hidden sheet with one row per KPI row (row 2 = the table's first):
# the KPI's ID, its attainment once per status column (#N/A in the other two, so each bar takes its
# status's colour) and the 100% target line. #N/A is what both Excel and LibreOffice leave out of a
# series (a "" would plot as 0); the rows of unfilled KPIs hold it in every series.
CHART_SHEET = "Chart data"
CHART_FIRST_ROW = 2


def _kpi_cell(key: str, r: int) -> str:
    """KPIs!$L5: a KPI table cell of the chart row r (the KPI table's data start at its row 5)."""
    return f"{quote(KPIS.sheet)}!${KPIS.letter(key)}{r - CHART_FIRST_ROW + KPIS.first_row}"


def _status_formula(word: str) -> Callable[[int], str]:
    return lambda r: (f'=IF({_kpi_cell("status", r)}="{word}",{_kpi_cell("attainment", r)},NA())')


# (header, formula of the row, colour): the first is the category axis, the last the target line.
CHART_COLUMNS = (
    # KPI IDs name the bars: fifty fit under a chart, and their names would not (the KPIs sheet
    # gives each ID its name)
    ("KPI", lambda r: f'=IF({_kpi_cell("id", r)}="","",{_kpi_cell("id", r)})', None),
    ("GREEN: target reached", _status_formula("GREEN"), "70AD47"),
    ("AMBER: close to target", _status_formula("AMBER"), "FFC000"),
    ("RED: below target", _status_formula("RED"), "E0403A"),
    ("Target (100%)", lambda r: f'=IF({_kpi_cell("id", r)}="",NA(),1)', "1F4E78"),
)

# ------------------------------------------------------------------ glossary

GLOSSARY = (
    ("ROI on hard value",
     "Return on investment counting only the revenue attributed to social: (attributed revenue - "
     "total cost) / total cost. 50% means every 100 spent came back as 150 of sales; below 0%, "
     "sales alone did not pay for the work."),
    ("ROI on total value",
     "The same ratio on everything social returned that has a money value: attributed revenue, "
     "pipeline landing in the period and soft value. Use it when the objectives are service, "
     "reputation or relationships, not only sales."),
    ("Hard and soft value",
     "Hard value is revenue attributed to social (promo codes, last click, the touch path). Soft "
     "value is the rest, valued in money: actions, service contacts handled on social instead of "
     "the phone, web traffic, what followers are worth over other customers, referrals and "
     "customers kept."),
    ("Pipeline landing",
     "Deals social opened, at their expected value (deals x win probability x deal value), counted "
     "in the period in which they are expected to close (the lag profile)."),
    ("RONI (risk of not investing)",
     "What staying off social would be expected to cost, net of the money it saves, per unit "
     "saved: (revenue at risk x loss probability + forgone returns - cost saved) / cost saved. "
     "Above 0: stopping would lose more than it saves. Below 0: not investing saves more than it "
     "risks, so the case for the work rests on its ROI, not on the fear of losing out."),
    ("KPI attainment",
     "How far a KPI got to its target: 100% means reached. More is better: actual / target; less "
     "is better: target / actual; with a baseline, the progress made from the baseline to the "
     "target."),
    ("KPI status",
     "GREEN from the green threshold on the Start sheet (100% unless changed), AMBER from the "
     "amber threshold (90%), RED below it."),
    ("Weighted KPI score",
     "The KPIs' attainments averaged by their weights, each counting at most the cap on the Start "
     "sheet (150%), so one KPI far over target cannot hide the others."),
    ("Payback",
     "How many periods of the Value sheet (table 6) it takes for the value, added up period by "
     "period, to cover the total cost; the last period counts in part. No figure: not covered "
     "within the periods listed."),
    ("Share of voice and net sentiment",
     "Share of voice: the brand's mentions out of all compared brands' mentions. Net sentiment: "
     "(positive - negative) / all rated mentions, from -100% to 100%."),
    ("Attribution model",
     "How the touch path credits a sale to channels: first or last touch, linear (equal shares), "
     "position (40% first, 40% last, 20% shared between the middle) or time decay (a touch counts "
     "half for each half-life of days before the sale)."),
)

# ------------------------------------------------------------------ xlwings configuration

XLWINGS_SHEET = "xlwings.conf"
XLWINGS_CONF = (("UDF MODULES", "roi_xl_udfs"),)

# ------------------------------------------------------------------ sheets in order

SHEETS = (
    Sheet("Start", "Social-media measurement plan",
          "Who the plan is for, its period and currency; then fill in the sheets left to right.",
          fields=START_FIELDS, tab_color="1F4E78"),
    Sheet("Objectives", "Objectives",
          "What social media must achieve. Each objective needs at least one KPI (count in grey).",
          freeze="C5", tables=(OBJECTIVES,), tab_color="2E75B6"),
    Sheet("KPIs", "KPIs",
          "One KPI per objective, channel and period, fed by one metric. Attainment and status are "
          "calculated; a KPI needs at least two tactics.",
          freeze="C5", tables=(KPIS,), tab_color="2E75B6"),
    Sheet("Tactics", "Tactics", "What is done to move each KPI: at least two tactics per KPI.",
          freeze="D5", tables=(TACTICS,), tab_color="2E75B6"),
    Sheet("Metrics", "Metrics",
          "Every metric that feeds a KPI, the tool that measures it and how often it is read.",
          freeze="C5", tables=(METRICS,), tab_color="2E75B6"),
    Sheet("Costs", "Costs",
          "The full cost of the social work. Cost = (amount + hours x rate) x allocation.",
          freeze="C5", tables=(COSTS,), tab_color="C65911"),
    Sheet("Value", "Value",
          "What social returned: hard value (attributed revenue) and soft value (the rest).",
          freeze="B4", tables=VALUE_TABLES, tab_color="548235"),
    Sheet("Summary", "Summary", "", fields=SUMMARY_FIELDS, tab_color="7030A0", landscape=True),
    Sheet("Reporting", "Reporting", "Every report, who gets it and how often.",
          freeze="B5", tables=(REPORTS,), tab_color="2E75B6"),
    Sheet("Glossary", "Glossary",
          "What the Summary's figures mean and how they are worked out.",
          tab_color="7030A0", landscape=False),
    Sheet(CHART_SHEET, ""),
    Sheet(XLWINGS_SHEET, "", tab_color="808080"),
)

LIST_TABLES = (OBJECTIVES, KPIS, TACTICS, METRICS, COSTS, *VALUE_TABLES, REPORTS)
TABLES = {t.name: t for t in LIST_TABLES}


def sheet(name: str) -> Sheet:
    for s in SHEETS:
        if s.name == name:
            return s
    raise KeyError(name)
