"""The sheet and column names of the AS-IS templates in circulation, read as SIA's kinds and fields.

Source: ``/work/shared/domain/attributes_seen.csv``, the rows of domain Infrastruktur and Keamanan whose object
names the city's AS-IS template (``Domain Arsitektur Infrastruktur - AS IS (1).xlsx``, Kota Banjarmasin) or the SIA
manual (notes on the SPBE SIA application). See README.md beside this file for what the templates hold that SIA
has no field for.

Kinds are named by their model label, fields by name: a name the model no longer has is left out when the sheets
are built (``sia.exchange.columns``), and ``tests/exchange/test_asis_template.py`` checks that every name here
resolves, so a renamed field shows up as a failing test rather than a silently unread column.
"""

from __future__ import annotations

# Sheet names of the templates, per kind. The kind's own title, verbose names and slug are read anyway
# (``SheetSpec.aliases``); these are the template's other names. A template name longer than Excel's 31 characters
# is also read cut at 31 (Excel cuts it so).
SHEETS = {
    "architecture.Server": ("Perangkat Keras Server",),
    "architecture.StorageMedia": ("Perangkat Keras Media Penyimpan", "Perangkat Keras Media Penyimpanan",
                                  "Media Penyimpan"),
    "architecture.NetworkDevice": ("Perangkat Keras Jaringan",),
    "architecture.SecurityDevice": ("Perangkat Keras Keamanan",),
    "architecture.Peripheral": ("Perangkat Keras Periferal",),
    "architecture.ServiceBus": ("SPLP", "Sistem Penghubung Layanan Pemerintah", "Sistem Penghubung Layanan"),
    "architecture.IntraNetwork": ("Jaringan Intra", "Jaringan Intra Pemerintah"),
    "architecture.CloudService": ("Komputasi Awan", "Government Cloud"),
    "architecture.PlatformSoftware": ("Perangkat Lunak Platform",),
    "architecture.SecurityStandard": ("Standar, Prosedur, dan Regulasi Keamanan", "Standar Prosedur Regulasi Keamanan"),
    "architecture.SecurityAwareness": ("Edukasi Kesadaran Keamanan SPBE",),
    "architecture.VulnerabilityAssessment": ("Identifikasi Kerentanan Keamanan",),
}

# Sheets that each hold a part of one kind, told apart by a field the sheet fixes: the template's three facility
# sheets have the same columns and are one kind in SIA, its type taken from the sheet. Several of these sheets
# may be in one workbook (rows of all of them are rows of the kind); a row's own cell of the field, if filled, must
# say the same as its sheet.
SPLIT_SHEETS = {
    "Pusat Data": ("architecture.ComputingFacility", {"facility_type": "pusat-data"}),
    "Pusat Komputasi": ("architecture.ComputingFacility", {"facility_type": "pusat-komputasi"}),
    "Pusat Kendali": ("architecture.ComputingFacility", {"facility_type": "pusat-kendali"}),
}

# Column names of the templates, per kind and field. Besides these, on every kind group sheet a link column reads
# ``→ <name of its target kind>`` (the target's label or any of its SHEETS names, e.g. ``→ Perangkat Keras
# Server``) and a ``←`` column ``← <name of its source kind>``; an alias never takes a header another column of the
# sheet already answers to.
COLUMNS = {
    "architecture.ComputingFacility": {
        "name": ("Nama Pusat Kendali/Komputasi/Data", "Nama Pusat Data", "Nama Pusat Komputasi", "Nama Pusat Kendali",
                 "Nama Fasilitas Komputasi"),
        "intranet_bandwidth_mbps": ("Bandwidth Intranet",),
        "internet_bandwidth_mbps": ("Bandwidth Internet",),
        "tier": ("Klasifikasi Tier Fasilitas", "Klasifikasi Tier"),
        "ownership": ("Kepemilikan(Information)", "Kepemilikan", "Status Kepemilikkan"),
        "physical_security": ("Sistem Pengamanan",),
        "managing_unit": ("Unit Kerja Penanggung Jawab",),
        "facility_type": ("Jenis Fasilitas Komputasi", "Tipe Fasilitas"),
    },
    "architecture.Server": {
        "name": ("Nama Server",),
        "description": ("Deskripsi Server",),
        "memory_gb": ("Kapasitas Memori",),
        "storage_gb": ("Jumlah Kapasitas Penyimpanan", "Kapasitas Penyimpanan"),
        "usage": ("Jenis Penggunaan Server",),
        "ownership": ("Status Kepemilikkan",),
        "processor": ("Jenis Teknologi Prosesor",),
        "managing_unit": ("Unit Pengelola Server",),
        "location": ("Lokasi Perangkat Lunak Server", "Lokasi Server"),
        # The template lists the facility holding the server under an arrow pointing at the server.
        "facility": ("← Fasilitas Komputasi",),
    },
    "architecture.StorageMedia": {
        "name": ("Nama Data Storage",),
        "description": ("Deskripsi Data Storage",),
        "capacity_gb": ("Kapasitas Penyimpanan",),
        "access_method": ("Metode Akses Data Sharing",),
        "managing_unit": ("Unit Pengelola Data Storage",),
        "location": ("Lokasi Data Storage",),
        "ownership": ("Status Kepemilikkan",),
        # The data kept on the medium, listed by the template under an arrow pointing at the medium.
        "data_items": ("← Data dan Informasi",),
    },
    "architecture.Peripheral": {
        "name": ("Nama Perangkat Periferal",),
        "description": ("Deskripsi Periferal",),
        "location": ("Lokasi Penempatan Periferal",),
        "managing_unit": ("Unit Pengelola Perangkat Periferal",),
        "ownership": ("Status Kepemilikkan",),
    },
    "architecture.NetworkDevice": {
        "name": ("Nama Network/Communication Device",),
        "description": ("Deskripsi Network/Communication Device",),
        "device_type": ("Tipe Network/Communication Device",),
        "managing_unit": ("Unit Pengelola Network/Communication Device",),
        "ownership": ("Status Kepemilikkan",),
    },
    "architecture.SecurityDevice": {
        "name": ("Nama Perangkat Keamanan",),
        "description": ("Deskripsi Security Device",),
        "device_type": ("Tipe Security Device",),
        "managing_unit": ("Unit Pengelola Security Device",),
        "ownership": ("Status Kepemilikkan",),
    },
    "architecture.ServiceBus": {
        "name": ("Nama Sistem Penghubung Layanan Pemerintah",),
        "description": ("Deskripsi Sistem Penghubung",),
        "ownership": ("Status Kepemilikkan",),
    },
    "architecture.IntraNetwork": {
        "name": ("Nama Jaringan Intra Pemerintah",),
        "description": ("Deskripsi Jaringan",),
        "bandwidth_mbps": ("Bandwidth",),
        "ownership": ("Kepemilikan", "Status Kepemilikkan"),
    },
    "architecture.CloudService": {
        "name": ("Nama Government Cloud",),
        "description": ("Deskripsi Government Cloud",),
        "annual_cost": ("Biaya Layanan",),
        "service_type": ("Tipe Goverment Cloud", "Tipe Government Cloud"),
        "ownership": ("Status Kepemilikkan",),
        "managing_unit": ("→ Unit Operasional Government Cloud", "Unit Operasional Government Cloud"),
        "data_items": ("← Data dan Informasi",),
    },
    "architecture.PlatformSoftware": {
        "name": ("Nama Perangkat Lunak",),
        "description": ("Deskripsi Perangkat Lunak",),
        "owner_name": ("Nama Pemilik Lisensi",),
        "software_type": ("Tipe Perangkat Lunak",),
        "license_end": ("Validitas Lisensi Perangkat Lunak", "Validitas Lisensi"),
    },
    "architecture.SecurityAudit": {
        "result": ("Hasil Audit Keamanan",),
        "audit_type": ("Jenis Audit Keamanan",),
        "audit_date": ("Tanggal Kegiatan",),
    },
}
