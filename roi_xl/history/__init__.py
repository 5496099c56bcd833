"""Results over time: each recalculated plan's summary row kept in an embedded database
(store), period-over-period and year-over-year changes (trend), one chart per client (chart).

Why DuckDB rather than SQLite: the trend is a window query (LAG over each client's periods)
and a self-join a year back, over every client at once; DuckDB runs those column-wise and in
parallel (10,000 clients x 36 periods in well under a second, bench/history_bench.py), and it
reads the Parquet summaries a Dask batch writes (`roi-xl recalc --executor dask --summary
x.parquet`) with the very same SQL, without loading them into the database first. It is one
file, needs no server, and comes as a wheel for every platform roi-xl's engine runs on. SQLite
would need pandas or pyarrow in between for Parquet and is row-oriented for this kind of scan.
"""
