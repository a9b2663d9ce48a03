"""The demo data notice is seen at the top of every page, also on a phone."""

import pytest
from playwright.sync_api import expect

from coalicion.composition import demo

pytestmark = pytest.mark.browser


def test_a_visitor_sees_that_the_data_are_a_demo(page, loaded_plan, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    demo.set_up_demo()
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/es/", "/es/legal/instruments/"):
        page.goto(path)
        notice = page.locator(".demo-notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Datos de demostración")
        # The notice wraps within a phone's width (the main menu's own overflow
        # at 390 px is another matter).
        box = notice.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
    page.goto("/en/")
    expect(page.locator(".demo-notice")).to_contain_text("Demo data")
