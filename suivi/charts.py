"""Charts drawn on the server as inline SVG: no JavaScript, printable, readable in high contrast.

A horizontal bar chart, label above each bar so that it reads at 360 px: `<svg role="img">` named by its `<title>`
and `<desc>` (aria-labelledby), which says the same figures in words. The page puts the table of the same data
right after it. Colours come from the house style's custom properties through `currentColor` and classes
(static/css/chiffres.css), so forced colours and print keep the bars visible. A masked count ("moins de 5") is
never drawn to scale: its row shows the words only.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

WIDTH = 400
ROW = 46
LABEL = 16
BAR = 18
TOP = 4
# Room for the value at the end of the longest bar.
VALUE_ROOM = 70


def bar_chart(table, chart_id):
    """The table's rows as horizontal bars (each row's `bar`), or "" when there is nothing to draw."""
    rows = table.rows
    drawn = [row.bar for row in rows if row.bar is not None]
    if not rows or not drawn:
        return ""
    longest = max(drawn) or 1
    height = TOP + ROW * len(rows)
    bars = format_html_join(
        "\n",
        '<g class="chart__row"><text class="chart__label" x="0" y="{}">{}</text>{}'
        '<text class="chart__value" x="{}" y="{}">{}</text></g>',
        (
            (
                TOP + ROW * index + LABEL - 2,
                row.label,
                _bar(row, index, longest),
                _bar_end(row, longest) + 6,
                TOP + ROW * index + LABEL + BAR - 3,
                _value_text(table, row),
            )
            for index, row in enumerate(rows)
        ),
    )
    words = "; ".join(f"{row.label} : {_value_text(table, row)}" for row in rows)
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {width} {height}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" fill="currentColor" '
        'font-size="{font}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        font=LABEL - 2,
        title=table.title,
        desc=_("Graphique en barres, une barre par ligne du tableau qui suit. %(words)s.") % {"words": words},
        bars=bars,
    )


def _bar_end(row, longest):
    if row.bar is None:
        return 0
    return round((WIDTH - VALUE_ROOM) * row.bar / longest, 1)


def _bar(row, index, longest):
    end = _bar_end(row, longest)
    if not end:
        return ""
    return format_html(
        '<rect class="chart__bar" x="0" y="{}" width="{}" height="{}"></rect>', TOP + ROW * index + LABEL, end, BAR
    )


def _value_text(table, row):
    return row.shown[0]
