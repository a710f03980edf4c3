"""review_svg.py: the small drawing kit of review.html's charts (inline SVG, no script).

Every chart is an <svg class="chart" data-chart="NAME"> with a viewBox, so the page's CSS can
scale it to the screen or to an A4 page. Each plotting area is a <rect class="plot"> that
carries the data range it maps (data-x-min, data-x-max, data-y-min, data-y-max), so a reader
of the file (the tests) can turn any drawn coordinate back into the number it stands for.
"""
import html
import math

INK, GRID, MUTED = "#222222", "#e3e3e3", "#666666"
BLUE, GREY, ORANGE, RED, GREEN = "#3b6ea8", "#9aa5b1", "#d9822b", "#c0392b", "#2e8b57"


def esc(text):
    return html.escape(str(text), quote=True)


def fmt_int(x):
    return f"{int(round(x)):,}"


def fmt_pct(share, decimals=1):
    return f"{100 * share:.{decimals}f} %"


def nice_step(span, most=5):
    """The smallest step of 1, 2 or 5 x 10^k that cuts [0, span] into at most `most` parts."""
    if span <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(span / most))
    for mult in (1, 2, 5, 10):
        if span / (mult * base) <= most + 1e-9:
            return mult * base
    return 10 * base


def nice_top(x, most=5):
    """(top, step): the axis end at or above x on a round step."""
    step = nice_step(x, most)
    return max(step, step * math.ceil(x / step - 1e-9)), step


def open_svg(name, width, height, label, extra=""):
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{esc(name)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{esc(label)}"{extra}>',
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']


class Plot:
    """A plotting area: pixels [x, x + w] x [y, y + h] for data [x0, x1] x [y0, y1]
    (y grows upwards in data, downwards in pixels)."""

    def __init__(self, x, y, w, h, x0, x1, y0, y1, name="plot"):
        self.x, self.y, self.w, self.h = x, y, w, h
        self.x0, self.x1, self.y0, self.y1 = x0, x1, y0, y1
        self.name = name

    def px(self, v):
        return self.x + self.w * (v - self.x0) / (self.x1 - self.x0)

    def py(self, v):
        return self.y + self.h * (1 - (v - self.y0) / (self.y1 - self.y0))

    def frame(self):
        return (f'<rect class="plot" data-panel="{esc(self.name)}" x="{self.x}" y="{self.y}" '
                f'width="{self.w}" height="{self.h}" fill="none" stroke="none" '
                f'data-x-min="{self.x0!r}" data-x-max="{self.x1!r}" '
                f'data-y-min="{self.y0!r}" data-y-max="{self.y1!r}"/>')

    def y_grid(self, step, label):
        """Horizontal grid lines every `step` from y0 to y1, labelled on the left."""
        parts, k = [], 0
        while self.y0 + k * step <= self.y1 + 1e-9 * step:
            v = self.y0 + k * step
            y = self.py(v)
            parts.append(f'<line x1="{self.x}" y1="{y:.2f}" x2="{self.x + self.w}" y2="{y:.2f}" '
                         f'stroke="{GRID}"/>')
            parts.append(text(self.x - 6, y + 4, label(v), anchor="end"))
            k += 1
        return parts

    def x_grid(self, step, label):
        """Vertical ticks every `step` from x0 to x1, labelled under the area."""
        parts, k = [], 0
        while self.x0 + k * step <= self.x1 + 1e-9 * step:
            v = self.x0 + k * step
            x = self.px(v)
            parts.append(f'<line x1="{x:.2f}" y1="{self.y}" x2="{x:.2f}" y2="{self.y + self.h}" '
                         f'stroke="{GRID}"/>')
            parts.append(text(x, self.y + self.h + 16, label(v), anchor="middle"))
            k += 1
        return parts

    def base_line(self):
        return (f'<line x1="{self.x}" y1="{self.y + self.h}" x2="{self.x + self.w}" '
                f'y2="{self.y + self.h}" stroke="#555555"/>')


def text(x, y, content, anchor="start", cls="axis", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}"{extra}>'
            f'{esc(content)}</text>')


def polyline(points, cls, colour, width=2.0, dash=None):
    coords = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline class="{cls}" points="{coords}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}"{dashed}/>')


def thin_out(n, most):
    """Indexes 0..n into the cumulative points: all of them up to `most`, else `most` evenly
    spread ones with both ends (a curve of 10^6 customers stays a small file)."""
    if n <= most:
        return list(range(n + 1))
    return sorted({round(i * n / most) for i in range(most + 1)})
