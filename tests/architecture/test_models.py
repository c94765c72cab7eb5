import pytest
from django.core.exceptions import ValidationError

from sia.architecture.choices import ServiceCategory
from sia.architecture.models import BusinessProcess, Service
from sia.reference.models import ReferenceNode

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_code_is_generated_per_domain_and_opd(arch):
    assert arch.process.code == "PB-DISKOMINFO-001"
    assert arch.service.code == "LY-DISKOMINFO-001"
    assert arch.data.code == "DI-DISKOMINFO-001"
    second = BusinessProcess.objects.create(department=arch.process.department, name="Kedua")
    assert second.code == "PB-DISKOMINFO-002"


def test_code_unique_within_institution(arch, world):
    clash = BusinessProcess(department=world.dinkes, name="X", code=arch.process.code)
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "ID ini sudah dipakai" in str(error.value)


def test_reference_from_wrong_catalog_is_refused(arch):
    arch.process.reference = arch.node("RAL.01.43.04")
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    assert "katalog RAB, bukan RAL" in str(error.value)


def test_reference_must_be_level_three_or_deeper(arch):
    arch.process.reference = arch.node("RAB.09.03")
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    assert "tingkat 3 (Sub-urusan)" in str(error.value) and "tingkat 2 (Urusan pemerintahan)" in str(error.value)


def test_other_institutions_reference_node_is_refused(arch, world):
    parent = arch.node("RAB.09.03.04")
    own = ReferenceNode(version=parent.version, code="RAB.09.03.04.01", name="Statistik Sektoral Kota", institution=world.other)
    own.save()
    arch.process.reference = own
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    assert "instansi lain" in str(error.value)


def test_process_parent_from_other_opd_is_refused(arch, world):
    other = BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes")
    arch.process.parent = other
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    assert "OPD yang sama" in str(error.value)


def test_process_tree_refuses_cycles(arch):
    child = BusinessProcess.objects.create(department=arch.process.department, name="Anak", parent=arch.process)
    arch.process.parent = child
    with pytest.raises(ValidationError) as error:
        arch.process.full_clean()
    assert "siklus" in str(error.value)


def test_process_level_follows_parents(arch):
    child = BusinessProcess.objects.create(department=arch.process.department, name="Anak", parent=arch.process)
    grandchild = BusinessProcess.objects.create(department=arch.process.department, name="Cucu", parent=child)
    assert (arch.process.level, child.level, grandchild.level) == (0, 1, 2)


def test_risk_requires_mitigation(arch):
    arch.service.risk = "Kebocoran data"
    with pytest.raises(ValidationError) as error:
        arch.service.full_clean()
    assert "mitigasinya wajib" in str(error.value)
    arch.service.mitigation = "Enkripsi dan audit akses"
    arch.service.full_clean()


def test_service_category_follows_ral_level_one(arch):
    arch.service.reference = arch.node("RAL.01.43.04")
    arch.service.save()
    assert arch.service.category == ServiceCategory.PUBLIC
    arch.service.reference = ReferenceNode.objects.current().national().filter(code__startswith="RAL.02.", level=3).first()
    arch.service.save()
    assert arch.service.category == ServiceCategory.ADMINISTRATIVE


def test_government_affair_must_be_rab_level_two(arch):
    arch.service.government_affair = arch.node("RAB.09.03.04")
    with pytest.raises(ValidationError):
        arch.service.full_clean()
    arch.service.government_affair = arch.node("RAB.09.03")
    arch.service.full_clean()


def test_value_from_other_institution_is_refused(arch, world):
    from sia.architecture.models import ValueListItem

    arch.service.target = ValueListItem.objects.filter(institution=world.other, kind="target-layanan").first()
    with pytest.raises(ValidationError) as error:
        arch.service.full_clean()
    assert "instansi lain" in str(error.value)


def test_link_to_other_institutions_object_is_a_problem(arch, world):
    foreign = BusinessProcess.objects.create(department=world.far, name="Proses kota lain")
    problems = arch.data.link_problems("processes", [foreign, arch.process])
    assert len(problems) == 1 and "instansi lain" in problems[0]


def test_function_of_other_opd_is_a_problem(arch, world):
    foreign_function = f.function(world.dinkes)
    problems = arch.process.link_problems("functions", [foreign_function])
    assert problems and "bukan milik OPD ini" in problems[0]


def test_period_spans_five_years(arch):
    arch.process.period = "2025-2030"
    with pytest.raises(ValidationError):
        arch.process.full_clean()
    arch.process.period = "2025"
    with pytest.raises(ValidationError):
        arch.process.full_clean()


def test_changes_are_audited(arch, world):
    arch.service.name = "Layanan Statistik Sektoral"
    arch.service._history_user = world.users["operator"]
    arch.service.save()
    record = arch.service.history.first()
    assert record.history_user == world.users["operator"] and record.prev_record.name == "Layanan Data Statistik"


def test_department_with_architecture_cannot_be_deleted(arch, world):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        world.kominfo.delete()


def test_new_institution_gets_value_lists(db):
    from sia.architecture.models import ValueListItem

    inst = f.institution()
    assert set(ValueListItem.objects.filter(institution=inst, kind="metode-layanan").values_list("name", flat=True)) == {
        "Elektronik", "Hybrid", "Tatap muka"}


def test_service_link_check(arch):
    assert Service.objects.filter(processes=arch.process).count() == 1
