"""Where the demo applications run: their servers and cloud services in the province's infrastructure, the
platform software their stack names, the SPLP bus of those that integrate through it, and the intranet
(``sia.architecture.demo_infrastructure`` calls ``link_applications`` once its objects exist)."""

from __future__ import annotations

from .demo_applications import APPS, INTEGRATIONS
from .models import Application

# Application key (``demo_applications.APPS``) -> (servers, cloud services). National applications run on
# their ministry's infrastructure: none here.
APP_LINKS = {
    **{key: (("vm-web",), ()) for key in ("website", "webdinkes", "webdikbud", "webdkp", "jdih")},
    **{key: (("vm-app", "db01"), ()) for key in (
        "epuskesmas", "elogistik", "eaduandinkes", "ebansos", "laporbansos", "sirehsos", "sipkapi", "simtangkap",
        "ebudidaya", "rzwp3k", "etiket", "terminal", "sikapal", "elaporb3", "sipka", "suratdlh", "lapordikbud")},
    **{key: (("vm-app2", "db01"), ()) for key in (
        "ekinerja", "eabsen", "eplanning", "emonev", "musrenbang", "sakip", "persuratan", "tnde", "simpegdishub")},
    **{key: (("vm-app2", "db01"), ("cloud-dr",)) for key in ("esurat", "tte", "simpegbkd")},
    **{key: (("vm-data", "db01"), ()) for key in ("satudata", "simstat", "geoportal")},
    "splp": (("vm-splp",), ("cloud-dr",)),
    "ppid": ((), ("cloud-pdn",)),
    **{key: (("dinkes-srv",), ()) for key in ("simpegdinkes", "ekindinkes", "surveilans")},
    **{key: (("bpkad-srv",), ()) for key in ("simda", "simdabmd")},
    **{key: (("dikbud-srv",), ()) for key in ("sidapok", "epegawai", "ppdb", "sikap", "akd", "cagarbudaya")},
}


def link_applications(builder) -> int:
    """Application -> servers, cloud, platform software (from its database and the servers' web server), SPLP
    (its integrations through the SPLP) and jaringan intra (every application on a server of the province)."""
    splp_keys = {key for source, target, _two, splp, _data in INTEGRATIONS if splp for key in (source, target)}
    splp_keys.add("splp")
    databases = {"MySQL": "mysql", "PostgreSQL": "postgresql", "SQL Server": "sqlserver"}
    specs = {spec.key: spec for spec in APPS}
    linked = 0
    for key, (servers, cloud) in APP_LINKS.items():
        app = builder.apps.get(key)
        if app is None:
            continue
        linked += 1
        builder.link(Application, "servers", app.pk, servers)
        builder.link(Application, "cloud_services", app.pk, cloud)
        platform = [databases[db] for db in databases if db in specs[key].stack[4]]
        platform += ["nginx"] if any(server.startswith("vm-") for server in servers) else []
        builder.link(Application, "platform_software", app.pk, platform)
        builder.link(Application, "service_buses", app.pk, ["splp-bus"] if key in splp_keys else [])
        builder.link(Application, "intra_networks", app.pk, ["intra"] if servers else [])
    return linked
