from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    PROVINCE = "provinsi", _("Pemerintah Provinsi")
    REGENCY = "kabupaten", _("Pemerintah Kabupaten")
    CITY = "kota", _("Pemerintah Kota")
    MINISTRY = "kementerian", _("Kementerian")
    AGENCY = "lembaga", _("Lembaga")


class DepartmentKind(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Sekretariat")
    OFFICE = "dinas", _("Dinas")
    BOARD = "badan", _("Badan")
    INSPECTORATE = "inspektorat", _("Inspektorat")
    BUREAU = "biro", _("Biro")
    HOSPITAL = "rsud", _("RSUD")
    OTHER = "lainnya", _("Lainnya")


class Echelon(models.TextChoices):
    II = "II", _("Eselon II")
    III = "III", _("Eselon III")
    IV = "IV", _("Eselon IV")
    FUNCTIONAL = "fungsional", _("Non-eselon / kelompok jabatan fungsional")
