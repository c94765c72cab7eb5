"""Bad Aplikasi input through the web form and the API (issue 11; the Excel upload has its own tests in
tests/exchange/test_bad_input_applications.py): each case gets its clear message on the field at fault and
nothing is written. And the application's own OPD is not one of its "OPD pengguna lain", by every channel."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ApplicationLifecycle
from sia.architecture.models import Application, BusinessProcess, ReviewEvent
from sia.exchange.choices import ImportStatus
from sia.exchange.uploads import ImportRefused, commit_import, start_import
from tests.exchange.helpers import upload, workbook
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

API = "/api/architecture/applications/"
OWN_OPD = "DISKOMINFO adalah OPD pemilik aplikasi ini; OPD pengguna lain hanya untuk OPD selain pemiliknya."


# Each case: the fields as the form takes them (a reference and process codes typed in the pickers'
# text boxes) and as the API takes them (codes), the field at fault and its message per channel (the
# form's pickers explain a code they cannot take; the API and the Excel import share the model's wording).
CASES = {
    "reference-of-another-catalog": (
        {"reference": "RAB.09.03.04"}, "reference", {
            "form": "Kode “RAB.09.03.04” berawalan RAB, padahal katalognya RAA.",
            "api": "Referensi harus dari katalog RAA, bukan RAB.",
        },
    ),
    "raa-level-1": (
        {"reference": "RAA.01"}, "reference", {
            "form": "Simpul RAA.01 bertingkat 1 (Jenis aplikasi); di sini pilih simpul tingkat 2 (Kelompok aplikasi) "
                    "ke bawah.",
            "api": "Pilih simpul RAA tingkat 2 (Kelompok aplikasi) atau simpul di bawahnya, bukan tingkat 1 "
                   "(Jenis aplikasi).",
        },
    ),
    "process-of-another-instansi": (
        {"processes": ["{far}"]}, "processes", {
            "form": "Kode tidak ditemukan di antara pilihan yang tersedia (objek instansi Anda yang dapat dipilih): {far}.",
            "api": "Tidak ada pilihan dengan ID atau kode “{far}”.",
        },
    ),
    "retired-without-a-year": (
        {"lifecycle": ApplicationLifecycle.RETIRED}, "retirement_year",
        {"any": "Aplikasi yang dihentikan perlu tahun dihentikannya."},
    ),
    "retired-before-production": (
        {"lifecycle": ApplicationLifecycle.RETIRED, "production_year": 2020, "retirement_year": 2019},
        "retirement_year", {"any": "Tahun dihentikan tidak boleh sebelum tahun mulai dipakai."},
    ),
}


@pytest.fixture
def objs(kinds, world):
    class Objects:
        existing = kinds.build(Application, name="Aplikasi Lama", production_year=2021,
                               user_departments=[world.dinkes])
        far_process = Builder(world.far).build(BusinessProcess, name="Proses Kota Lain")

    return Objects


def snapshot(obj):
    """What a refused write must leave as it was: counts, history and the existing object with its links."""
    obj = Application.objects.get(pk=obj.pk)
    return {
        "applications": Application.objects.count(),
        "history": Application.history.count(),
        "events": ReviewEvent.objects.count(),
        "processes": Application.processes.through.objects.count(),
        "user_departments": Application.user_departments.through.objects.count(),
        "existing": {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields},
        "existing_links": {name: sorted(getattr(obj, name).values_list("pk", flat=True))
                           for name in ("processes", "services", "reads", "writes", "user_departments")},
    }


def form_body(world, **extra):
    body = {"department": world.kominfo.pk, "name": "Aplikasi Baru", "period": "2025-2029", "state": "as-is",
            "lifecycle": ApplicationLifecycle.PRODUCTION}
    body.update(extra)
    return body


def form_values(values):
    """The form's names: a reference typed in the picker's text box, process codes in the picker's code box."""
    out = {}
    for name, value in values.items():
        if name == "reference":
            out["reference_text"] = value
        elif name == "processes":
            out["processes_codes"] = ", ".join(value)
        else:
            out[name] = value
    return out


def send(client, api, world, existing, channel, values):
    """Sends ``values`` through ``channel`` as the DISKOMINFO operator; returns ``{field: [messages]}``."""
    if channel == "form":
        client.force_login(world.users["operator"])
        response = client.post(reverse("architecture:application_add"), form_body(world, **form_values(values)))
        assert response.status_code == 400, response.content.decode()[:2000]
        return response.context["form"].errors
    caller = api(world.users["operator"])
    if channel == "api-post":
        response = caller.post(API, form_body(world, **values), format="json")
    else:
        response = caller.patch(f"{API}{existing.pk}/", {**values, "lock_version": existing.lock_version},
                                format="json")
    assert response.status_code == 400, response.content
    return response.json()


def fill(value, far):
    if isinstance(value, list):
        return [fill(v, far) for v in value]
    return value.format(far=far.code) if isinstance(value, str) else value


@pytest.mark.parametrize("channel", ["form", "api-post", "api-patch"])
@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_on_its_field_and_writes_nothing(case, channel, client, api, world, objs):
    values, field, messages = CASES[case]
    values = {name: fill(value, objs.far_process) for name, value in values.items()}
    message = fill(messages.get("any") or messages["form" if channel == "form" else "api"], objs.far_process)
    before = snapshot(objs.existing)
    errors = send(client, api, world, objs.existing, channel, values)
    assert errors == {field: [message]}, errors
    assert snapshot(objs.existing) == before


@pytest.mark.parametrize("channel", ["api-post", "api-patch"])
def test_a_process_of_another_instansi_by_id_is_refused_in_indonesian(channel, client, api, world, objs):
    far = objs.far_process.pk
    before = snapshot(objs.existing)
    errors = send(client, api, world, objs.existing, channel, {"processes": [far]})
    assert errors == {"processes": [f"Tidak ada pilihan dengan ID atau kode “{far}”."]}, errors
    assert snapshot(objs.existing) == before


# --- the application's own OPD is not an "OPD pengguna lain" ---------------------------------------------------


def test_the_form_refuses_the_own_opd_as_another_user(client, world, objs):
    before = snapshot(objs.existing)
    client.force_login(world.users["operator"])
    response = client.post(reverse("architecture:application_add"),
                           form_body(world, user_departments=[world.kominfo.pk, world.dinkes.pk]))
    assert response.status_code == 400
    assert response.context["form"].errors == {"user_departments": [OWN_OPD]}
    url = reverse("architecture:application_edit", args=[objs.existing.pk])
    response = client.post(url, {
        **form_body(world, name=objs.existing.name, user_departments=[world.kominfo.pk],
                    production_year=2021, processes=[p.pk for p in objs.existing.processes.all()]),
        "code": objs.existing.code, "lock_version": objs.existing.lock_version,
    })
    assert response.status_code == 400
    assert response.context["form"].errors == {"user_departments": [OWN_OPD]}
    assert snapshot(objs.existing) == before
    # Another OPD of the instansi is what the field is for.
    response = client.post(reverse("architecture:application_add"),
                           form_body(world, user_departments=[world.dinkes.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_api_refuses_the_own_opd_as_another_user(api, world, objs):
    before = snapshot(objs.existing)
    client = api(world.users["operator"])
    response = client.post(API, {**form_body(world), "user_departments": ["DISKOMINFO"]}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"user_departments": [OWN_OPD]}
    response = client.patch(f"{API}{objs.existing.pk}/", {
        "user_departments": ["DINKES", "DISKOMINFO"], "lock_version": objs.existing.lock_version,
    }, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"user_departments": [OWN_OPD]}
    assert snapshot(objs.existing) == before
    # The DINKES operator's own application: DINKES is refused, DISKOMINFO taken.
    dinkes = api(world.users["operator_dinkes"])
    body = {**form_body(world), "department": "DINKES"}
    response = dinkes.post(API, {**body, "user_departments": ["DINKES"]}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"user_departments": [OWN_OPD.replace("DISKOMINFO", "DINKES")]}
    response = dinkes.post(API, {**body, "user_departments": ["DISKOMINFO"]}, format="json")
    assert response.status_code == 201, response.content


AP = ["ID", "Perangkat daerah *", "Nama *", "Referensi", "Siklus hidup", "OPD pengguna lain"]


def test_the_excel_import_refuses_the_own_opd_as_another_user(settings, tmp_path, world, objs):
    settings.MEDIA_ROOT = tmp_path / "media"
    before = snapshot(objs.existing)
    user = world.users["admin"]
    sheets = {"Aplikasi": [
        AP,
        ["", "DISKOMINFO", "Aplikasi Baik", "RAA.01.01", "Produksi", "DINKES"],
        ["", "DISKOMINFO", "Aplikasi Dipakai Sendiri", "RAA.01.01", "Produksi", "DINKES; DISKOMINFO"],
        [objs.existing.code, "DISKOMINFO", objs.existing.name, "", "Produksi", "DISKOMINFO"],
    ]}
    record = start_import(upload(workbook(sheets)), user=user, institution=world.inst)
    assert record.status == ImportStatus.PREVIEW, record.problems
    errors = [(p["sheet"], p["row"], p["column"], p["message"]) for p in record.problems if p["level"] == "error"]
    assert errors == [
        ("Aplikasi", 3, "OPD pengguna lain", OWN_OPD),
        ("Aplikasi", 4, "OPD pengguna lain", OWN_OPD),
    ], record.problems
    with pytest.raises(ImportRefused):
        commit_import(record, user=user)
    assert snapshot(objs.existing) == before
