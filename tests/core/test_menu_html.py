"""The top bar's menu written in Python (``sia_menu.main_menu``, issue 18) equals what base.html's template loops
wrote, for every role's real menu in Indonesian and English, with escaping of labels and URLs kept."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from sia.core.navigation import menu_for
from sia.core.templatetags.sia_menu import menu_html

pytestmark = pytest.mark.django_db

# base.html's loops before issue 18, verbatim (between "Beranda</a>\n    " and "\n  </nav>").
LOOPS = Template(
    '{% for group in menu %}\n    <details class="menu">\n      <summary>{{ group.label }}</summary>\n      <ul>'
    '{% for item in group.items %}<li>{% if item.url %}<a href="{{ item.url }}"{% if item.active %} aria-current="page"'
    '{% endif %}>{{ item.label }}</a>{% else %}<span class="menu-heading">{{ item.label }}</span>{% endif %}\n        '
    '{% if item.children %}<ul class="menu-sub">{% for child in item.children %}<li><a href="{{ child.url }}"'
    '{% if child.active %} aria-current="page"{% endif %}>{{ child.label }}</a></li>{% endfor %}</ul>{% endif %}</li>'
    '{% endfor %}</ul>\n    </details>\n    {% endfor %}')

PATHS = ("/", "/arsitektur/proses-bisnis/", "/arsitektur/aplikasi/", "/evaluasi/")


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_roles_menu_as_the_template_wrote_it(world, language):
    with translation.override(language):
        for user in world.users.values():
            for path in PATHS:
                menu = menu_for(user, path)
                assert menu_html(menu) == LOOPS.render(Context({"menu": menu})), (user, path)
    assert menu_for(world.users["admin"], "/arsitektur/aplikasi/")  # a real menu was compared


def test_labels_and_urls_are_escaped():
    menu = [{"label": "<script>alert(1)</script>", "items": [
        {"label": "A & <b>", "url": '/x/?a=1&b="2"', "active": True, "children": [
            {"label": "<script>sub</script>", "url": "/y/<z>", "active": False}]},
        {"label": "<i>kepala</i>", "url": "", "active": False, "children": []},
    ]}]
    html = menu_html(menu)
    assert html == LOOPS.render(Context({"menu": menu}))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="/x/?a=1&amp;b=&quot;2&quot;" aria-current="page"' in html


def test_the_page_shows_the_menu(client, world):
    client.force_login(world.users["admin"])
    page = client.get("/arsitektur/aplikasi/").content.decode()
    request = RequestFactory().get("/arsitektur/aplikasi/")
    assert str(menu_html(menu_for(world.users["admin"], request.path))) in page
    assert 'aria-current="page">' in page
