from sia.core.demo import register_demo

from .loader import ensure_default_catalogs
from .models import ReferenceNode

# Level-4 nodes the demo province adds under national level-3 nodes: (parent, code, name, uraian).
# Their uraian says what the name does not, so the picker finds them by it ("imunisasi").
DEMO_OWN_NODES = [
    ("RAB.04.01.06", "RAB.04.01.06.01", "Pencegahan dan Pengendalian Penyakit Menular",
     "Imunisasi rutin dan Bulan Imunisasi Anak Nasional, surveilans penyakit yang dapat dicegah dengan imunisasi, "
     "dan respons kejadian luar biasa."),
    ("RAB.04.01.06", "RAB.04.01.06.02", "Kesehatan Keluarga dan Gizi Masyarakat",
     "Pelayanan kesehatan ibu, bayi dan balita, pemantauan status gizi dan pencegahan stunting."),
]


@register_demo(5, "Arsitektur referensi")
def load_reference_catalogs() -> str:
    return ensure_default_catalogs()


@register_demo(20, "Simpul referensi instansi")
def load_own_nodes() -> str:
    from sia.organizations.models import Institution

    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    added = 0
    national = ReferenceNode.objects.current().national()
    for parent_code, code, name, description in DEMO_OWN_NODES:
        parent = national.filter(code=parent_code).first()
        if parent is None or ReferenceNode.objects.filter(version=parent.version, institution=institution, code=code).exists():
            continue
        node = ReferenceNode(version=parent.version, parent=parent, institution=institution, code=code, name=name,
                             description=description)
        node.full_clean()
        node.save()
        added += 1
    return f"{added} simpul instansi"
