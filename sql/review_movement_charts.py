"""review_movement_charts.py: how revenue moves, drawn for review.html (inline SVG).

 - waterfall_svg: the latest quarter's revenue bridge: start, then each movement as a step
   (<rect class="step" data-step data-amount data-from data-to>; up for new, reactivation and
   expansion, down for contraction and churn), then end. When the axis does not start at 0
   the chart says where it starts.
 - cohort_svg: revenue retention by quarter of first purchase as a heat map, one row per
   cohort, one column per quarter of age (<rect class="cell" data-cohort data-age
   data-retention data-partial>), darker for more of the first quarter's revenue kept.
A quarter the data covers only in part is marked "partial" wherever it appears.
"""
from review_svg import GREEN, GREY, RED, Plot, esc, fmt_int, fmt_pct, nice_step, open_svg, text

STEPS = (("new", 1), ("reactivation", 1), ("expansion", 1), ("contraction", -1), ("churn", -1))


def bridge_steps(bridge):
    """[(name, amount, level before, level after)] from start to end."""
    level = bridge["start"]
    steps = [("start", level, 0.0, level)]
    for name, sign in STEPS:
        after = level + sign * bridge[name]
        steps.append((name, bridge[name], level, after))
        level = after
    steps.append(("end", bridge["end"], 0.0, bridge["end"]))
    return steps


def waterfall_axis(steps):
    """(bottom, top, step) of the value axis: from 0 unless the movements would be slivers
    (the levels reached differ by less than a quarter of the highest), then from a round
    value well under the lowest level reached."""
    levels = [s[2] for s in steps[1:-1]] + [s[3] for s in steps]
    low, high = min(levels), max(levels)
    bottom = 0.0
    if high > 0 and 1e-9 * high < high - low < 0.25 * high:
        unit = nice_step(high - low, 2)
        bottom = max(0.0, unit * ((low - 0.5 * (high - low)) // unit))
    span = max(high - bottom, 1e-9)
    step = nice_step(span * 1.1, 5)
    return bottom, bottom + step * -(-(span * 1.1) // step), step


def waterfall_svg(bridge):
    """bridge: {period, previous_period, start, new, reactivation, expansion, contraction,
    churn, end, net_retention, gross_retention, partial, coverage}."""
    steps = bridge_steps(bridge)
    bottom, top, step = waterfall_axis(steps)
    width, height = 1100, 400
    plot = Plot(110, 50, 960, 280, -0.5, len(steps) - 0.5, bottom, top, "bridge")
    parts = open_svg("bridge", width, height, "Revenue bridge of the latest quarter",
                     f' data-period="{esc(bridge["period"])}" '
                     f'data-partial="{1 if bridge["partial"] else 0}"')
    parts.append(plot.frame())
    parts += plot.y_grid(step, lambda v: f"{v:,.0f}")
    slot = plot.w / len(steps)
    for i, (name, amount, before, after) in enumerate(steps):
        total = name in ("start", "end")
        colour = GREY if total else (GREEN if after >= before else RED)
        lo, hi = sorted((max(before, bottom), max(after, bottom)))
        x = plot.px(i) - slot * 0.32
        parts.append(f'<rect class="step" data-step="{name}" data-amount="{amount!r}" '
                     f'data-from="{before!r}" data-to="{after!r}" x="{x:.2f}" '
                     f'y="{plot.py(hi):.2f}" width="{slot * 0.64:.2f}" '
                     f'height="{plot.py(lo) - plot.py(hi):.2f}" fill="{colour}">'
                     f'<title>{esc(name)}: {fmt_int(amount)}</title></rect>')
        if i + 1 < len(steps):
            y = plot.py(after)
            parts.append(f'<line x1="{x + slot * 0.64:.2f}" y1="{y:.2f}" '
                         f'x2="{x + slot:.2f}" y2="{y:.2f}" stroke="#888888" '
                         'stroke-dasharray="3 3"/>')
        sign = "" if total or amount == 0 else ("+" if after > before else "-")
        parts.append(text(plot.px(i), plot.py(hi) - 6, sign + fmt_int(amount), "middle",
                          "value"))
        parts.append(text(plot.px(i), plot.y + plot.h + 18, name, "middle"))
    parts.append(text(plot.px(0), plot.y + plot.h + 34, bridge["previous_period"], "middle",
                      "note"))
    end_note = bridge["period"] + (" (partial)" if bridge["partial"] else "")
    parts.append(text(plot.px(len(steps) - 1), plot.y + plot.h + 34, end_note, "middle",
                      "partial" if bridge["partial"] else "note"))
    if bottom > 0:
        parts.append(text(plot.x, plot.y + plot.h + 54, f"The axis starts at {bottom:,.0f}, "
                          "not 0, so the movements can be seen.", cls="note"))
    parts.append(plot.base_line())
    nrr, grr = bridge["net_retention"], bridge["gross_retention"]
    parts.append(text(plot.x + plot.w, 26,
                      f"net retention {fmt_pct(nrr) if nrr is not None else '-'}, "
                      f"gross retention {fmt_pct(grr) if grr is not None else '-'}",
                      "end", "mark"))
    parts.append(text(plot.x - 100, 26, f"Revenue of {bridge['previous_period']} to "
                      f"{bridge['period']}", cls="title"))
    parts.append("</svg>")
    caption = (f"From {fmt_int(bridge['start'])} in {bridge['previous_period']} to "
               f"{fmt_int(bridge['end'])} in {bridge['period']}.")
    if bridge["partial"]:
        caption += (f" {bridge['period']} is partial ({bridge['coverage']}): customers who "
                    "have not bought yet in it count as churn or contraction.")
    return "\n".join(parts), caption


def cell_colour(retention):
    """(fill, ink): white at 100 % (the first quarter's revenue kept), redder down to 0,
    greener up to 150 % and beyond."""
    if retention < 1:
        t, target = min(1.0, 1 - retention), (192, 57, 43)
    else:
        t, target = min(1.0, (retention - 1) / 0.5), (46, 139, 87)
    r, g, b = (int(round(255 + (c - 255) * t)) for c in target)
    return f"#{r:02x}{g:02x}{b:02x}", ("#ffffff" if t > 0.6 else "#222222")


def cohort_svg(cohorts, partial_periods):
    """cohorts: [(cohort, size, first revenue, [(age, period, revenue retention)])], oldest
    first; partial_periods: the quarters the data covers only in part."""
    ages = max(len(c[3]) for c in cohorts)
    cell_w, cell_h = min(90, 760 // max(ages, 1)), 26
    left, top = 340, 60
    width = max(700, left + cell_w * ages + 30)
    height = top + cell_h * len(cohorts) + 64
    parts = open_svg("cohorts", width, height, "Revenue retention by cohort",
                     f' data-cohorts="{len(cohorts)}"')
    parts.append(text(10, 24, "Revenue kept by each cohort, as a share of its first quarter's",
                      cls="title"))
    for a in range(ages):
        parts.append(text(left + cell_w * (a + 0.5), top - 8, f"+{a}" if a else "first",
                          "middle"))
    for row, (cohort, size, first, cells) in enumerate(cohorts):
        y = top + row * cell_h
        mark = " (partial)" if cohort in partial_periods else ""
        parts.append(text(10, y + cell_h * 0.5 + 4, f"{cohort}{mark}", cls="name"))
        parts.append(text(left - 8, y + cell_h * 0.5 + 4,
                          f"{size:,} customers, {fmt_int(first)}", "end", "note"))
        for age, period, retention in cells:
            fill, ink = cell_colour(retention)
            partial = period in partial_periods
            x = left + age * cell_w
            stroke = (' stroke="#a0522d" stroke-width="2" stroke-dasharray="4 2"' if partial
                      else ' stroke="#dddddd"')
            parts.append(f'<rect class="cell" data-cohort="{esc(cohort)}" data-age="{age}" '
                         f'data-period="{esc(period)}" data-retention="{retention!r}" '
                         f'data-partial="{1 if partial else 0}" x="{x}" y="{y}" '
                         f'width="{cell_w}" height="{cell_h}" fill="{fill}"{stroke}>'
                         f'<title>{esc(cohort)} in {esc(period)}: {fmt_pct(retention)}'
                         f'{" (partial quarter)" if partial else ""}</title></rect>')
            label = f"{100 * retention:.0f} %" + ("*" if partial else "")
            parts.append(text(x + cell_w / 2, y + cell_h * 0.5 + 4, label, "middle", "value",
                              f' style="fill: {ink}"'))
    parts.append(text(10, height - 30, "Across: quarters since the first purchase (customers, "
                      "first quarter's revenue at left).", cls="note"))
    parts.append(text(10, height - 12, "White: the first quarter's revenue kept; red: less; "
                      "green: more; * a quarter the data covers only in part (dashed).",
                      cls="note"))
    parts.append("</svg>")
    caption = ("Each row is the customers who first bought in that quarter; a cell is their "
               "revenue that quarter over their first quarter's (above 100 %: they spend more).")
    return "\n".join(parts), caption



def latest_bridge(con):
    row = con.execute(
        "SELECT period, previous_period, start_revenue, new, reactivation, expansion, "
        "contraction, churn, end_revenue, net_retention, gross_retention, partial, "
        "days_covered, days FROM temp.review_bridge WHERE previous_period IS NOT NULL "
        "ORDER BY period DESC LIMIT 1").fetchone()
    if row is None:
        return None
    keys = ("period", "previous_period", "start", "new", "reactivation", "expansion",
            "contraction", "churn", "end", "net_retention", "gross_retention", "partial")
    bridge = dict(zip(keys, row))
    bridge["partial"] = bool(bridge["partial"])
    bridge["coverage"] = f"{row[12]} of {row[13]} days" if bridge["partial"] else ""
    return bridge


def shown_cohorts(con, most=8):
    """The latest `most` cohorts, ages 0 .. most - 1, as cohort_svg wants them."""
    rows = con.execute(
        "SELECT cohort, age, period, customers, revenue, revenue_retention "
        "FROM temp.review_cohorts WHERE age < ? AND cohort IN (SELECT DISTINCT cohort "
        "FROM temp.review_cohorts ORDER BY cohort DESC LIMIT ?) ORDER BY cohort, age",
        (most, most)).fetchall()
    out = []
    for cohort, age, period, customers, revenue, retention in rows:
        if age == 0:
            out.append((cohort, customers, revenue, []))
        out[-1][3].append((age, period, retention))
    return out


def movement_figures(con, has_table):
    """[(box heading prefix, title, svg, caption)] for the bridge and the cohorts, when the
    review script made their TEMP tables."""
    figs = []
    partial = set()
    if has_table(con, "review_quarters"):
        partial = {q for (q,) in con.execute("SELECT quarter FROM temp.review_quarters "
                                             "WHERE partial")}
    if has_table(con, "review_bridge"):
        bridge = latest_bridge(con)
        if bridge:
            figs.append(("Revenue bridge", "Revenue bridge of the latest quarter",
                         *waterfall_svg(bridge)))
    if has_table(con, "review_cohorts"):
        cohorts = shown_cohorts(con)
        if cohorts:
            figs.append(("Revenue retention by quarter of first purchase",
                         "Cohorts: revenue retention as a heat map",
                         *cohort_svg(cohorts, partial)))
    return figs
