"""Precision and recall of the duplicate candidates on the labelled pairs in data/duplicate_pairs.csv.

The pairs of set "tuning" were written first and the abbreviation and synonym lists were extended while
looking at them; the "held-out" pairs were written afterwards and not tuned for. Both are reported, the
floors hold for all pairs together.

Every pair becomes two applications of two OPDs of one instansi (with a business process per RAB code
and their RAA node), all pairs in the same instansi, as a real portfolio would hold them; a pair counts
as predicted a duplicate when ``duplicate_candidates`` lists it at ``THRESHOLD``."""

import csv
from pathlib import Path

import pytest

from sia.architecture.models import Application, BusinessProcess
from sia.portfolio.duplicates import THRESHOLD, duplicate_candidates
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f

PAIRS = Path(__file__).parent / "data" / "duplicate_pairs.csv"
PRECISION_FLOOR, RECALL_FLOOR = 0.85, 0.80
OPDS = [
    ("Dinas Kesehatan", "DINKES"), ("Dinas Pendidikan", "DISDIK"), ("Badan Kepegawaian Daerah", "BKD"),
    ("Badan Perencanaan Pembangunan Daerah", "BAPPEDA"), ("Dinas Komunikasi dan Informatika", "DISKOMINFO"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"), ("Sekretariat Daerah", "SETDA"),
    ("Dinas Sosial", "DINSOS"), ("Dinas Penanaman Modal dan PTSP", "DPMPTSP"), ("Badan Pendapatan Daerah", "BAPENDA"),
]


def read_pairs() -> list[dict]:
    with open(PAIRS, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_labelled_set_is_large_and_balanced_enough():
    rows = read_pairs()
    assert len(rows) >= 60
    labels = [row["label"] for row in rows]
    assert set(labels) == {"duplikat", "bukan"}
    assert min(labels.count("duplikat"), labels.count("bukan")) >= 25


@pytest.mark.django_db
def test_precision_and_recall_on_the_labelled_pairs():
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Kabupaten Berlabel")
    opds = [f.department(inst, name=name, abbreviation=abbr) for name, abbr in OPDS]
    nodes = {node.code: node for node in ReferenceNode.objects.current().national().filter(version__catalog__code__in=["RAA", "RAB"])}
    processes: dict = {}

    def process(dept, code):
        if (dept.pk, code) not in processes:
            processes[dept.pk, code] = BusinessProcess.objects.create(
                department=dept, name=f"Proses {nodes[code].name}", reference=nodes[code]
            )
        return processes[dept.pk, code]

    def application(dept, name, function, raa, rab):
        app = Application.objects.create(department=dept, name=name, function=function, reference=nodes[raa])
        app.processes.set([process(dept, code) for code in rab.split(";") if code])
        return app

    labelled = []
    for i, row in enumerate(read_pairs()):
        a = application(opds[i % len(opds)], row["name_a"], row["function_a"], row["raa_a"], row["rab_a"])
        b = application(opds[(i + 3) % len(opds)], row["name_b"], row["function_b"], row["raa_b"], row["rab_b"])
        labelled.append(((min(a.pk, b.pk), max(a.pk, b.pk)), row["label"] == "duplikat", row))

    found = {(c.first_id, c.second_id): c for c in duplicate_candidates(inst.pk, nationals=False, attach_objects=False)}
    print(f"\nduplicate pairs at threshold {THRESHOLD}:")
    figures = {}
    for name, rows in (("all", labelled), *((s, [x for x in labelled if x[2]["set"] == s]) for s in ("tuning", "held-out"))):
        tp = sum(1 for pair, duplicate, _row in rows if duplicate and pair in found)
        fp = [row for pair, duplicate, row in rows if not duplicate and pair in found]
        fn = [row for pair, duplicate, row in rows if duplicate and pair not in found]
        precision = tp / (tp + len(fp)) if tp + len(fp) else 0.0
        recall = tp / (tp + len(fn))
        figures[name] = precision, recall
        print(f"  {name}: {len(rows)} pairs, precision {precision:.3f} ({tp}/{tp + len(fp)}), "
              f"recall {recall:.3f} ({tp}/{tp + len(fn)})")
        if name == "all":
            for row in fp:
                print("    false positive:", row["name_a"], "|", row["name_b"])
            for row in fn:
                print("    missed:", row["name_a"], "|", row["name_b"])
    precision, recall = figures["all"]
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
