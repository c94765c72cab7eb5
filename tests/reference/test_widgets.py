import pytest
from django import forms

from sia.reference.lookup import ReferenceNotFound, resolve_reference, split_reference
from sia.reference.widgets import ReferenceNodeField

from .helpers import node, own_node

pytestmark = pytest.mark.django_db


class ProcessForm(forms.Form):
    reference = ReferenceNodeField(catalog="RAB", min_level=3, label="Referensi RAB")


def clean(data):
    form = ProcessForm(data)
    return form.is_valid(), form


@pytest.mark.parametrize(
    "text",
    ["RAB.09.06.06", "rab.09.06.06", " RAB. 09.06.06 ", "RAB.09.06.06 Penyelenggaraan Kearsipan",
     "RAB.09.06.06 - PENYELENGGARAAN KEARSIPAN", "Penyelenggaraan Kearsipan"],
)
def test_typed_text_resolves_without_javascript(text):
    valid, form = clean({"reference_text": text})
    assert valid, form.errors
    assert form.cleaned_data["reference"] == node("RAB.09.06.06")


def test_chosen_id_wins_while_the_text_still_names_it():
    chosen = node("RAB.09.06.06")
    valid, form = clean({"reference": str(chosen.pk), "reference_text": "RAB.09.06.06 Penyelenggaraan Kearsipan"})
    assert valid and form.cleaned_data["reference"] == chosen


def test_text_typed_after_choosing_is_resolved_again():
    valid, form = clean({"reference": str(node("RAB.09.06.06").pk), "reference_text": "RAB.09.06.05"})
    assert valid and form.cleaned_data["reference"] == node("RAB.09.06.05")


@pytest.mark.parametrize(
    "data, fragment",
    [
        ({"reference_text": "RAL.02.04.06"}, "katalognya RAB"),
        ({"reference_text": "RAB.09.06"}, "bertingkat 2 (Urusan pemerintahan); di sini pilih simpul tingkat 3 (Sub-urusan) ke bawah"),
        ({"reference_text": "RAB.09.06.99"}, "tidak ada"),
        ({"reference_text": "RAB.09.06.06 Pertahanan"}, "bernama"),
        ({"reference": str(10**9)}, "tidak tersedia"),
        ({}, "harus diisi"),
    ],
)
def test_invalid_choices_explain_themselves(data, fragment):
    valid, form = clean(data)
    assert not valid
    assert fragment in " ".join(form.errors["reference"])


def test_level_filter_applies_to_typed_codes():
    # RAB.09.06 exists but is level 2; the field offers level 3 and deeper only.
    with pytest.raises(ReferenceNotFound):
        resolve_reference("RAB.09.06", "RAB", queryset=ProcessForm().fields["reference"].queryset)


def test_widget_renders_search_box_hidden_id_and_path():
    chosen = node("RAB.09.06.06")
    html = ProcessForm(initial={"reference": chosen.pk}).as_p()
    assert f'name="reference" value="{chosen.pk}"' in html
    assert 'name="reference_text" value="RAB.09.06.06 Penyelenggaraan Kearsipan"' in html
    assert "Pemerintahan Umum › Aparatur Negara › Penyelenggaraan Kearsipan" in html
    assert "hx-get=\"/referensi/pilih/?field=reference_text&amp;min_level=3&amp;catalog=RAB\"" in html
    assert "reference/picker.js" in html


def test_invalid_text_is_kept_when_the_form_is_shown_again():
    html = ProcessForm({"reference_text": "RAB.09.99.99"}).as_p()
    assert 'value="RAB.09.99.99"' in html


def test_resolve_reference_and_instansi_nodes(world):
    own = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    assert resolve_reference("RAB.09.06.06.01", "RAB", institution=world.inst) == own
    with pytest.raises(ReferenceNotFound):
        resolve_reference("RAB.09.06.06.01", "RAB")  # national only
    with pytest.raises(ReferenceNotFound):
        resolve_reference("RAB.09.06.06.01", "RAB", institution=world.other)
    with pytest.raises(ReferenceNotFound) as error:
        resolve_reference("Strategi Pertahanan")  # RAB and RAD both have it
    assert "beberapa simpul" in str(error.value)


def test_split_reference():
    assert split_reference("rab.09.06.06 - Penyelenggaraan Kearsipan") == ("RAB.09.06.06", "Penyelenggaraan Kearsipan")
    assert split_reference("Penyelenggaraan Kearsipan") == (None, "Penyelenggaraan Kearsipan")

