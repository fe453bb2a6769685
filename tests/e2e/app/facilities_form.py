"""Driving the built-in facilities rubric (``facilities-supervision``) on a phone page:
shared by the FORMS screen test (stand-in ctx) and the whole-app field day."""
from __future__ import annotations

from playwright.sync_api import expect

DEFINITION_ID = "facilities-supervision"


def item(page, path: str):
    return page.locator(f'.fi-item[data-path="{path}"]')


def answer_check(page, path: str, value: str) -> None:
    button = item(page, path).locator(f'.fi-toggle[data-value="{value}"]')
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def preview(page) -> tuple[float, str]:
    total = page.locator("[data-testid=score-total]")
    return float(total.get_attribute("data-total")), \
        page.locator("[data-testid=score-band]").get_attribute("data-band")


def fail_one_and_flag_a_reading(page) -> None:
    """fac.01 failed with one 0.5-point defect, the rest passed, and a reading under its
    threshold (so its evidence rule asks for a photo and a note)."""
    for path in ("fac.02", "fac.03", "fac.04", "fac.05", "fac.06"):
        answer_check(page, path, "pass")
    answer_check(page, "fac.01", "fail")
    defect = item(page, "fac.01").locator(".fi-defect").first
    defect.locator("select.fi-criterion").select_option(index=1)
    defect.locator("input.fi-deduction").fill("0.5")
    item(page, "fac.06.retention").locator("input[type=number]").fill("3")
    item(page, "fac.06.retention").locator("input[type=number]").blur()
    expect(item(page, "fac.06.retention").locator(".ph-add.needed")).to_be_visible()


def drag(page, tool: str, start: tuple, end: tuple) -> None:
    """Draw one shape with an annotation tool, in fractions of the open canvas."""
    box = page.locator(".an-canvas").bounding_box()
    page.locator(f'.an-tool[data-tool="{tool}"]').click()
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1], steps=8)
    page.mouse.up()


def sign(page) -> None:
    """Draw a stroke on the open signature pad and accept it."""
    pad = page.locator(".sig-canvas")
    expect(pad).to_be_visible()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + 20, steps=8)
    page.mouse.up()
