"""Three client plans, as data, written by filling the built template.

- retail: an e-commerce footwear brand selling through Facebook and Instagram (objective: sales);
- b2b: a software firm with a nine-month sales cycle generating leads and pipeline on LinkedIn;
- clinic: a health clinic using Facebook and Twitter/X as a customer-service channel, deflecting
  calls from its appointment line.

Figures are invented but realistic. Every KPI has at least two tactics and every metric a tool.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from . import spec
from .build import PlanInputs, build_workbook, write_workbook

D = _dt.datetime


def _rows(keys: str, *rows: tuple) -> list[dict]:
    names = keys.split()
    out = []
    for row in rows:
        if len(row) != len(names):
            raise ValueError(f"{row!r} does not match {names}")
        out.append({k: v for k, v in zip(names, row) if v is not None})
    return out


# ------------------------------------------------------------------ retail e-commerce (EUR)

RETAIL = PlanInputs(
    fields={"client": "Nomada Footwear (online shop)", "currency": "EUR",
            "start": D(2025, 1, 1), "end": D(2025, 6, 30), "cadence": "Monthly",
            "prepared_by": "Laia Puig, digital marketing",
            "revenue_at_risk": 180000, "loss_probability": 0.25, "forgone_returns": 20000},
    tables={
        "tblObjectives": _rows(
            "id objective type owner notes",
            ("A", "Increase online sales through Facebook and Instagram", "Sales", "E-commerce lead",
             "Sales attributed by promo code and last click (GA4)"),
            ("B", "Grow an engaged community around the brand", "Engagement", "Social media manager",
             None),
            ("C", "Bring more visitors to the online shop", "Web traffic", "E-commerce lead", None),
        ),
        "tblMetrics": _rows(
            "id metric definition tool frequency owner",
            ("M1", "Social-attributed sales", "Revenue of orders whose last click or promo code is "
             "social", "E-commerce platform", "Daily", "E-commerce lead"),
            ("M2", "Sessions from social", "Sessions with social source / medium",
             "Google Analytics", "Weekly", "Social media manager"),
            ("M3", "Cost per engaged user", "Social cost / users who liked, commented, shared or "
             "saved", "Meta Business Suite", "Weekly", "Social media manager"),
            ("M4", "Average time on site of social visitors", "Engaged time per session, social "
             "sessions", "Google Analytics", "Monthly", "Social media manager"),
        ),
        "tblKPIs": _rows(
            "id kpi objective channel period metric direction baseline target actual weight",
            ("K1", "Sales in March through Facebook", "A", "Facebook", "March 2025", "M1", "higher",
             None, 42000, 45150, 3),
            ("K2", "Sales in March through Instagram", "A", "Instagram", "March 2025", "M1",
             "higher", None, 60000, 52800, 3),
            ("K3", "Visits from Facebook, January to June", "C", "Facebook", "H1 2025", "M2",
             "higher", 70000, 90000, 96400, 1),
            ("K4", "Visits from Instagram, January to June", "C", "Instagram", "H1 2025", "M2",
             "higher", None, 120000, 111000, 1),
            ("K5", "Cost per engaged user on Instagram", "B", "Instagram", "H1 2025", "M3", "lower",
             None, 0.35, 0.31, 1),
            ("K6", "Time on site of Instagram visitors (seconds)", "C", "Instagram", "H1 2025", "M4",
             "higher", None, 95, 88, 1),
        ),
        "tblTactics": _rows(
            "id kpi tactic channel owner start end",
            ("T01", "K1", "Promo code given only on Facebook", "Facebook", "Laia", D(2025, 3, 1),
             D(2025, 3, 31)),
            ("T02", "K1", "Retargeting ads for abandoned carts", "Facebook", "Paid-social agency",
             D(2025, 3, 1), D(2025, 3, 31)),
            ("T03", "K2", "50% off for followers only, one weekend", "Instagram", "Laia",
             D(2025, 3, 14), D(2025, 3, 16)),
            ("T04", "K2", "Shoppable posts and Reels for the spring range", "Instagram", "Marc",
             D(2025, 3, 1), D(2025, 3, 31)),
            ("T05", "K2", "Micro-influencer try-on stories", "Instagram", "Marc", D(2025, 3, 3),
             D(2025, 3, 28)),
            ("T06", "K3", "Blog articles posted from Facebook", "Facebook", "Laia", D(2025, 1, 6),
             D(2025, 6, 30)),
            ("T07", "K3", "Size-guide and returns pages posted from Facebook", "Facebook", "Laia",
             D(2025, 1, 6), D(2025, 6, 30)),
            ("T08", "K4", "Link stickers in every product story", "Instagram", "Marc",
             D(2025, 1, 6), D(2025, 6, 30)),
            ("T09", "K4", "Weekly new-arrivals carousel linking to the shop", "Instagram", "Marc",
             D(2025, 1, 6), D(2025, 6, 30)),
            ("T10", "K5", "User-generated content contest", "Instagram", "Marc", D(2025, 4, 1),
             D(2025, 4, 30)),
            ("T11", "K5", "Reply to every comment within four hours", "Instagram", "Laia",
             D(2025, 1, 6), D(2025, 6, 30)),
            ("T12", "K6", "Styling guides linked from Reels", "Instagram", "Marc", D(2025, 2, 1),
             D(2025, 6, 30)),
            ("T13", "K6", "Landing pages per Reel instead of the home page", "Instagram", "Laia",
             D(2025, 2, 1), D(2025, 6, 30)),
        ),
        "tblCosts": _rows(
            "category item channel hours rate amount allocation",
            ("Staff", "Social media manager (0.8 FTE, six months)", "All channels", 832, 32, None,
             None),
            ("Staff", "Designer: social assets", "All channels", 240, 28, None, None),
            ("Platforms and tools", "Scheduling and listening tool (six months)", "All channels",
             None, None, 1740, None),
            ("Platforms and tools", "Social-commerce app for the shop", "Instagram", None, None, 480,
             0.5),
            ("Advertising", "Facebook ads", "Facebook", None, None, 12500, None),
            ("Advertising", "Instagram ads", "Instagram", None, None, 16800, None),
            ("Content and creative", "Product photo shoots", "All channels", None, None, 4200, None),
            ("Agency and freelancers", "Micro-influencer fees", "Instagram", None, None, 5400, None),
            ("Refunds and discounts", "Followers-only 50% weekend: discounts given", "Instagram",
             None, None, 3850, None),
            ("Refunds and discounts", "Refunds and vouchers given through social customer care",
             "All channels", None, None, 960, None),
            ("Research", "Customer survey panel", "All channels", None, None, 900, 0.5),
            ("Training", "Meta ads course", "Facebook", None, None, 350, None),
        ),
        "tblRevenue": _rows(
            "source channel kpi orders revenue notes",
            ("Facebook-attributed orders", "Facebook", "K1", 1180, 98400,
             "GA4 last click plus Facebook promo code"),
            ("Instagram-attributed orders", "Instagram", "K2", 1490, 126700, "GA4 last click"),
            ("Followers-only weekend sale", "Instagram", "K2", 310, 21900,
             "Orders with the followers' code"),
        ),
        "tblActions": _rows(
            "action channel count unit_value notes",
            ("Shares of product posts", "Instagram", 5400, 0.9, "Reach x click rate x margin"),
            ("Comments", "Instagram", 8200, 0.35, "Equivalent cost of an engagement ad"),
            ("Newsletter sign-ups from social", "All channels", 1350, 4.5,
             "Email revenue per subscriber per six months"),
            ("Saves of product posts", "Instagram", 9600, 0.2, None),
        ),
        "tblDeflection": _rows(
            "item channel contacts cost_per_contact social_cost",
            ("Order-status questions answered by Instagram DM", "Instagram", 2100, 3.8, 1.1),
        ),
        "tblTraffic": _rows(
            "item channel visits conversion_rate value_per_conversion",
            ("Assisted visits from Facebook (not last click)", "Facebook", 38000, 0.012, 62),
            ("Assisted visits from Instagram stories", "Instagram", 52000, 0.009, 58),
        ),
        "tblUplift": _rows(
            "segment channel engaged_value other_value engaged_count",
            ("Six-month spend: followers vs other customers", "Instagram", 148, 112, 860),
        ),
        "tblRelationships": _rows(
            "programme channel advocates referrals referral_conversion customer_value",
            ("Refer-a-friend code shared by followers", "Instagram", 640, 1.5, 0.18, 74),
        ),
        "tblPeriods": _rows(
            "period hard soft",
            ("January 2025", 31000, 17131.2),    # soft: as before, plus a sixth of the referrals'
            ("February 2025", 34000, 18631.2),   # 12,787.2 (table 12), so that the periods add up
            ("March 2025", 52000, 23131.2),      # to the Summary's soft value
            ("April 2025", 41000, 19631.2),
            ("May 2025", 44000, 20631.2),
            ("June 2025", 45000, 21402.2),
        ),
        "tblReports": _rows(
            "report audience cadence template metrics owner last_sent",
            ("Monthly social performance", "Marketing director, e-commerce lead", "Monthly",
             "This workbook's Summary as PDF", "M1, M2, M3, M4", "Laia", D(2025, 6, 5)),
            ("Paid-social dashboard", "Paid-social agency", "Weekly", "Ads Manager export",
             "M1, M3", "Marc", D(2025, 6, 27)),
            ("Half-year review", "CEO and board", "Quarterly", "Slides with the Summary charts",
             "All", "Laia", D(2025, 4, 10)),
        ),
    },
)

# ------------------------------------------------------------------ B2B software, long sales cycle (USD)

B2B = PlanInputs(
    fields={"client": "Ledgerline Software (B2B finance SaaS)", "currency": "USD",
            "start": D(2024, 7, 1), "end": D(2025, 6, 30), "cadence": "Quarterly",
            "prepared_by": "Dana Whitfield, demand generation",
            "model": "position", "half_life": 30,
            "revenue_at_risk": 600000, "loss_probability": 0.3, "forgone_returns": 0},
    tables={
        "tblObjectives": _rows(
            "id objective type owner notes",
            ("A", "Generate qualified leads from LinkedIn", "Leads", "Head of demand generation",
             "MQL = fits the ideal customer profile and asked for content or a demo"),
            ("B", "Build sales pipeline from LinkedIn-engaged accounts", "Sales", "VP Sales",
             "Sales cycle is about nine months: most FY25 revenue comes from FY24 leads"),
            ("C", "Be known by finance directors as the expert on month-end close", "Awareness",
             "Head of content", None),
        ),
        "tblMetrics": _rows(
            "id metric definition tool frequency owner",
            ("M1", "Marketing-qualified leads (MQLs) from LinkedIn", "New MQLs with LinkedIn as "
             "original source", "CRM", "Weekly", "Marketing ops"),
            ("M2", "Cost per MQL", "LinkedIn spend / LinkedIn MQLs", "LinkedIn Campaign Manager",
             "Monthly", "Marketing ops"),
            ("M3", "Pipeline created", "Value of new opportunities from LinkedIn-sourced contacts",
             "CRM", "Monthly", "Sales ops"),
            ("M4", "Days to close", "Median days from opportunity to closed-won", "CRM",
             "Quarterly", "Sales ops"),
            ("M5", "Webinar registrations from LinkedIn", "Registrations with LinkedIn UTM",
             "Webinar platform (ON24)", "Weekly", "Head of content"),
        ),
        "tblKPIs": _rows(
            "id kpi objective channel period metric direction baseline target actual weight",
            ("K1", "MQLs from LinkedIn in FY25", "A", "LinkedIn", "Jul 2024 to Jun 2025", "M1",
             "higher", None, 480, 512, 3),
            ("K2", "Cost per MQL on LinkedIn", "A", "LinkedIn", "Jul 2024 to Jun 2025", "M2",
             "lower", None, 210, 228, 2),
            ("K3", "Pipeline created from LinkedIn-sourced opportunities", "B", "LinkedIn",
             "Jul 2024 to Jun 2025", "M3", "higher", None, 2400000, 2130000, 3),
            ("K4", "Days to close, LinkedIn-engaged deals", "B", "LinkedIn", "Jul 2024 to Jun 2025",
             "M4", "lower", 210, 180, 186, 1),
            ("K5", "Webinar registrations from LinkedIn", "C", "LinkedIn", "Jul 2024 to Jun 2025",
             "M5", "higher", None, 1200, 1415, 1),
        ),
        "tblTactics": _rows(
            "id kpi tactic channel owner start end",
            ("T01", "K1", "Lead-gen forms on sponsored month-end checklist", "LinkedIn", "Dana",
             D(2024, 7, 1), D(2025, 6, 30)),
            ("T02", "K1", "Monthly webinar promoted to finance directors", "LinkedIn", "Priya",
             D(2024, 7, 1), D(2025, 6, 30)),
            ("T03", "K1", "Employee advocacy: sales team shares content weekly", "LinkedIn",
             "Dana", D(2024, 9, 1), D(2025, 6, 30)),
            ("T04", "K2", "Narrow targeting to CFO and controller titles at 200-2,000 staff",
             "LinkedIn", "Dana", D(2024, 7, 1), D(2025, 6, 30)),
            ("T05", "K2", "Pause ads whose cost per lead exceeds $300 for two weeks", "LinkedIn",
             "Dana", D(2024, 7, 1), D(2025, 6, 30)),
            ("T06", "K3", "Sales Navigator outreach to accounts that engaged with content",
             "LinkedIn", "Tom", D(2024, 8, 1), D(2025, 6, 30)),
            ("T07", "K3", "Account-based ads to the top 300 target accounts", "LinkedIn", "Dana",
             D(2024, 10, 1), D(2025, 6, 30)),
            ("T08", "K4", "Customer case-study videos sent during evaluation", "LinkedIn", "Priya",
             D(2024, 7, 1), D(2025, 6, 30)),
            ("T09", "K4", "Retarget open opportunities with ROI-calculator ads", "LinkedIn", "Dana",
             D(2024, 11, 1), D(2025, 6, 30)),
            ("T10", "K5", "Speaker posts by the CFO guests before each webinar", "LinkedIn", "Priya",
             D(2024, 7, 1), D(2025, 6, 30)),
            ("T11", "K5", "LinkedIn event pages with reminders", "LinkedIn", "Priya", D(2024, 7, 1),
             D(2025, 6, 30)),
        ),
        "tblCosts": _rows(
            "category item channel hours rate amount allocation",
            ("Staff", "Content and social marketer (60% on LinkedIn)", "LinkedIn", 1720, 48, None,
             0.6),
            ("Staff", "Sales team social-selling time", "LinkedIn", 600, 65, None, None),
            ("Advertising", "LinkedIn Sponsored Content and lead-gen forms", "LinkedIn", None, None,
             68000, None),
            ("Platforms and tools", "Sales Navigator, 10 seats", "LinkedIn", None, None, 10800,
             None),
            ("Platforms and tools", "Marketing automation (30% social)", "All channels", None, None,
             9600, 0.3),
            ("Agency and freelancers", "Case-study video production", "LinkedIn", None, None, 14500,
             None),
            ("Research", "Analyst report licence", "All channels", None, None, 6000, None),
            ("Conferences and events", "Finance summit booth (25% promoted on LinkedIn)",
             "LinkedIn", None, None, 18000, 0.25),
            ("Training", "Social-selling training for sales", "LinkedIn", None, None, 4800, None),
        ),
        "tblRevenue": _rows(
            "source channel kpi orders revenue notes",
            ("Closed-won deals, LinkedIn first touch", "LinkedIn", "K3", 9, 342000,
             "First-year contract value, CRM original source"),
            ("Expansion deals from LinkedIn-engaged accounts", "LinkedIn", "K3", 4, 86000,
             "Upsell opportunities with LinkedIn touch"),
        ),
        "tblActions": _rows(
            "action channel count unit_value notes",
            ("MQLs not yet in a closed deal", "LinkedIn", 512, 95,
             "MQL-to-win rate 4% x average first-year value x 6% margin"),
            ("Webinar registrations", "LinkedIn", 1415, 12, "Cost of a registration bought elsewhere"),
            ("Checklist downloads", "LinkedIn", 2300, 6, None),
        ),
        "tblTraffic": _rows(
            "item channel visits conversion_rate value_per_conversion",
            ("Visits to pricing and demo pages from LinkedIn", "LinkedIn", 14800, 0.011, 600),
        ),
        "tblUplift": _rows(
            "segment channel engaged_value other_value engaged_count",
            ("Average deal size: LinkedIn-engaged vs other accounts", "LinkedIn", 41500, 36000, 9),
        ),
        "tblPeriods": _rows(
            "period opened hard soft",
            ("Q3 2024", 120000, 24000, 48000),
            ("Q4 2024", 150000, 68000, 54000),
            ("Q1 2025", 160000, 141000, 60000),
            ("Q2 2025", 170000, 195000, 64600),
        ),
        # A nine-month cycle: a quarter's new pipeline closes over that quarter and the next three.
        "tblLag": [{"share": s} for s in (0.10, 0.35, 0.40, 0.15)],
        "tblPipeline": _rows(
            "stage deals probability deal_value",
            ("Marketing-qualified leads from LinkedIn", 400, 0.02, 24000),
            ("Sales-accepted leads", 90, 0.08, 24000),
            ("Opportunities", 28, 0.25, 24000),
            ("Proposals", 7, 0.40, 24000),
        ),
        "tblTouches": _rows(
            "touch channel days",
            ("Sponsored post on month-end close", "LinkedIn", 120),
            ("Close-checklist download", "Blog", 75),
            ("Webinar invitation", "Email", 40),
            ("Webinar with a customer CFO (LinkedIn Live)", "LinkedIn", 38),
            ("Demo booked after a LinkedIn message", "LinkedIn", 6),
        ),
        "tblAttribution": [{"channel": c} for c in ("LinkedIn", "Blog", "Email")],
        "tblReports": _rows(
            "report audience cadence template metrics owner last_sent",
            ("Quarterly social ROI review", "CMO, VP Sales, CFO", "Quarterly",
             "This workbook's Summary as PDF", "M1, M2, M3, M4, M5", "Dana", D(2025, 4, 8)),
            ("Monthly pipeline from LinkedIn", "Sales leadership", "Monthly", "CRM dashboard",
             "M1, M3", "Sales ops", D(2025, 6, 3)),
            ("Weekly campaign report", "Demand-generation team", "Weekly", "Campaign Manager export",
             "M2, M5", "Dana", D(2025, 6, 27)),
        ),
    },
)

# ------------------------------------------------------------------ health clinic, customer service (GBP)

CLINIC = PlanInputs(
    fields={"client": "Riverside Family Clinic", "currency": "GBP",
            "start": D(2025, 1, 1), "end": D(2025, 3, 31), "cadence": "Monthly",
            "prepared_by": "Sam Okafor, patient services",
            "revenue_at_risk": 48000, "loss_probability": 0.15, "forgone_returns": 18687.5},
    tables={
        "tblObjectives": _rows(
            "id objective type owner notes",
            ("A", "Make Facebook and Twitter/X a patient-service channel", "Customer service",
             "Patient services manager", "Appointments, opening hours, results-ready questions"),
            ("B", "Move bookings online from social", "Web traffic", "Practice manager", None),
            ("C", "Protect the clinic's reputation", "Reputation", "Practice manager",
             "No medical advice on social: questions move to a private channel"),
        ),
        "tblMetrics": _rows(
            "id metric definition tool frequency owner",
            ("M1", "Queries resolved on social", "Conversations closed as resolved, per channel",
             "Help-desk software", "Daily", "Sam"),
            ("M2", "First response time on social", "Median minutes to first reply",
             "Help-desk software", "Weekly", "Sam"),
            ("M3", "Online bookings from social links", "Bookings with a social UTM",
             "Google Analytics", "Weekly", "Practice manager"),
            ("M4", "Share of positive mentions", "Positive / (positive + negative) mentions",
             "Social listening tool", "Monthly", "Practice manager"),
            ("M5", "Calls to the appointment line", "Inbound calls answered or abandoned",
             "Call-centre system", "Weekly", "Reception lead"),
        ),
        "tblKPIs": _rows(
            "id kpi objective channel period metric direction baseline target actual weight",
            ("K1", "Queries resolved in January through Facebook", "A", "Facebook", "January 2025",
             "M1", "higher", None, 900, 980, 2),
            ("K2", "Queries resolved in January through Twitter/X", "A", "Twitter/X",
             "January 2025", "M1", "higher", None, 400, 352, 2),
            ("K3", "Median first response time on social (minutes)", "A", "All channels",
             "Q1 2025", "M2", "lower", None, 30, 24, 1),
            ("K4", "Online bookings from social links", "B", "Facebook", "Q1 2025", "M3", "higher",
             None, 650, 590, 2),
            ("K5", "Share of positive mentions", "C", "All channels", "Q1 2025", "M4", "higher",
             0.62, 0.75, 0.71, 1),
            ("K6", "Calls to the appointment line", "A", "All channels", "Q1 2025", "M5", "lower",
             14200, 12500, 12900, 1),
        ),
        "tblTactics": _rows(
            "id kpi tactic channel owner start end",
            ("T01", "K1", "Staffed Facebook inbox 8:00-18:00 on weekdays", "Facebook", "Sam",
             D(2025, 1, 2), D(2025, 3, 31)),
            ("T02", "K1", "Saved replies for the 20 most common questions", "Facebook", "Sam",
             D(2025, 1, 2), D(2025, 3, 31)),
            ("T03", "K2", "Pinned tweet: 'ask us here' with response hours", "Twitter/X", "Sam",
             D(2025, 1, 2), D(2025, 3, 31)),
            ("T04", "K2", "Move personal questions to direct messages within one reply",
             "Twitter/X", "Sam", D(2025, 1, 2), D(2025, 3, 31)),
            ("T05", "K3", "Rota with a named social responder every hour", "All channels",
             "Reception lead", D(2025, 1, 2), D(2025, 3, 31)),
            ("T06", "K3", "Mobile alerts for new messages", "All channels", "Sam", D(2025, 1, 2),
             D(2025, 3, 31)),
            ("T07", "K4", "Booking link in every reply about appointments", "Facebook", "Sam",
             D(2025, 1, 2), D(2025, 3, 31)),
            ("T08", "K4", "'Book online' button on the Facebook page", "Facebook",
             "Practice manager", D(2025, 1, 2), D(2025, 3, 31)),
            ("T09", "K5", "Reply publicly to every complaint within the hour", "All channels",
             "Sam", D(2025, 1, 2), D(2025, 3, 31)),
            ("T10", "K5", "Monthly posts introducing clinic staff", "Facebook", "Practice manager",
             D(2025, 1, 2), D(2025, 3, 31)),
            ("T11", "K6", "Phone greeting mentions Facebook and online booking", "Other",
             "Reception lead", D(2025, 1, 2), D(2025, 3, 31)),
            ("T12", "K6", "Results-ready notices posted on social instead of phoned",
             "All channels", "Sam", D(2025, 1, 2), D(2025, 3, 31)),
        ),
        "tblCosts": _rows(
            "category item channel hours rate amount allocation",
            ("Staff", "Patient-services staff on social (two part-time)", "All channels", 520, 19.5,
             None, None),
            ("Staff", "Practice manager oversight", "All channels", 60, 34, None, None),
            ("Platforms and tools", "Help-desk social inbox licence (three months)", "All channels",
             None, None, 1050, None),
            ("Platforms and tools", "Social listening tool (three months)", "All channels", None,
             None, 600, None),
            ("Advertising", "Facebook local awareness ads", "Facebook", None, None, 1800, None),
            ("Content and creative", "Health-information graphics", "All channels", None, None,
             1200, None),
            ("Training", "Social customer care and data-protection training", "All channels", None,
             None, 950, None),
            ("Refunds and discounts", "Waived late-cancellation fees after social complaints",
             "All channels", None, None, 420, None),
        ),
        "tblRevenue": _rows(
            "source channel kpi orders revenue notes",
            ("Private consultations booked via social links", "Facebook", "K4", 212, 20140,
             "Online bookings with social UTM"),
            ("Physiotherapy packages booked from Facebook offers", "Facebook", "K4", 38, 6840, None),
        ),
        "tblActions": _rows(
            "action channel count unit_value notes",
            ("Reviews posted after social follow-up", "Facebook", 140, 15,
             "Cost of a review-request campaign per review"),
            ("Shares of health tips", "Facebook", 1900, 0.5, None),
        ),
        "tblDeflection": _rows(
            "item channel contacts cost_per_contact social_cost",
            ("Appointment questions answered on Facebook", "Facebook", 2940, 4.6, 1.35),
            ("Questions answered on Twitter/X", "Twitter/X", 1050, 4.6, 1.35),
            ("Results-ready questions answered by Messenger bot", "Facebook", 1300, 4.6, 0.2),
        ),
        "tblTraffic": _rows(
            "item channel visits conversion_rate value_per_conversion",
            ("Visits to online booking from social", "Facebook", 8600, 0.07, 12),
        ),
        "tblUplift": _rows(
            "segment channel engaged_value other_value engaged_count",
            ("Quarterly spend: followers vs other private patients", "Facebook", 310, 265, 180),
        ),
        "tblReputation": _rows(
            "source channel own all positive negative neutral",
            ("January 2025: mentions of local clinics", "All channels", 310, 1240, 96, 41, 173),
            ("February 2025", "All channels", 355, 1290, 121, 33, 201),
            ("March 2025", "All channels", 402, 1335, 150, 27, 225),
        ),
        "tblRelationships": _rows(
            "programme channel customers uplift period_value periods discount",
            ("Messenger follow-up after treatment: patients kept", "Facebook", 2400, 0.03, 46, 12,
             0.005),
        ),
        "tblPeriods": _rows(
            "period hard soft",
            ("January 2025", 8200, 24327.3),     # soft: as before, plus a third of the patients
            ("February 2025", 8900, 25127.3),    # kept (38,481.90, table 12), so that the periods
            ("March 2025", 9880, 26088.8),       # add up to the Summary's soft value
        ),
        "tblReports": _rows(
            "report audience cadence template metrics owner last_sent",
            ("Monthly patient-service report", "Practice partners", "Monthly",
             "This workbook's Summary as PDF", "M1, M2, M5", "Sam", D(2025, 3, 4)),
            ("Weekly inbox review", "Reception team", "Weekly", "Help-desk dashboard", "M1, M2",
             "Reception lead", D(2025, 3, 28)),
            ("Reputation review", "Practice partners", "Quarterly", "Listening-tool export", "M4",
             "Practice manager", D(2025, 1, 9)),
        ),
    },
)

EXAMPLES: dict[str, PlanInputs] = {
    "retail_ecommerce": RETAIL,
    "b2b_software": B2B,
    "health_clinic": CLINIC,
}


def build_example(name: str):
    """The filled workbook of one example, as an openpyxl Workbook."""
    return build_workbook(EXAMPLES[name])


def write_example(name: str, path: str | Path) -> Path:
    """Write one example (formulas, no cached values: recalc it to fill them)."""
    return write_workbook(build_example(name), path)


assert all(set(p.tables) <= set(spec.TABLES) for p in EXAMPLES.values())
