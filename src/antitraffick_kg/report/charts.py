"""The report's charts, drawn by matplotlib as SVG with every glyph turned into a path.

Chinese labels use a CJK font found on the machine (Debian's ``fonts-noto-cjk``
gives Noto Sans CJK); the glyphs are embedded as outlines, so the SVG shows the
same text on a machine without the font, and needs nothing from the network.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import AntitraffickKGError

__all__ = ["CJK_FONTS", "cjk_font", "timeline_svg", "network_svg", "workload_svg", "completion_svg", "TimelineRow",
           "STATE_COLOURS"]

#: font families tried for Chinese text, first found wins
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")
#: colour of each obligation state in the timeline
STATE_COLOURS = {"done": "#2e7d32", "not-applicable": "#9e9e9e", "in-progress": "#f9a825", "late": "#c62828",
                 "planned": "#90a4ae"}
_KIND_MARKERS = {"deadline": "D", "recurring": "o"}


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise AntitraffickKGError("the report needs matplotlib; install it with pip install "
                                  "'antitraffick-kg[report]'") from None
    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    return matplotlib, plt


def cjk_font() -> str:
    """The family of a CJK font matplotlib can use; raises :class:`AntitraffickKGError` naming what to install."""
    _, _ = _pyplot()
    from matplotlib import font_manager

    families = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FONTS:
        if family in families:
            return family
    raise AntitraffickKGError("no font with Chinese glyphs found for the charts; install one, such as "
                              "Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)")


def _figure(width: float, height: float):
    matplotlib, plt = _pyplot()
    matplotlib.rcParams.update({"font.family": [cjk_font()], "svg.fonttype": "path", "svg.hashsalt": "atk",
                                "axes.unicode_minus": False})
    return plt, plt.figure(figsize=(width, height))


def _svg(plt, fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


@dataclass(frozen=True)
class TimelineRow:
    """One task in the timeline: its spans (first, last year), deadlines and recurring-duty years, and the state
    of each year where a report exists (``states``: year -> state)."""

    label: str
    spans: tuple[tuple[int, int], ...]
    deadlines: tuple[int, ...]
    recurring: tuple[int, ...]
    states: dict[int, str]


def timeline_svg(rows: Sequence[TimelineRow], *, first: int, last: int, as_of_year: int | None) -> str:
    """Tasks × years: ongoing spans as bars, deadlines as diamonds, recurring duties as dots, coloured by state."""
    plt, fig = _figure(11, 0.26 * len(rows) + 1.6)
    ax = fig.add_subplot()
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        for start, end in row.spans:
            for year in range(start, end + 1):
                colour = STATE_COLOURS[row.states.get(year, "planned")]
                ax.barh(y, 1, left=year - 0.5, height=0.5, color=colour, alpha=0.55, linewidth=0)
        for year in row.recurring:
            ax.plot(year, y, _KIND_MARKERS["recurring"], color=STATE_COLOURS[row.states.get(year, "planned")],
                    markersize=4, markeredgecolor="#37474f", markeredgewidth=0.5)
        for year in row.deadlines:
            ax.plot(year, y, _KIND_MARKERS["deadline"], color=STATE_COLOURS[row.states.get(year, "planned")],
                    markersize=7, markeredgecolor="#263238", markeredgewidth=0.8)
    ax.set_yticks(range(len(rows)), [r.label for r in reversed(rows)], fontsize=7)
    ax.set_xticks(range(first, last + 1))
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_ylim(-0.8, len(rows) - 0.2)
    ax.grid(axis="x", color="#eceff1")
    if as_of_year is not None and first <= as_of_year <= last:
        ax.axvline(as_of_year, color="#1565c0", linewidth=1, linestyle="--")
    handles = [plt.Line2D([], [], marker="D", linestyle="", color="#546e7a", label="截止期限 deadline"),
               plt.Line2D([], [], marker="o", linestyle="", color="#546e7a", label="周期性职责 recurring duty"),
               plt.Rectangle((0, 0), 1, 1, color=STATE_COLOURS["planned"], alpha=0.55, label="持续推进 ongoing")]
    handles += [plt.Rectangle((0, 0), 1, 1, color=c, label=s) for s, c in STATE_COLOURS.items() if s != "planned"]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.03), ncol=4, fontsize=7, frameon=False)
    ax.set_title("时间进度 Timeline (2022–2030)" if (first, last) == (2022, 2030) else
                 f"时间进度 Timeline ({first}–{last})", fontsize=10)
    return _svg(plt, fig)


def network_svg(nodes: Sequence[tuple[str, int]], edges: Sequence[tuple[str, str, int]]) -> str:
    """Units on a circle (node size: tasks named in), linked by the number of tasks they share."""
    plt, fig = _figure(10, 10)
    ax = fig.add_subplot()
    angle = {name: 2 * math.pi * i / max(len(nodes), 1) for i, (name, _) in enumerate(nodes)}
    pos = {name: (math.cos(a), math.sin(a)) for name, a in angle.items()}
    heaviest = max((w for _, _, w in edges), default=1)
    for a, b, weight in sorted(edges, key=lambda e: e[2]):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot([x1, x2], [y1, y2], color="#1565c0", linewidth=0.3 + 3.2 * weight / heaviest,
                alpha=0.12 + 0.6 * weight / heaviest, solid_capstyle="round")
    for name, tasks in nodes:
        x, y = pos[name]
        ax.scatter([x], [y], s=20 + 9 * tasks, color="#ef6c00", zorder=3, edgecolors="white", linewidths=0.6)
        a = math.degrees(angle[name])
        flip = 90 < a < 270
        ax.text(1.07 * x, 1.07 * y, name, fontsize=7, rotation=a + 180 if flip else a, rotation_mode="anchor",
                ha="right" if flip else "left", va="center")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("单位协作网络 Collaboration network: units linked by the tasks they share", fontsize=10)
    return _svg(plt, fig)


def workload_svg(rows: Sequence[tuple[str, int, int]]) -> str:
    """Per unit, the tasks it leads and supports (stacked bars), most first."""
    plt, fig = _figure(9, 0.22 * len(rows) + 1.2)
    ax = fig.add_subplot()
    names = [r[0] for r in rows][::-1]
    leads = [r[1] for r in rows][::-1]
    supports = [r[2] for r in rows][::-1]
    ax.barh(names, leads, color="#1565c0", label="负责 lead")
    ax.barh(names, supports, left=leads, color="#90caf9", label="配合 support")
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.set_xlabel("任务数 tasks", fontsize=8)
    ax.set_title("各单位任务量 Workload per unit", fontsize=10)
    return _svg(plt, fig)


def completion_svg(groups: Sequence[tuple[str, dict[int, tuple[int, int]]]], *, years: Sequence[int],
                   title: str) -> str:
    """A grid of groups (units or policy areas) × years: the share of the year's obligations reported done or
    not applicable, as a colour from red (none) to green (all), with the counts written in each cell."""
    plt, fig = _figure(1.4 + 0.9 * len(years) + 2.2, 0.24 * len(groups) + 1.4)
    ax = fig.add_subplot()
    from matplotlib.colors import LinearSegmentedColormap

    scale = LinearSegmentedColormap.from_list("settled", [STATE_COLOURS["late"], "#fff59d", STATE_COLOURS["done"]])
    for i, (_, cells) in enumerate(groups):
        y = len(groups) - 1 - i
        for x, year in enumerate(years):
            settled, total = cells.get(year, (0, 0))
            if not total:
                continue
            ax.add_patch(plt.Rectangle((x, y), 1, 1, facecolor=scale(settled / total), linewidth=0.4,
                                       edgecolor="white"))
            ax.text(x + 0.5, y + 0.5, f"{settled}/{total}", ha="center", va="center", fontsize=6)
    ax.set_xlim(0, len(years))
    ax.set_ylim(0, len(groups))
    ax.set_xticks([x + 0.5 for x in range(len(years))], [str(y) for y in years], fontsize=8)
    ax.set_yticks([len(groups) - 1 - i + 0.5 for i in range(len(groups))], [g for g, _ in groups], fontsize=7)
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=10)
    return _svg(plt, fig)
