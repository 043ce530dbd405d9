"""Every role's main pages (tests/browser/pages.py) on the seeded demo, from a small phone
to a desktop: the page never scrolls sideways (a wide table scrolls inside its own
container), and on a desktop the site header is one line."""

import pytest

from tests.browser import pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = (320, 390, 768, 1280)
HEIGHT = 800
DESKTOP = 1280

# The elements that stick out past the right edge of the viewport and are not inside
# another that does, nor inside one that clips or scrolls them: the culprits, rightmost
# first, each with a short CSS path, its width, its right edge and the start of its text.
SIDEWAYS = """() => {
    const limit = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= limit) return null;
    const path = (el) => {
        const parts = [];
        for (let node = el; node && node !== document.body && parts.length < 4;
             node = node.parentElement) {
            let part = node.localName;
            if (node.id) part += "#" + node.id;
            else if (typeof node.className === "string" && node.className.trim())
                part += "." + node.className.trim().split(/\\s+/).slice(0, 3).join(".");
            parts.unshift(part);
        }
        return parts.join(" > ");
    };
    const sticksOut = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > limit + 0.5;
    };
    // Inside an ancestor that sticks out too, or that clips or scrolls it. An ancestor
    // clips only along the chain of containing blocks: an absolutely positioned element
    // (a visually hidden label, say) escapes a scrolling table container that is not
    // positioned, and widens the page.
    const containedBy = (el) => {
        let position = getComputedStyle(el).position;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            const style = getComputedStyle(up);
            const holds = style.position !== "static" || style.transform !== "none";
            if ((position === "absolute" && !holds)
                || (position === "fixed" && style.transform === "none")) continue;
            if (style.overflowX !== "visible" || sticksOut(up)) return true;
            position = style.position;
        }
        return false;
    };
    const found = [...document.body.querySelectorAll("*")]
        .filter((el) => sticksOut(el) && !containedBy(el))
        .map((el) => {
            const box = el.getBoundingClientRect();
            return {
                path: path(el),
                width: Math.round(box.width),
                right: Math.round(box.right + window.scrollX),
                text: (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40),
            };
        })
        .sort((a, b) => b.right - a.right);
    return {scrollWidth, offenders: found.slice(0, 3)};
}"""

# The header's visible links, buttons and fields, and whether they all share one line
# (their vertical extents overlap in one band).
HEADER = """() => {
    const header = document.querySelector("header, [role=banner]");
    if (!header) return {missing: true};
    const items = [...header.querySelectorAll(
        "a[href], button, select, input:not([type=hidden]), [role=button]")]
        .map((el) => ({el, box: el.getBoundingClientRect()}))
        .filter(({el, box}) => box.width > 1 && box.height > 1
                && getComputedStyle(el).visibility !== "hidden")
        .map(({el, box}) => ({
            text: (el.innerText || el.value || el.getAttribute("aria-label") || el.localName)
                .trim().replace(/\\s+/g, " ").slice(0, 30),
            top: Math.round(box.top),
            bottom: Math.round(box.bottom),
        }));
    const top = Math.max(...items.map((i) => i.top));
    const bottom = Math.min(...items.map((i) => i.bottom));
    return {items, oneLine: items.length === 0 || top < bottom,
            height: Math.round(header.getBoundingClientRect().height)};
}"""


def sideways(page):
    found = page.evaluate(SIDEWAYS)
    if found is None:
        return None
    culprits = "; ".join(
        f"{o['path']} ({o['width']} px wide, to {o['right']} px{', ' + repr(o['text']) if o['text'] else ''})"  # noqa: E501
        for o in found["offenders"]
    )
    return f"{found['scrollWidth']} px wide: {culprits or 'no single element found'}"


def header_on_two_lines(page):
    found = page.evaluate(HEADER)
    if found.get("missing"):
        return "no <header>"
    if found["oneLine"]:
        return None
    lines = ", ".join(f"{i['text']!r} {i['top']}–{i['bottom']}" for i in found["items"])
    return f"header {found['height']} px high, its items not on one line: {lines}"


def test_main_pages_fit_every_width_and_the_header_one_line(demo_site, role_page):
    problems = []
    for role in pages.ROLES:  # one test, so the demo is seeded once
        page = role_page(role, width=WIDTHS[0], height=HEIGHT)
        problems += role_problems(page, role, demo_site)
        page.context.close()
    assert not problems, "\n".join(problems)


def role_problems(page, role, demo_site):
    problems, header = [], {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        for main_page in pages.PAGES[role]:
            target = pages.url(demo_site["base"], main_page, demo_site["targets"][role])
            response = page.goto(target)
            where = f"{role} {main_page.name} at {width} px"
            if response.status != 200:
                problems.append(f"{where}: answered {response.status}")
                continue
            if found := sideways(page):
                problems.append(f"{where}: scrolls sideways, {found}")
            if width == DESKTOP and (found := header_on_two_lines(page)):
                header.setdefault(found, []).append(main_page.name)
    # The header is the same on every page: said once, with the pages it was seen on.
    return problems + [
        f"{role} {', '.join(on)} at {DESKTOP} px: {found}" for found, on in header.items()
    ]


def test_the_checks_catch_a_bad_page(page):
    def show(body):  # in standards mode, as the site's pages are
        page.set_content(f"<!DOCTYPE html><html><body>{body}</body></html>")

    page.set_viewport_size({"width": 390, "height": HEIGHT})
    scroller = '<div style="overflow-x: auto"><table style="width: 900px"><tr><td>{}</td></tr></table></div>'  # noqa: E501
    show(scroller.format("in its own container"))
    assert sideways(page) is None

    show('<main><table id="wide" style="width: 700px"><tr><td>x</td></tr></table></main>')
    assert "main > table#wide (700 px wide" in sideways(page)

    # A visually hidden label escapes a scrolling container that is not positioned.
    far = '<span style="display: inline-block; width: 850px"></span>'
    show(scroller.format(far + '<label style="position: absolute; width: 1px">Депутат</label>'))
    assert "td > label (1 px wide" in sideways(page)

    page.set_viewport_size({"width": DESKTOP, "height": HEIGHT})
    links = "".join(f'<a href="#{n}" style="margin-right: 10px">Раздел {n}</a>' for n in range(30))
    show(f"<header><nav>{links}</nav></header>")
    assert "not on one line" in header_on_two_lines(page)
    show(f"<header><nav>{links[:300]}</nav></header>")
    assert header_on_two_lines(page) is None
