import xml.etree.ElementTree as ET

from sapat.lib.charts import STATUS_COLOURS, bar_chart, spark_chart, svg_to_png, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(svg)


def test_trend_chart_is_self_contained_svg_with_status_colours_and_target_line():
    svg = trend_chart(
        [("2021–2022", 85), ("2022–2023", 75), ("2023–2024", 60), ("2024–2025", None)],
        target=80,
        warning=70,
        unit_label="%",
        title="Employment",
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 480 200"
    assert root.get("font-family").startswith("Liberation Serif")
    title = root.find(f"{SVG}title").text
    assert "Employment" in title and "2023–2024: 60" in title and "2024–2025: —" in title
    fills = [c.get("fill") for c in root.iter(f"{SVG}circle")]
    assert fills == [STATUS_COLOURS["on_target"], STATUS_COLOURS["at_risk"], STATUS_COLOURS["off_target"]]
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 2  # target and warning
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2021–2022" in texts and "%" in texts
    assert "class=" not in svg and "<script" not in svg


def test_lower_is_better_and_given_statuses():
    root = parse(trend_chart([("a", 5), ("b", 15)], target=10, direction="lower"))
    assert [c.get("fill") for c in root.iter(f"{SVG}circle")] == [
        STATUS_COLOURS["on_target"],
        STATUS_COLOURS["off_target"],
    ]
    root = parse(trend_chart([("a", 5)], statuses=["at_risk"]))
    assert [c.get("fill") for c in root.iter(f"{SVG}circle")] == [STATUS_COLOURS["at_risk"]]


def test_empty_and_flat_charts_and_escaping():
    assert parse(trend_chart([], title="<b>")).find(f"{SVG}title").text == "<b>"
    root = parse(trend_chart([("x & y", 3), ("z", 3)]))
    assert len(list(root.iter(f"{SVG}circle"))) == 2


def test_bar_chart():
    root = parse(bar_chart([("On target", 5, "on_target"), ("Off target", 2, "off_target"), ("None", 0)]))
    rects = list(root.iter(f"{SVG}rect"))
    assert [r.get("fill") for r in rects] == [
        STATUS_COLOURS["on_target"],
        STATUS_COLOURS["off_target"],
        STATUS_COLOURS[None],
    ]
    assert float(rects[0].get("height")) > float(rects[1].get("height")) > float(rects[2].get("height")) == 0


def test_svg_to_png():
    png = svg_to_png(trend_chart([("2024", 1), ("2025", 2)], target=2), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 480  # width from the IHDR chunk


def test_spark_chart():
    root = parse(spark_chart([("a", 1), ("b", None), ("c", 3)], target=2, statuses=["off_target", None, "on_target"]))
    assert [c.get("fill") for c in root.iter(f"{SVG}circle")] == [
        STATUS_COLOURS["off_target"],
        STATUS_COLOURS["on_target"],
    ]
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{SVG}line"))
    assert root.find(f"{SVG}title").text == "a: 1, b: —, c: 3"
    assert not list(parse(spark_chart([("a", None)])).iter(f"{SVG}circle"))
