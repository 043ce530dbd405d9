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
