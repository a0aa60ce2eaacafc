from __future__ import annotations

from service.admin.charts import cell_class, polyline
from service.admin.highlight import Span, segments


def test_segments_cover_the_text_once_and_keep_overlaps() -> None:
    text = "Alpha said yes. Beta said no."
    spans = [Span(1, 0, 15, "a"), Span(2, 6, 15, "b"), Span(3, 16, 29, "c"), Span(4, 5, 99, "bad")]
    pieces = segments(text, spans)
    assert "".join(p.text for p in pieces) == text
    covered = {p.text: [s.id for s in p.spans] for p in pieces}
    assert covered["Alpha "] == [1] and covered["said yes."] == [1, 2]
    assert covered["Beta said no."] == [3]
    assert [s.id for p in pieces for s in p.ending] == [1, 2, 3]  # out-of-range span dropped


def test_polyline_and_heat_classes() -> None:
    assert polyline([], 80, 20) == ""
    points = polyline([1.0, None, -1.0], 84, 24, pad=2).split()
    assert points == ["2.0,2.0", "42.0,12.0", "82.0,22.0"]
    assert cell_class(0.9, 1.0, "supports") == "heat-sup-4"
    assert cell_class(-0.9, 0.1, "opposes") == "heat-opp-0"
    assert cell_class(0.0, 0.5, "mixed") == "heat-mix-2"
    assert cell_class(0.0, 0.0, "no-signal") == "heat-none"
