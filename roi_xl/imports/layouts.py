"""The export layouts roi-xl recognises: which tool wrote a file, found by its header row.

Each layout lists, per measure the plan uses, the column names the tool documents for it (first
found wins; matched ignoring case and spaces at the ends). A file is recognised by the first
row, among its first lines, that holds a layout's signature columns: preamble lines (LinkedIn's
report title, Google Ads' title and date range, GA4's '#' comments) are skipped that way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# The measures a layout can give; "date"/"date_end" are a row's reporting days, "channel" the
# column telling which social network a row is about (Meta's Platform, GA4's source).
MEASURES = ("spend", "impressions", "clicks", "leads", "purchases", "conversions", "sessions",
            "revenue")
# Plain names a user may give a metric in the plan's Metrics sheet for each measure.
MEASURE_NAMES = {
    "spend": ("spend", "ad spend", "cost", "amount spent", "total spent"),
    "impressions": ("impressions", "impr."),
    "clicks": ("clicks", "link clicks", "clicks (destination)"),
    "leads": ("leads",),
    "purchases": ("purchases", "website purchases"),
    "conversions": ("conversions", "key events"),
    "sessions": ("sessions", "visits"),
    "revenue": ("revenue", "total revenue", "purchase revenue", "conv. value"),
}


@dataclass(frozen=True)
class Layout:
    tool: str                                   # as the plan's Metrics sheet names it
    signature: tuple[str, ...]                  # every one present (lower case)
    columns: dict[str, tuple[str, ...]]         # measure/date/channel/currency -> header names
    channel: str | None                         # the plan channel of every row, if one
    currency_in_header: str | None = None       # regex on a header giving the currency code
    excludes: tuple[str, ...] = field(default=())  # none of these present
    aliases: tuple[str, ...] = ()               # other names a plan's Tool column may give it

    def named(self, tool: str) -> bool:
        """Is `tool` (a plan's Metrics Tool cell, lower case) this layout's tool?"""
        return tool in (self.tool.casefold(), *self.aliases)

    def matches(self, headers: set[str]) -> bool:
        return all(any(h == s or h.startswith(s) for h in headers) for s in self.signature) \
            and not any(e in headers for e in self.excludes)


META = Layout(
    "Meta Ads Manager", ("reporting starts", "amount spent"),
    {"date": ("day", "reporting starts"), "date_end": ("reporting ends",),
     "campaign": ("campaign name",), "spend": ("amount spent",),
     "impressions": ("impressions",), "clicks": ("link clicks",), "leads": ("leads",),
     "purchases": ("purchases", "website purchases"),
     "channel": ("platform",), "currency": ("currency",)},
    channel="Facebook", currency_in_header=r"^amount spent \(([a-z]{3})\)$")

LINKEDIN = Layout(
    "LinkedIn Campaign Manager", ("total spent", "campaign name"),
    {"date": ("start date (in utc)", "start date"), "date_end": ("end date (in utc)", "end date"),
     "campaign": ("campaign name",), "spend": ("total spent",), "impressions": ("impressions",),
     "clicks": ("clicks",), "leads": ("leads",), "conversions": ("conversions",),
     "currency": ("currency",)},
    channel="LinkedIn")

TIKTOK = Layout(
    "TikTok Ads Manager", ("clicks (destination)", "cost"),
    {"date": ("by day", "date", "day"), "campaign": ("campaign name",), "spend": ("cost",),
     "impressions": ("impressions",), "clicks": ("clicks (destination)",),
     "conversions": ("conversions",), "currency": ("currency",)},
    channel="TikTok", aliases=("tiktok analytics", "tiktok ads"))

GOOGLE_ADS = Layout(
    "Google Ads", ("campaign", "cost", "impr."),
    {"date": ("day", "date"), "campaign": ("campaign",), "spend": ("cost",),
     "impressions": ("impr.", "impressions"), "clicks": ("clicks",),
     "conversions": ("conversions",), "revenue": ("conv. value",),
     "currency": ("currency code", "currency")},
    channel="Other")

GA4 = Layout(
    "Google Analytics", ("sessions",),
    {"date": ("date",), "sessions": ("sessions",), "conversions": ("key events", "conversions"),
     "revenue": ("total revenue", "purchase revenue"),
     "channel": ("session source / medium", "session source", "first user source / medium",
                 "first user source", "session default channel group",
                 "first user default channel group")},
    channel=None, aliases=("google analytics 4", "ga4"))

LAYOUTS = (META, LINKEDIN, TIKTOK, GOOGLE_ADS, GA4)

# Meta's Platform breakdown and GA4's sources, to the plan's channels (spec.CHANNELS).
_SOURCES = (
    (re.compile(r"instagram|^ig\b"), "Instagram"),
    (re.compile(r"facebook|^fb\b|messenger|^meta\b"), "Facebook"),
    (re.compile(r"linkedin|lnkd\.in"), "LinkedIn"),
    (re.compile(r"twitter|^t\.co\b|^x\.com|^x\b"), "Twitter/X"),
    (re.compile(r"tiktok"), "TikTok"),
    (re.compile(r"youtube|youtu\.be"), "YouTube"),
    (re.compile(r"pinterest"), "Pinterest"),
    (re.compile(r"whatsapp"), "WhatsApp"),
    (re.compile(r"\bsocial\b"), "All channels"),   # GA4's "Organic Social", "Paid Social"
)


def channel_of(text) -> str | None:
    """The plan channel a platform or traffic source names ("l.facebook.com / referral"
    -> Facebook); None for a source that is not a social network."""
    t = str(text or "").strip().lower()
    t = re.sub(r"^(?:www|m|l|lm)\.", "", t)
    for pattern, channel in _SOURCES:
        if pattern.search(t):
            return channel
    return None


def normal(header) -> str:
    return re.sub(r"\s+", " ", str(header or "").replace("\ufeff", "")).strip().lower()


def find_header(rows: list[list[object]], limit: int = 30) -> tuple[int, Layout] | None:
    """(index of the header row, its layout) among the first `limit` rows, or None."""
    for i, row in enumerate(rows[:limit]):
        headers = {normal(c) for c in row if c is not None and normal(c)}
        for layout in LAYOUTS:
            if layout.matches(headers):
                return i, layout
    return None


def column_index(headers: list[str], names: tuple[str, ...]) -> int | None:
    """Where the first of `names` is among `headers` (also "amount spent (eur)" for "amount spent")."""
    for name in names:
        for i, h in enumerate(headers):
            if h == name:
                return i
    for name in names:
        for i, h in enumerate(headers):
            if h.startswith(name + " (") and name in ("amount spent", "cost", "total spent"):
                return i
    return None
