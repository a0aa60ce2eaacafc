"""Small SVG charts drawn on the server (no JavaScript, no CDN): points for a
`<polyline>` from a series of scores in [-1, 1]."""

from __future__ import annotations

from collections.abc import Sequence


def polyline(scores: Sequence[float | None], width: int, height: int, pad: int = 2) -> str:
    """The `points` attribute for scores spread over the width; None breaks nothing,
    it is drawn as 0 (no signal)."""
    if not scores:
        return ""
    step = (width - 2 * pad) / max(len(scores) - 1, 1)
    points = []
    for i, score in enumerate(scores):
        value = max(-1.0, min(1.0, score or 0.0))
        x = pad + i * step
        y = pad + (1 - (value + 1) / 2) * (height - 2 * pad)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


def cell_class(score: float, confidence: float, label: str) -> str:
    """Heat-map class (colours live in admin.css; the page's CSP forbids inline
    styles): green for support, red for opposition, amber for mixed, grey for no
    signal, and a deeper shade (0-4) the higher the confidence."""
    if label == "no-signal":
        return "heat-none"
    hue = "mix" if label == "mixed" else ("sup" if score > 0 else "opp")
    depth = min(4, int(max(0.0, min(1.0, confidence)) * 5))
    return f"heat-{hue}-{depth}"
