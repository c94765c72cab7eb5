"""``{% load roadmap_money %}``: ``{{ row.budget|rupiah }}`` ("Rp 1.250.000", "—" for none)."""

from django import template

from .. import money

register = template.Library()
register.filter("rupiah", money.rupiah)
