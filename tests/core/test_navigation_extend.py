"""Apps above architecture add their pages to its menu group (``extend_menu``) rather than a group of
their own: the top bar has room for few groups on a 1366 px screen (tests/core/test_browser_layout.py)."""

import pytest

from sia.core.navigation import extend_menu, menu_for

pytestmark = pytest.mark.django_db


def test_portfolio_pages_sit_in_the_architecture_group(world):
    menu = {str(group["label"]): group for group in menu_for(world.users["admin"])}
    assert "Portofolio" not in menu
    urls = [item["url"] for item in menu["Arsitektur"]["items"]]
    assert "/portofolio/duplikat/" in urls and "/portofolio/rasionalisasi/" in urls
    assert urls.index("/portofolio/duplikat/") > urls.index("/arsitektur/aplikasi/")


def test_extending_an_unknown_group_fails_loudly():
    with pytest.raises(LookupError):
        extend_menu("no-such-group", [])
