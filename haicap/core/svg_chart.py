"""What haicap's pygal charts share (pure: no Django): the house style, and the SVG without
pygal's scripts.

The desk's strict Content-Security-Policy allows no script and no outside address, and a chart
is shown in an ``<img>``: pygal's scripts are left out (``js=[]``, and its inline configuration
script removed by ``without_scripts``), its styles written inside the SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pygal.style import Style


def house_style(colors: Sequence[str]) -> Style:
    """Dark enough to read on white, with dashed guides; the series in ``colors``."""
    from pygal.style import Style  # here, not at the top: a worker that draws no chart skips it

    return Style(
        background="white",
        plot_background="white",
        foreground="#1f2933",
        foreground_strong="#1f2933",
        foreground_subtle="#c7ccd1",
        colors=tuple(colors),
        font_family="sans-serif",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        title_font_size=15,
        guide_stroke_color="#d5d9dd",
        major_guide_stroke_color="#d5d9dd",
        guide_stroke_dasharray="2,4",
        major_guide_stroke_dasharray="2,4",
        stroke_width="2.5",
        stroke_opacity="1",
    )


def without_scripts(root: Any) -> Any:
    """The SVG without pygal's inline configuration script (an XML filter: the chart is drawn
    without it, and the site runs no inline script)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root
