"""``{% object_panels object "detail" %}``: the panels upper apps registered for the object's page;
``{% list_actions model querystring %}``: the buttons they added to a list page (``sia.core.panels``)."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..panels import list_actions_for, panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def object_panels(context, obj, place, form=None):
    request = context.get("request")
    if request is None or obj is None:
        return ""
    parts = []
    for panel in panels_for(request, obj, place, form=form):
        parts.append(render_to_string(panel["template"], {**panel, "object": obj, "panel": panel}, request=request))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def list_actions(context, model, querystring=""):
    request = context.get("request")
    if request is None or model is None:
        return ""
    return format_html_join("\n", '<a class="button" href="{}"{}>{}</a>', (
        (action["url"], format_html_join("", ' data-{}="{}"', action.get("data", {}).items()), action["label"])
        for action in list_actions_for(request, model, querystring)
    ))
