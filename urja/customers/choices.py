from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaType(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


class TariffCategory(models.TextChoices):
    """Category codes; rates live in the tariffs app as effective-dated data keyed by these codes."""

    LMV1_LIFELINE = "LMV1-LIFELINE", _("LMV-1 Domestic lifeline (BPL)")
    LMV1_RURAL_UM = "LMV1-RURAL-UM", _("LMV-1 Domestic rural unmetered")
    LMV1_RURAL = "LMV1-RURAL", _("LMV-1 Domestic rural metered")
    LMV1_URBAN = "LMV1-URBAN", _("LMV-1 Domestic urban metered")
    LMV2_URBAN = "LMV2-URBAN", _("LMV-2 Non-domestic")
    LMV5_RURAL_UM = "LMV5-RURAL-UM", _("LMV-5 Private tube well rural unmetered")
    LMV5_RURAL = "LMV5-RURAL", _("LMV-5 Private tube well rural metered")
    LMV5_URBAN = "LMV5-URBAN", _("LMV-5 Private tube well urban metered")
    LMV6 = "LMV6", _("LMV-6 Small and medium power")
    # HV categories, by supply voltage (urja.domain.tariff_book_hv)
    HV1_11KV = "HV1-11KV", _("HV-1 Non-industrial bulk loads, 11 kV")
    HV1_ABOVE_11KV = "HV1-ABOVE11KV", _("HV-1 Non-industrial bulk loads, above 11 kV")
    HV2_11KV = "HV2-11KV", _("HV-2 Large and heavy power, 11 kV")
    HV2_66KV = "HV2-66KV", _("HV-2 Large and heavy power, above 11 kV up to 66 kV")
    HV2_132KV = "HV2-132KV", _("HV-2 Large and heavy power, above 66 kV up to 132 kV")
    HV2_ABOVE_132KV = "HV2-ABOVE132KV", _("HV-2 Large and heavy power, above 132 kV")
    HV3_BELOW_132KV = "HV3-BELOW132KV", _("HV-3 Railway traction, below 132 kV")
    HV3_132KV = "HV3-132KV", _("HV-3 Railway traction, 132 kV and above")
    HV4_11KV = "HV4-11KV", _("HV-4 Lift irrigation works, 11 kV")
    HV4_66KV = "HV4-66KV", _("HV-4 Lift irrigation works, above 11 kV up to 66 kV")
    HV4_132KV = "HV4-132KV", _("HV-4 Lift irrigation works, above 66 kV up to 132 kV")
    LMV1_BULK = "LMV1-BULK", _("LMV-1 Domestic bulk single-point supply (societies, colonies, townships)")
    LMV2_RURAL = "LMV2-RURAL", _("LMV-2 Non-domestic rural")
    LMV3_GP = "LMV3-GP", _("LMV-3 Public lamps, gram panchayat, metered")
    LMV3_GP_UM = "LMV3-GP-UM", _("LMV-3 Public lamps, gram panchayat, unmetered")
    LMV3_NP = "LMV3-NP", _("LMV-3 Public lamps, nagar palika / nagar panchayat, metered")
    LMV3_NP_UM = "LMV3-NP-UM", _("LMV-3 Public lamps, nagar palika / nagar panchayat, unmetered")
    LMV3_NN = "LMV3-NN", _("LMV-3 Public lamps, nagar nigam, metered")
    LMV3_NN_UM = "LMV3-NN-UM", _("LMV-3 Public lamps, nagar nigam, unmetered")
    LMV4_PUBLIC = "LMV4-PUBLIC", _("LMV-4 (A) Public institutions")
    LMV4_PRIVATE = "LMV4-PRIVATE", _("LMV-4 (B) Private institutions")
    LMV6_PLOOM = "LMV6-PLOOM", _("LMV-6 Power looms")
    LMV7 = "LMV7", _("LMV-7 Public water works")
    LMV8 = "LMV8", _("LMV-8 State tube wells and pumped canals, metered")
    LMV8_UM = "LMV8-UM", _("LMV-8 State tube wells and pumped canals, unmetered")
    LMV9 = "LMV9", _("LMV-9 Temporary supply")
    LMV10 = "LMV10", _("LMV-10 Departmental employees and pensioners, metered")
    LMV10_UM = "LMV10-UM", _("LMV-10 Departmental employees and pensioners, unmetered")
    LMV11 = "LMV11", _("LMV-11 Electric vehicle charging")


# The unmetered (flat) categories: every code ending in -UM (as in the tariff book).
UNMETERED_CATEGORIES = frozenset(c for c in TariffCategory if c.value.endswith("-UM"))


class LoadUnit(models.TextChoices):
    KW = "kW", "kW"
    KVA = "kVA", "kVA"
    BHP = "BHP", "BHP"


class SolarScheme(models.TextChoices):
    """Rooftop solar metering (urja.domain.solar): values shared with the engine's SolarScheme."""

    NONE = "", _("No rooftop solar")
    NET = "net", _("Net metering")
    GROSS = "gross", _("Gross metering")


class Phase(models.IntegerChoices):
    SINGLE = 1, _("Single phase")
    THREE = 3, _("Three phase")


class SupplyVoltage(models.TextChoices):
    LT_230V = "230V", _("LT 230 V")
    LT_415V = "415V", _("LT 415 V")
    HT_11KV = "11kV", _("HT 11 kV")
    # HV supply (urja.domain.tariff_book_hv)
    HT_33KV = "33kV", _("HT 33 kV")
    HT_66KV = "66kV", _("HT 66 kV")
    HT_132KV = "132kV", _("EHT 132 kV")
    HT_220KV = "220kV", _("EHT 220 kV")


class ConsumerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TEMP_DISCONNECTED = "td", _("Temporarily disconnected")
    PERM_DISCONNECTED = "pd", _("Permanently disconnected")
    #: Opened at a new connection's demand note so it can be paid; not billed until energised.
    PENDING = "pending", _("Connection pending")


class KycDocument(models.TextChoices):
    AADHAAR = "aadhaar", _("Aadhaar")
    VOTER_ID = "voter", _("Voter ID")
    PAN = "pan", _("PAN")
    RATION_CARD = "ration", _("Ration card")
    OTHER = "other", _("Other")
