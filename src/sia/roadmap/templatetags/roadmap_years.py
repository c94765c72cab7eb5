"""``{% load roadmap_years %}``: ``{{ activity|years }}`` ("2026" for one year, "2025–2027" for several)."""

from django import template

from ..timeline import years_text

register = template.Library()
register.filter("years", years_text)
