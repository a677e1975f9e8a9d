"""The dashboard's charts: server-made SVG (pygal), shown inline, with a title and a
description for screen readers, and no script. A figure that is not shown is drawn as no
bar *and* labelled with its mark ("<5" or "–") on the axis: never as a zero.

The page's Content-Security-Policy allows no inline style, so each chart's style sheet
is taken out of the SVG: ``chart_css()`` is the same for every chart and is served as
``static/charts.css`` (tests/reports/test_charts.py keeps the two equal).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

import pygal
from flask_babel import gettext as _
from markupsafe import Markup

from hiddengems.reports.dashboard import Row, Table

_CONFIG = {
    "js": [],
    "disable_xml_declaration": True,
    "width": 720,
    "height": 320,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 4,
    "x_label_rotation": 30,
    "print_values": False,
    "show_y_guides": True,
    "style": pygal.style.DefaultStyle(font_family="system-ui, sans-serif", background="white", no_data_font_size=18),
}
_SCRIPT = re.compile(r"<script.*?</script>", re.S)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_ID = re.compile(r'id="chart-([0-9a-f-]+)"')
_OPENING = re.compile(r"<svg [^>]*>")
_TITLE = re.compile(r"<title>.*?</title>", re.S)


def _render(chart, name: str, title: str, description: str) -> str:
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", svg)
    svg = _STYLE.sub("", svg)
    svg = svg.replace(' style="opacity: 0"', "")
    svg = _ID.sub(f'id="chart-{name}"', svg, count=1)
    head = (
        f'<title id="chart-{name}-title">{escape(title)}</title>'
        f'<desc id="chart-{name}-desc">{escape(description)}</desc>'
    )
    svg = _TITLE.sub(lambda _match: head, svg, count=1)  # pygal's own title, with the description beside it
    opening = _OPENING.search(svg).group(0)
    accessible = opening[:-1] + f' role="img" aria-labelledby="chart-{name}-title chart-{name}-desc">'
    return svg.replace(opening, accessible, 1)


def chart_css() -> str:
    """The charts' style sheet, as pygal writes it for one chart, for every chart."""
    chart = pygal.Bar(**_CONFIG)
    chart.add("", [1])
    css = unescape("".join(_STYLE.findall(chart.render(is_unicode=True))))
    css = re.sub(r"#chart-[0-9a-f-]+", ".pygal-chart", css)
    return css + "\n.pygal-chart .tooltip{opacity:0}\n"


def _value(published) -> dict:
    return {"value": published if isinstance(published, int | float) and not isinstance(published, bool) else None}


def _mark_label(label: str, values: list) -> str:
    marks = sorted({str(v) for v in values if v != "" and not isinstance(v, int | float)})
    return f"{label} ({', '.join(marks)})" if marks else label


def _describe(table: Table, columns: list[int], note: str) -> str:
    parts = []
    for row in table.rows:
        shown = ", ".join(f"{table.columns[i][1]}: {row.values[i]}" for i in columns)
        parts.append(f"{row.label}: {shown}")
    return "; ".join(parts) + ". " + note


def chart(table: Table, threshold: int) -> Markup:
    """The table's chart (the last row of a table by period is the whole period, and is
    left out of the chart; the stages' active and total rows too). The same figures draw
    the same chart: drawn once per process (pygal takes tens of milliseconds a chart)."""
    key = (
        table.name,
        table.title,
        table.head,
        tuple(table.columns),
        tuple((row.key, row.label, tuple(row.values)) for row in table.rows),
        _(
            "A figure from 1 to %(below)s shows as <%(n)s; one hidden so that it cannot be worked out shows as –; "
            "neither is drawn.",
            below=threshold - 1,
            n=threshold,
        ),
        _("Nothing to draw: every figure is hidden or under %(n)s.", n=threshold),
    )
    return Markup(_drawn(key))  # noqa: S704 - pygal escapes its text, _render the title and description


# The rows that are sums or rates of the others: in the table, not drawn.
_NOT_DRAWN = {"total", "active", "employed", "closed", "employment_rate"}
# The columns drawn, per table; a table by cohort draws each cohort (not their total).
_SERIES = {"funnel": [0], "registrations": [0], "training": [0, 1], "esf_results": [0, 1], "effort": [0]}


@lru_cache(maxsize=512)
def _drawn(key: tuple) -> str:
    name, title, head, columns, rows, note, nothing = key
    table = Table(name, title, list(columns), [Row(k, label, list(values)) for k, label, values in rows], head)
    rows = [row for row in table.rows if row.key not in _NOT_DRAWN]
    series = _SERIES.get(name) or [i for i, (key, _label) in enumerate(table.columns) if key != "total"]
    kind = pygal.HorizontalBar if name == "esf_entry" else pygal.Bar
    drawn = kind(**_CONFIG, title=title, show_legend=len(series) > 1, no_data_text=nothing)
    drawn.x_labels = [_mark_label(row.label, [row.values[i] for i in series]) for row in rows]
    for i in series:
        drawn.add(table.columns[i][1], [_value(row.values[i]) for row in rows])
    shown = Table(name, title, table.columns, rows, head)
    return _render(drawn, name, title, _describe(shown, series, note))
