"""A history chart drawn on the server as SVG: no script, readable without JavaScript,
with the same numbers in a table beside it."""

WIDTH, HEIGHT, PAD = 640, 200, 28


def history_points(history) -> dict:
    if not history:
        return {}
    n = len(history)
    step = (WIDTH - 2 * PAD) / max(1, n - 1)
    points = []
    for index, snapshot in enumerate(history):
        x = PAD + index * step
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * max(0.0, min(100.0, snapshot.score)) / 100
        points.append((round(x, 1), round(y, 1), snapshot))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "polyline": " ".join(f"{x},{y}" for x, y, _ in points),
        "points": points,
        "y_axis": [
            (label, HEIGHT - PAD - (HEIGHT - 2 * PAD) * label / 100) for label in (0, 50, 100)
        ],
        "pad": PAD,
    }


PALETTE = [
    "#0b4f9c",
    "#c0392b",
    "#1d6b2f",
    "#8a4b00",
    "#6c3483",
    "#117a65",
    "#7b241c",
    "#2e4053",
    "#b9770e",
    "#1f618d",
    "#5d6d7e",
]


def stacked_months(series: dict, topics) -> dict:
    """Appeals per month as stacked bars by topic; months with fewer than 5 appeals of a
    topic are drawn as they are but their numbers are not printed."""
    if not series:
        return {}
    months = sorted(series)
    totals = [sum(series[m].values()) for m in months]
    peak = max(totals) or 1
    bar = (WIDTH - 2 * PAD) / len(months)
    bars = []
    for index, month in enumerate(months):
        y = HEIGHT - PAD
        for position, topic in enumerate(topics):
            n = series[month].get(topic.pk, 0)
            if not n:
                continue
            h = (HEIGHT - 2 * PAD) * n / peak
            y -= h
            bars.append(
                {
                    "x": round(PAD + index * bar + 1, 1),
                    "y": round(y, 1),
                    "w": round(max(1.0, bar - 2), 1),
                    "h": round(h, 1),
                    "color": PALETTE[position % len(PALETTE)],
                    "label": f"{month:%m.%Y} — {topic.display_name}",
                }
            )
    legend = [(PALETTE[i % len(PALETTE)], t.display_name) for i, t in enumerate(topics)]
    labels = [(round(PAD + i * bar + bar / 2, 1), f"{m:%m.%y}") for i, m in enumerate(months)]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "legend": legend, "labels": labels}
