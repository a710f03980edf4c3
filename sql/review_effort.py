"""review_effort.py: the cost-of-dependence scatter of review.html (used by review_html.py).

Rules:
 1. Drawn from temp.review_dependence, which the cost-of-dependence part of sql/review.sql
    leaves behind: one dot per customer at (its share of the period's revenue, its share of
    the period's effort hours). Without that table, or without hours or revenue, no figure.
 2. Both axes are logarithmic, in whole decades from the smallest share drawn up to 100 %,
    with the same scale across and up, so the diagonal (effort share = revenue share) runs at
    45 degrees: a dot above it takes a larger share of the team's time than of the revenue.
    A customer with no revenue or no hours in the period has no place on a log scale: it is
    not drawn, and the caption says how many there are.
 3. The largest customer and any other major one (10 % of revenue or more) are named beside
    their dot.
 4. Each dot is a <circle class="point"> with data-customer, data-revenue-share and
    data-effort-share and a <title>; the <svg class="chart" data-chart="dependence"> carries
    data-points, the number of dots. Inline SVG, no script: the page stays one file.
"""
import html
import math

from review_svg import BLUE, ORANGE, RED, open_svg

# The figure goes after the box whose heading starts with this.
AFTER_HEADING = "Cost of dependence: HHI of effort"

SIZE, LEFT, TOP, BOTTOM, RIGHT = 560, 80, 30, 60, 200
ABOVE, BELOW = ORANGE, BLUE


def dependence_rows(con):
    """[(rank, name, revenue share, effort share, major)] for every customer, or [] when the
    cost-of-dependence part has not run or has nothing to share."""
    found = con.execute("SELECT 1 FROM temp.sqlite_schema WHERE name = 'review_dependence'")
    if not found.fetchone():
        return []
    revenue, hours = con.execute(
        "SELECT total(revenue), total(hours) FROM temp.review_dependence").fetchone()
    if not (revenue > 0 and hours > 0):
        return []
    return [(rank, name, r / revenue, h / hours, major)
            for rank, name, r, h, major in con.execute(
                "SELECT d.rank, coalesce(a.name, d.customer_id), d.revenue, d.hours, d.major "
                "FROM temp.review_dependence d LEFT JOIN accounts a "
                "ON a.customer_id = d.customer_id ORDER BY d.rank IS NULL, d.rank")]


def decades(rows):
    """The lowest decade of the axes (a negative power of ten): the smallest share drawn."""
    smallest = min(min(r[2], r[3]) for r in rows)
    return min(-1, math.floor(math.log10(smallest) + 1e-12))


def position(share, low):
    """Pixels from the axis origin of a share on the log axis from 10^low to 1."""
    return SIZE * (math.log10(share) - low) / -low


def axes_svg(low):
    parts = []
    for d in range(low, 1):
        p = position(10.0 ** d, low)
        label = f"{100 * 10.0 ** d:g} %"
        parts.append(f'<line x1="{LEFT + p:.1f}" y1="{TOP}" x2="{LEFT + p:.1f}" '
                     f'y2="{TOP + SIZE}" stroke="#e3e3e3"/>')
        parts.append(f'<line x1="{LEFT}" y1="{TOP + SIZE - p:.1f}" x2="{LEFT + SIZE}" '
                     f'y2="{TOP + SIZE - p:.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{LEFT + p:.1f}" y="{TOP + SIZE + 18}" text-anchor="middle" '
                     f'class="axis">{label}</text>')
        parts.append(f'<text x="{LEFT - 8}" y="{TOP + SIZE - p + 4:.1f}" text-anchor="end" '
                     f'class="axis">{label}</text>')
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{SIZE}" height="{SIZE}" fill="none" '
                 'stroke="#555"/>')
    parts.append(f'<text x="{LEFT + SIZE / 2}" y="{TOP + SIZE + 44}" text-anchor="middle" '
                 'class="axis">share of revenue (log scale)</text>')
    parts.append(f'<text x="{LEFT - 62}" y="{TOP + SIZE / 2}" text-anchor="middle" '
                 f'class="axis" transform="rotate(-90 {LEFT - 62} {TOP + SIZE / 2})">'
                 'share of the effort, hours (log scale)</text>')
    parts.append(f'<line class="diagonal" x1="{LEFT}" y1="{TOP + SIZE}" x2="{LEFT + SIZE}" '
                 f'y2="{TOP}" stroke="{RED}" stroke-dasharray="6 4" stroke-width="1.5"/>')
    parts.append(f'<text x="{LEFT + 10}" y="{TOP + 20}" class="axis" fill="{ABOVE}">'
                 'above the diagonal: a larger share of the effort than of revenue</text>')
    parts.append(f'<text x="{LEFT + SIZE - 10}" y="{TOP + SIZE - 10}" text-anchor="end" '
                 f'class="axis" fill="{BELOW}">below: a smaller share of the effort</text>')
    return parts


def points_svg(drawn, low):
    parts = []
    for rank, name, r, e, major in drawn:
        x, y = LEFT + position(r, low), TOP + SIZE - position(e, low)
        title = html.escape(f"{'#' + str(rank) + ' ' if rank else ''}{name}: "
                            f"{100 * r:.2f} % of revenue, {100 * e:.2f} % of the hours",
                            quote=True)
        parts.append(f'<circle class="point" data-customer="{html.escape(str(name), quote=True)}" '
                     f'data-revenue-share="{r:.9g}" data-effort-share="{e:.9g}" '
                     f'cx="{x:.2f}" cy="{y:.2f}" r="{5 if major else 3}" '
                     f'fill="{ABOVE if e > r else BELOW}" fill-opacity="0.6">'
                     f'<title>{title}</title></circle>')
        if rank == 1 or major:
            parts.append(f'<text class="name" x="{x + 9:.1f}" y="{y + 4:.1f}" '
                         f'font-size="13px" font-weight="bold">{html.escape(str(name))}</text>')
    return parts


def scatter_svg(rows):
    """The inline SVG of the dots that have a place on log axes (rule 2)."""
    drawn = [row for row in rows if row[2] > 0 and row[3] > 0]
    low = decades(drawn)
    width, height = LEFT + SIZE + RIGHT, TOP + SIZE + BOTTOM
    parts = open_svg("dependence", width, height, "Scatter of each customer's share of revenue "
                     "against its share of the effort", f' data-points="{len(drawn)}"')
    parts += axes_svg(low)
    parts += points_svg(drawn, low)
    parts.append("</svg>")
    return "\n".join(parts), drawn


def caption(rows, drawn):
    largest = rows[0]
    above = sum(1 for row in drawn if row[3] > row[2])
    text = (f"Each dot is a customer. {above:,} of the {len(drawn):,} drawn take a larger share "
            f"of the team's hours than of the revenue. The largest, {largest[1]}, brings "
            f"{100 * largest[2]:.1f} % of the revenue and takes {100 * largest[3]:.1f} % of "
            "the hours.")
    left_out = len(rows) - len(drawn)
    if left_out:
        text += (f" {left_out:,} customer{' has' if left_out == 1 else 's have'} no revenue or "
                 "no hours in the period and cannot be drawn on log scales.")
    return text


def figure(con):
    """(heading prefix of the box it follows, title, svg, caption) of the scatter, as
    review_html.py places its figures; None when there is nothing to draw."""
    rows = dependence_rows(con)
    if not rows or rows[0][0] != 1 or not any(r[2] > 0 and r[3] > 0 for r in rows):
        return None
    svg, drawn = scatter_svg(rows)
    return (AFTER_HEADING, "Cost of dependence: share of revenue against share of the effort",
            svg, caption(rows, drawn))
