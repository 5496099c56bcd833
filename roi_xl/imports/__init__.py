"""`roi-xl import`: ad-platform and analytics exports into a copy of a measurement plan.

reader (bytes -> rows) -> layouts (which tool, which column) -> parse (rows -> checked figures)
-> plan (what the plan holds) -> mapping (figures -> input cells) -> command (write and
recalculate a copy through the engine's write-back, so nothing else in the plan changes).
"""
