"""The top bar's menu written in Python: every page draws it (list, detail, and the 403 and 404 pages the
authorization matrices render by the thousand), and the template engine spent a third of a small page on its
nested loops. ``main_menu`` writes exactly what base.html's loops wrote (tests/core/test_menu_html.py compares
the two): every label and URL escaped, the current entry marked with ``aria-current``."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

CURRENT = ' aria-current="page"'


def _item(item) -> str:
    label = conditional_escape(item["label"])
    if item["url"]:
        head = f'<a href="{conditional_escape(item["url"])}"{CURRENT if item["active"] else ""}>{label}</a>'
    else:
        head = f'<span class="menu-heading">{label}</span>'
    sub = ""
    if item["children"]:
        sub = '<ul class="menu-sub">' + "".join(
            f'<li><a href="{conditional_escape(child["url"])}"{CURRENT if child["active"] else ""}>'
            f'{conditional_escape(child["label"])}</a></li>' for child in item["children"]) + "</ul>"
    return f"<li>{head}\n        {sub}</li>"


def menu_html(menu) -> str:
    """The groups of ``navigation.menu_for`` as ``<details>`` dropdowns."""
    return mark_safe("".join(
        f'\n    <details class="menu">\n      <summary>{conditional_escape(group["label"])}</summary>\n'
        f'      <ul>{"".join(_item(item) for item in group["items"])}</ul>\n    </details>\n    '
        for group in menu))


@register.simple_tag
def main_menu(menu):
    return menu_html(menu or ())
