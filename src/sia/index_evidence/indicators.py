"""Which facts each indicator page shows, per instrument: the topic providers (``topics``, ``topics_plans``)
registered for the indicators they speak to (``sia.evaluation.facts.register_indicator_facts``). Imported by the
app's ``ready()``.

PermenPANRB 8/2026 (Indeks Pemerintah Digital): 1 tata kelola (the architecture filled in, the roadmap, the
Dokumen Arsitektur), 9-12 keamanan (audits and their follow-up, standards, incidents), 13 aplikasi (applications,
national shared ones, duplicates), 14 infrastruktur (data centre, cloud, jaringan intra), 15 processes across OPDs,
16 integrations, 17 the portal of services, 18 data interoperability.

PermenPANRB 59/2020 (Indeks SPBE): 11 Arsitektur SPBE, 12 Peta Rencana SPBE, 14 inovasi proses bisnis, 15
pembangunan aplikasi, 16 pusat data, 17 jaringan intra, 18 SPLP, 29-31 audits of infrastructure, applications and
security, 32-44 one administrative service each (its applications and services, found by the words of its area and
its national shared applications), 45-47 public services.
"""

from __future__ import annotations

from sia.evaluation.facts import register_indicator_facts

from . import topics, topics_plans as plans

PEMDI = "permenpanrb-8-2026"
SPBE = "permenpanrb-59-2020"

# (instrument, indicator numbers, providers in the order the page shows them)
REGISTRY = (
    (PEMDI, (1,), (topics.coverage_facts, plans.roadmap_facts, plans.document_facts)),
    (PEMDI, (9,), (plans.security_audit_facts,)),
    (PEMDI, (10,), (plans.standard_facts, plans.security_audit_facts)),
    (PEMDI, (11,), (plans.standard_facts,)),
    (PEMDI, (12,), (plans.incident_facts,)),
    (PEMDI, (13,), (topics.application_facts, topics.portfolio_facts)),
    (PEMDI, (14,), (topics.hosting_facts,)),
    (PEMDI, (15,), (topics.process_facts,)),
    (PEMDI, (16,), (topics.integration_facts,)),
    (PEMDI, (17,), (topics.service_facts,)),
    (PEMDI, (18,), (topics.data_facts,)),
    (SPBE, (11,), (topics.coverage_facts, plans.document_facts)),
    (SPBE, (12,), (plans.roadmap_facts,)),
    (SPBE, (14,), (topics.process_facts,)),
    (SPBE, (15,), (topics.application_facts, topics.portfolio_facts)),
    (SPBE, (16, 17), (topics.hosting_facts,)),
    (SPBE, (18,), (topics.integration_facts,)),
    (SPBE, (29,), (plans.infrastructure_audit_facts,)),
    (SPBE, (30,), (plans.application_audit_facts,)),
    (SPBE, (31,), (plans.security_audit_facts,)),
)

# The 59/2020 service indicators: the words of their area in application and service names and functions, and the
# names of the national shared applications that serve it.
SERVICE_AREAS = {
    32: ("perencanaan", "e-planning", "eplanning", "musrenbang", "sipd"),
    33: ("anggaran", "e-budgeting", "sipd"),
    34: ("keuangan", "simda", "sipkd", "akuntansi"),
    35: ("pengadaan", "lpse", "spse", "sirup", "katalog"),
    36: ("kepegawaian", "simpeg", "siasn"),
    37: ("arsip", "persuratan", "srikandi", "tnde", "naskah dinas"),
    38: ("barang milik", "aset", "bmd"),
    39: ("pengawasan", "inspektorat"),
    40: ("akuntabilitas", "sakip", "lakip"),
    41: ("kinerja pegawai", "e-kinerja", "ekinerja"),
    42: ("pengaduan", "aduan", "sp4n"),
    43: ("data terbuka", "satu data", "satudata", "open data"),
    44: ("jdih", "dokumentasi hukum", "produk hukum"),
}
PUBLIC_SERVICES = (45, 46, 47)

for framework_code, numbers, providers in REGISTRY:
    for provider in providers:
        register_indicator_facts(framework_code, numbers)(provider)

for number, words in SERVICE_AREAS.items():
    register_indicator_facts(SPBE, (number,))(plans.service_area_facts(words))
register_indicator_facts(SPBE, PUBLIC_SERVICES)(plans.service_area_facts(public=True))
