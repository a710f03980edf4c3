"""review_charts.py: the concentration and risk charts of review.html, as inline SVG.

Each function takes rows the review script left in its TEMP tables and returns one
(svg, caption) pair; review_html.py places them after the boxes they illustrate.

 - pareto_svg: the largest customers as named horizontal bars (share of revenue) beside the
   cumulative share of revenue over every customer ranked largest first, with the point where
   80 % is reached marked (<circle class="reach80" data-rank=...>). The other customers are
   counted in words, never drawn as one bar that dwarfs the largest customer.
 - lorenz_svg: the Lorenz curve (customers smallest first; <polyline class="lorenz">), the
   equality line, and the Gini the extension's gini() returned (svg data-gini), which is
   twice the area between them.
 - hhi_svg: the HHI of each quarter as a line; a quarter the data covers only in part is a
   hollow point labelled "partial" (data-partial="1").
 - risk_svg: how the accounts' risk scores are spread: 20 bins of 5 points
   (<rect class="bin" data-from data-to data-count>), bins at 70 and above (the defense phase)
   in red.
"""
from review_svg import (BLUE, MUTED, ORANGE, RED, Plot, esc, fmt_int, fmt_pct, nice_top,
                        open_svg, polyline, text, thin_out)

DEFENSE_RISK = 70


def reach_rank(cumulative, target=0.8):
    """The rank (1-based) of the first customer at which the cumulative share reaches target."""
    return next((i + 1 for i, c in enumerate(cumulative) if c >= target - 1e-12),
                len(cumulative))


# ---- Pareto ---------------------------------------------------------------------------------

def pareto_bars_svg(ranked, shown, plot):
    """The named bars of the largest `shown` customers, and the rest in words."""
    row_h = plot.h / (shown + 1)
    top, step = nice_top(ranked[0][3], 4)
    plot.x1 = top
    parts = [plot.frame()]
    parts += plot.x_grid(step, lambda v: f"{100 * v:g} %")
    for i, (rank, label, _amount, share, _cum) in enumerate(ranked[:shown]):
        y = plot.y + i * row_h
        w = plot.px(share) - plot.x
        parts.append(f'<rect class="bar" data-rank="{rank}" data-share="{share:.9f}" '
                     f'x="{plot.x}" y="{y + row_h * 0.15:.2f}" width="{w:.2f}" '
                     f'height="{row_h * 0.7:.2f}" fill="{BLUE}"><title>{esc(label)}: '
                     f'{fmt_pct(share)} of revenue</title></rect>')
        parts.append(text(plot.x - 8, y + row_h * 0.5 + 4, f"{rank}. {label}", "end", "name"))
        parts.append(text(plot.x + w + 5, y + row_h * 0.5 + 4, fmt_pct(share), cls="value"))
    rest = ranked[shown:]
    if rest:
        rest_share = 1.0 - ranked[shown - 1][4]
        parts.append(text(plot.x - 290, plot.y + shown * row_h + row_h * 0.5 + 4,
                          f"and the other {len(rest):,} customers together: "
                          f"{fmt_pct(rest_share)} (not drawn)", "start", "note",
                          f' data-others="{len(rest)}"'))
    return parts


def pareto_curve_svg(ranked, plot):
    """Cumulative share over every customer, the 80 % line and where it is reached."""
    n = len(ranked)
    cumulative = [0.0] + [r[4] for r in ranked]
    reach = reach_rank(cumulative[1:])
    step = max(1, nice_top(n, 5)[1])  # whole customers on the axis
    parts = [plot.frame()]
    parts += plot.y_grid(0.2, lambda v: f"{100 * v:.0f} %")
    parts += plot.x_grid(step, lambda v: f"{v:,.0f}")
    keep = sorted(set(thin_out(n, 1000)) | {reach})
    parts.append(polyline([(plot.px(k), plot.py(cumulative[k])) for k in keep], "cumulative",
                          ORANGE, 2.5))
    y80, xr = plot.py(0.8), plot.px(reach)
    parts.append(f'<line x1="{plot.x}" y1="{y80:.2f}" x2="{plot.x + plot.w}" y2="{y80:.2f}" '
                 f'stroke="{RED}" stroke-dasharray="6 4" stroke-width="1.5"/>')
    parts.append(f'<line x1="{xr:.2f}" y1="{y80:.2f}" x2="{xr:.2f}" y2="{plot.y + plot.h}" '
                 f'stroke="{RED}" stroke-dasharray="3 3" stroke-width="1.5"/>')
    parts.append(f'<circle class="reach80" data-rank="{reach}" '
                 f'data-cumulative="{cumulative[reach]:.9f}" cx="{xr:.2f}" '
                 f'cy="{plot.py(cumulative[reach]):.2f}" r="5" fill="{RED}"/>')
    # The sentence goes above the panel, the count at the foot of the dashed line: below the
    # 80 % line and near the axis the curve leaves room on both sides of the crossing.
    parts.append(text(plot.x + plot.w, plot.y - 14, f"80 % of revenue: the largest {reach:,} "
                      f"of {n:,} customers ({fmt_pct(reach / n)})", "end", "mark"))
    count = f"{reach:,} customers"
    fits_right = xr + 6 + 7.2 * len(count) <= plot.x + plot.w
    parts.append(text(xr + 6 if fits_right else xr - 6, plot.y + plot.h - 8, count,
                      "start" if fits_right else "end", "mark"))
    parts.append(plot.base_line())
    parts.append(text(plot.x + plot.w / 2, plot.y + plot.h + 36,
                      "customers ranked by revenue, largest first", "middle"))
    parts.append(text(plot.x - 44, 24, "Cumulative share of revenue", cls="title"))
    return parts, reach


def pareto_svg(ranked, shown=15):
    """ranked: [(rank, label, amount, share, cumulative share)], largest first."""
    shown = min(shown, len(ranked))
    width, height = 1100, max(440, 126 + 24 * (shown + 1))
    bars = Plot(300, 56, 200, height - 126, 0.0, 1.0, 0, 1, "bars")
    curve = Plot(600, 56, 470, height - 126, 0, len(ranked), 0.0, 1.0, "cumulative")
    parts = open_svg("pareto", width, height, "Pareto chart of revenue by customer",
                     f' data-bars="{shown}" data-customers="{len(ranked)}"')
    parts.append(text(bars.x - 290, 24, "The largest customers: share of revenue", cls="title"))
    parts += pareto_bars_svg(ranked, shown, bars)
    curve_parts, reach = pareto_curve_svg(ranked, curve)
    parts += curve_parts
    parts.append("</svg>")
    caption = (f"{reach:,} of {len(ranked):,} customers ({100 * reach / len(ranked):.1f} %) "
               "make up 80 % of the period's revenue.")
    return "\n".join(parts), caption


# ---- Lorenz ---------------------------------------------------------------------------------

def lorenz_points(amounts):
    """(share of customers, share of revenue) for the k smallest customers, k = 0..n."""
    ascending = sorted(amounts)
    total = sum(ascending)
    points, running = [(0.0, 0.0)], 0.0
    for k, a in enumerate(ascending, 1):
        running += a
        points.append((k / len(ascending), running / total))
    return points


def lorenz_svg(amounts, gini):
    """amounts: each customer's positive net revenue; gini: the extension's gini()."""
    plot = Plot(70, 40, 380, 380, 0.0, 1.0, 0.0, 1.0, "lorenz")
    points = lorenz_points(amounts)
    keep = thin_out(len(amounts), 1000)
    curve = [(plot.px(points[k][0]), plot.py(points[k][1])) for k in keep]
    parts = open_svg("lorenz", 560, 480, "Lorenz curve of revenue across customers",
                     f' data-gini="{gini:.12f}" data-customers="{len(amounts)}"')
    parts.append(plot.frame())
    parts += plot.y_grid(0.2, lambda v: f"{100 * v:.0f} %")
    parts += plot.x_grid(0.2, lambda v: f"{100 * v:.0f} %")
    area = " ".join(f"{x:.2f},{y:.2f}" for x, y in curve)
    parts.append(f'<polygon class="gini-area" points="{area}" fill="#f6dcc4" stroke="none"/>')
    parts.append(f'<line class="equality" x1="{plot.px(0):.2f}" y1="{plot.py(0):.2f}" '
                 f'x2="{plot.px(1):.2f}" y2="{plot.py(1):.2f}" stroke="{MUTED}" '
                 'stroke-dasharray="6 4" stroke-width="1.5"/>')
    parts.append(polyline(curve, "lorenz", BLUE, 2.5))
    parts.append(text(plot.px(0.04), plot.py(0.92), f"Gini {gini:.3f}", cls="big"))
    parts.append(text(plot.px(0.04), plot.py(0.92) + 20,
                      "twice the shaded area", cls="note"))
    parts.append(text(plot.px(0.52), plot.py(0.56), "equality line", cls="note",
                      extra=' transform="rotate(-45 {:.1f} {:.1f})"'.format(plot.px(0.52),
                                                                             plot.py(0.56))))
    parts.append(text(plot.x + plot.w / 2, plot.y + plot.h + 36,
                      "share of customers, smallest first", "middle"))
    parts.append(text(plot.x - 50, plot.y - 14, "share of revenue they make"))
    parts.append("</svg>")
    half = next(y for x, y in points if x >= 0.5)
    caption = (f"The smaller half of the {len(amounts):,} customers make {fmt_pct(half)} of "
               f"revenue. Gini {gini:.3f}: 0 if every customer paid the same, near 1 if one "
               "paid everything.")
    return "\n".join(parts), caption


# ---- HHI by quarter ---------------------------------------------------------------------------

BANDS = ((1000, "moderately concentrated from 1,000"), (1800, "highly concentrated above 1,800"))


def hhi_svg(quarters):
    """quarters: [(quarter, hhi, partial, days covered, days in quarter)] in order."""
    width, height = 1100, 380
    top, step = nice_top(max(q[1] for q in quarters) * 1.15, 5)
    n = len(quarters)
    plot = Plot(80, 40, 990, 270, -0.5, n - 0.5, 0.0, top, "hhi")
    parts = open_svg("hhi-by-quarter", width, height, "HHI by quarter",
                     f' data-quarters="{n}"')
    parts.append(plot.frame())
    parts += plot.y_grid(step, lambda v: f"{v:,.0f}")
    for limit, label in BANDS:
        if limit <= top:
            y = plot.py(limit)
            parts.append(f'<line class="band" x1="{plot.x}" y1="{y:.2f}" x2="{plot.x + plot.w}" '
                         f'y2="{y:.2f}" stroke="{RED}" stroke-dasharray="6 4"/>')
            parts.append(text(plot.x + plot.w - 4, y - 5, label, "end", "mark"))
    if top < BANDS[0][0]:
        parts.append(text(plot.x + plot.w - 4, plot.y + 14, "every quarter below 1,000: "
                          "unconcentrated", "end", "note"))
    xy = [(plot.px(i), plot.py(q[1])) for i, q in enumerate(quarters)]
    for i in range(1, n):
        dashed = quarters[i - 1][2] or quarters[i][2]
        parts.append(polyline([xy[i - 1], xy[i]], "hhi-line", BLUE, 2.5,
                              "5 4" if dashed else None))
    for i, (quarter, hhi, partial, covered, days) in enumerate(quarters):
        x, y = xy[i]
        fill = "#ffffff" if partial else BLUE
        title = f"{quarter}: HHI {fmt_int(hhi)}" + (
            f" (partial: {covered} of {days} days)" if partial else "")
        parts.append(f'<circle class="quarter" data-quarter="{esc(quarter)}" '
                     f'data-hhi="{hhi:.6f}" data-partial="{1 if partial else 0}" cx="{x:.2f}" '
                     f'cy="{y:.2f}" r="5" fill="{fill}" stroke="{BLUE}" stroke-width="2">'
                     f'<title>{esc(title)}</title></circle>')
        parts.append(text(x, y - 10, fmt_int(hhi), "middle", "value"))
        parts.append(text(x, plot.y + plot.h + 18, quarter, "middle"))
        if partial:
            parts.append(text(x, plot.y + plot.h + 34, f"partial ({covered}/{days} d)",
                              "middle", "partial"))
    parts.append(plot.base_line())
    parts.append(text(plot.x - 60, plot.y - 14, "HHI (0-10,000) of each quarter's invoices"))
    parts.append("</svg>")
    partial = [q[0] for q in quarters if q[2]]
    caption = "Hollow points: quarters the data covers only in part (" + (
        ", ".join(partial) + ")." if partial else "none here).")
    return "\n".join(parts), caption


# ---- risk scores --------------------------------------------------------------------------------

def risk_bins(risks, width=5):
    """Counts per bin [0, 5), [5, 10), ..., [95, 100] (100 falls in the last bin)."""
    counts = [0] * (100 // width)
    for r in risks:
        counts[min(int(r // width), len(counts) - 1)] += 1
    return counts


def risk_svg(risks):
    """risks: the accounts' risk scores (0-100)."""
    counts = risk_bins(risks)
    width, height = 1100, 360
    top, step = nice_top(max(counts) * 1.1, 5)
    plot = Plot(80, 40, 990, 250, 0.0, 100.0, 0.0, top, "risk")
    parts = open_svg("risk", width, height, "Distribution of risk scores",
                     f' data-accounts="{len(risks)}"')
    parts.append(plot.frame())
    parts += plot.y_grid(step, lambda v: f"{v:,.0f}")
    for i, c in enumerate(counts):
        lo, hi = 5 * i, 5 * i + 5
        x0, x1, y = plot.px(lo), plot.px(hi), plot.py(c)
        colour = RED if lo >= DEFENSE_RISK else BLUE
        parts.append(f'<rect class="bin" data-from="{lo}" data-to="{hi}" data-count="{c}" '
                     f'x="{x0 + 1:.2f}" y="{y:.2f}" width="{x1 - x0 - 2:.2f}" '
                     f'height="{plot.y + plot.h - y:.2f}" fill="{colour}">'
                     f'<title>risk {lo}-{hi}: {c:,} accounts</title></rect>')
        if c:
            parts.append(text((x0 + x1) / 2, y - 4, f"{c:,}", "middle", "value"))
    for v in range(0, 101, 10):
        parts.append(text(plot.px(v), plot.y + plot.h + 16, str(v), "middle"))
    xd = plot.px(DEFENSE_RISK)
    parts.append(f'<line x1="{xd:.2f}" y1="{plot.y}" x2="{xd:.2f}" y2="{plot.y + plot.h}" '
                 f'stroke="{RED}" stroke-dasharray="6 4"/>')
    parts.append(text(xd + 6, plot.y + 14, f"{DEFENSE_RISK} and above: defense phase",
                      cls="mark"))
    parts.append(plot.base_line())
    parts.append(text(plot.x + plot.w / 2, plot.y + plot.h + 36,
                      "risk score (0-100, default model)", "middle"))
    parts.append(text(plot.x - 60, plot.y - 14, "accounts"))
    parts.append("</svg>")
    high = sum(1 for r in risks if r >= DEFENSE_RISK)
    ordered = sorted(risks)
    median = ordered[len(ordered) // 2] if len(ordered) % 2 else \
        (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2
    caption = (f"{len(risks):,} accounts scored; median risk {median:.1f}; {high:,} at "
               f"{DEFENSE_RISK} or above.")
    return "\n".join(parts), caption

