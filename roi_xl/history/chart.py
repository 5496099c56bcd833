"""One PNG per client: the figure by period, with the period-over-period change (matplotlib)."""
from __future__ import annotations

import re
from pathlib import Path

from ..atomic import replacing

_PERCENT = {"roi", "roi_total", "roni", "kpi_score"}


def file_name(client: str) -> str:
    """A client's name as a safe file name (no folders, no control or reserved characters)."""
    name = re.sub(r"[^\w\- .]+", "_", client, flags=re.UNICODE).strip(" ._") or "client"
    return name[:100] + ".png"


def charts(table, metric: str, folder: str | Path) -> list[Path]:
    """Write folder/<client>.png for each client of a trend table; returns the files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scale = 100 if metric in _PERCENT else 1
    written, used = [], set()
    for client, rows in table.groupby("client", sort=True):
        name = file_name(str(client))
        while name.lower() in used:  # two clients whose names clean to the same file
            name = name[:-4] + "_.png"
        used.add(name.lower())
        fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
        labels = [str(d)[:10] for d in rows["period_start"]]
        ax.plot(labels, rows["value"] * scale, marker="o", label=metric)
        if rows["year_ago"].notna().any():
            ax.plot(labels, rows["year_ago"] * scale, linestyle="--", label="a year earlier")
        ax.set_title(f"{client}: {metric.replace('_', ' ')}" + (" (%)" if scale == 100 else ""))
        ax.set_xlabel("period start")
        ax.grid(alpha=0.3)
        ax.legend()
        ax.tick_params(axis="x", labelrotation=45)
        fig.tight_layout()
        path = folder / name
        with replacing(path) as tmp:
            fig.savefig(tmp, format="png")
        plt.close(fig)
        written.append(path)
    return written
