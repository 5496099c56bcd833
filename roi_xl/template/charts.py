"""The Summary's three charts and the hidden sheet the KPI chart plots.

Cost by category and value by source cover fixed rows of the Summary. KPI attainment covers the
KPI table through the hidden `Chart data` sheet (spec.CHART_COLUMNS): a series per status, so each
bar has its status's colour in Excel and LibreOffice alike, and a 100% target line.

Why these ranges: the empty template's chart covers all 50 KPI rows, so every KPI a user adds
appears (an Excel chart cannot drop blank categories by itself); an example's covers its own KPIs;
`roi-xl report` hides the rows of unfilled KPIs in the copy it prints, and a chart plots visible
cells only, so a printed plan's chart holds exactly its filled KPIs whatever the template gave.
"""
from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.styles import Font

from . import spec


def chart_data_sheet(ws, kpi_rows: int) -> None:
    """The hidden sheet of the KPI chart: one row per KPI row, `kpi_rows` of them."""
    for c, (header, formula, _) in enumerate(spec.CHART_COLUMNS, start=1):
        ws.cell(row=1, column=c, value=header).font = Font(bold=True)
        for r in range(spec.CHART_FIRST_ROW, spec.CHART_FIRST_ROW + kpi_rows):
            ws.cell(row=r, column=c, value=formula(r))
    ws.column_dimensions["A"].width = 40
    ws.sheet_state = "hidden"   # the chart's workings, not part of the plan


def _axis(axis, title: str | None, fmt: str = "General") -> None:
    axis.title = title
    axis.number_format = fmt
    axis.delete = False         # openpyxl 3.1 leaves it unset, and some Excel versions hide the axis


def _solid(colour: str) -> GraphicalProperties:
    return GraphicalProperties(solidFill=colour, ln=LineProperties(solidFill=colour))


def add_charts(ws, wb, currency: str, kpi_rows: int) -> None:
    """Cost by category, value by source and KPI attainment, beside the Summary's figures."""
    money = spec.currency_format(currency, decimals=0)
    cost = BarChart()
    cost.type = "bar"
    cost.title = "Cost by category"
    cost.style = 10
    cost.legend = None
    cost.add_data(Reference(ws, min_col=2, min_row=spec.CATEGORY_FIRST - 1,
                            max_row=spec.CATEGORY_LAST), titles_from_data=True)
    cost.set_categories(Reference(ws, min_col=1, min_row=spec.CATEGORY_FIRST,
                                  max_row=spec.CATEGORY_LAST))
    _axis(cost.y_axis, f"Cost ({currency})", money)
    _axis(cost.x_axis, None)
    cost.x_axis.scaling.orientation = "maxMin"   # categories top down, as in the table
    cost.y_axis.crosses = "max"                  # and the cost axis below them
    cost.gapWidth = 60
    cost.height, cost.width = 8.5, 18
    ws.add_chart(cost, "F3")

    value = PieChart()
    value.title = "Value by source"
    value.add_data(Reference(ws, min_col=2, min_row=spec.VALUE_FIRST - 1,
                             max_row=spec.VALUE_SOURCES_LAST), titles_from_data=True)
    value.set_categories(Reference(ws, min_col=1, min_row=spec.VALUE_FIRST,
                                   max_row=spec.VALUE_SOURCES_LAST))
    value.dataLabels = DataLabelList()
    for flag in ("showVal", "showCatName", "showSerName", "showLegendKey"):
        setattr(value.dataLabels, flag, False)
    value.dataLabels.showPercent = True
    value.height, value.width = 8, 18
    ws.add_chart(value, "F20")

    ws.add_chart(_attainment(wb[spec.CHART_SHEET], kpi_rows), f"F{spec.RETURN_HEAD + 2}")


def _attainment(data, kpi_rows: int) -> BarChart:
    first, last = spec.CHART_FIRST_ROW, spec.CHART_FIRST_ROW + kpi_rows - 1
    *statuses, target = range(2, len(spec.CHART_COLUMNS) + 1)
    bars = BarChart()
    bars.type = "col"
    bars.title = "KPI attainment"
    bars.grouping = "clustered"
    bars.overlap = 100          # one status column holds the value: the bars of a KPI coincide
    bars.gapWidth = 50
    for col in statuses:
        bars.add_data(Reference(data, min_col=col, min_row=first - 1, max_row=last),
                      titles_from_data=True)
    bars.set_categories(Reference(data, min_col=1, min_row=first, max_row=last))
    line = LineChart()
    line.add_data(Reference(data, min_col=target, min_row=first - 1, max_row=last),
                  titles_from_data=True)
    for series, (_, _, colour) in zip(bars.series + line.series, spec.CHART_COLUMNS[1:]):
        series.graphicalProperties = _solid(colour)
    target_line = line.series[0]
    target_line.graphicalProperties.line.dashStyle = "dash"
    target_line.graphicalProperties.line.width = 19050      # 1.5 pt
    target_line.marker.symbol = "dash"  # a tick over each bar: visible with a single KPI too
    target_line.marker.size = 12
    target_line.marker.graphicalProperties = _solid(spec.CHART_COLUMNS[-1][2])
    target_line.smooth = False
    _axis(bars.y_axis, "Attainment (% of target)", "0%")
    bars.y_axis.scaling.min = 0
    _axis(bars.x_axis, "KPI")
    bars.legend.position = "b"
    bars += line
    bars.height, bars.width = 10, 18
    return bars
