"""The table helper computes per page what is the same for every row (issue 18): the cells equal those computed one
by one through ``get_<field>_display``, the written rows equal what ``{{ cell }}`` and ``has_long_word`` gave."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess
from sia.core.navigation import menu_url
from sia.core.tables import Column, Table
from sia.core.templatetags.sia_text import has_long_word

pytestmark = pytest.mark.django_db

CELLS = Template('{% load sia_text %}{% for row in rows %}<tr>{% for cell in row %}<td{% if cell|has_long_word %}'
                 ' class="wrap"{% endif %}>{{ cell }}</td>{% endfor %}</tr>{% endfor %}')


def test_rows_as_the_cell_by_cell_template_wrote_them(world):
    parent = BusinessProcess.objects.create(department=world.kominfo, name="Induk & <anak> \"kutip\" 'satu'",
                                            status=ReviewStatus.VERIFIED)  # every character escaping changes
    BusinessProcess.objects.create(department=world.kominfo, name="x" * 40, parent=parent, status="tidak-dikenal")
    columns = [Column("code", link=True), Column("name", link=True), Column("department.abbreviation", "OPD"),
               Column("parent"), Column("state"), Column("status"), Column("created")]
    rows = BusinessProcess.objects.select_related("department", "parent").order_by("code")
    for language in ("id", "en"):
        with translation.override(language):
            table = Table(BusinessProcess, columns, rows)
            one_by_one = [[column.cell(row) for column in columns] for row in rows]  # get_<field>_display per cell
            assert [[str(c) for c in cells] for cells in table.rows] == [[str(c) for c in cells] for cells in one_by_one]
            assert table.body == CELLS.render(Context({"rows": one_by_one}))
    assert 'class="wrap"' in table.body and "tidak-dikenal" in table.body and "Induk &amp; &lt;anak&gt; &quot;kutip&quot; &#x27;satu&#x27;" in table.body


@pytest.mark.parametrize("text", ["biasa saja", "a" * 29, "a" * 30, "&" * 8, "a&b" * 10, '"' * 10 + "b" * 5,
                                  "kata " * 10, "<b>" + "c" * 31 + "</b>"])
def test_a_link_wraps_as_its_text_does(text):
    from django.utils.html import conditional_escape

    link = format_html('<a href="{}">{}</a>', "/arsitektur/proses-bisnis/1/?a=1&b=2", text)
    assert has_long_word(link) == has_long_word(conditional_escape(text))


def test_menu_urls_are_the_reversed_ones(settings):
    assert menu_url("architecture:process_tree") == reverse("architecture:process_tree")
    assert menu_url("home") == reverse("home")
