"""The seeded complaint categories and theft assessment rate (used by the data migration and by
tests whose flush removes migration data). Figures are plausible defaults, not yet checked against
the UPERC (Standards of Performance) Regulations 2019 schedule: an administrator changes them in the
admin."""

import datetime
from decimal import Decimal

TO_CONFIRM = "Plausible default; confirm against UPERC SoP Regulations 2019 schedule"

CATEGORIES = [
    # code, English, Hindi, SLA hours
    ("no_supply", "No supply", "बिजली नहीं आ रही", 12),
    ("voltage", "Voltage problem", "वोल्टेज की समस्या", 24),
    ("billing_dispute", "Billing dispute", "बिल संबंधी विवाद", 168),
    ("meter_defective", "Meter defective", "मीटर खराब", 168),
    ("theft_report", "Theft report", "बिजली चोरी की सूचना", 72),
    ("new_connection", "New connection", "नया कनेक्शन", 360),
    ("other", "Other", "अन्य", 72),
]

# Act s.126(5): twice the tariff applicable; 8 h a day for 12 months and Rs 6.50/kWh are plausible
# defaults (the domestic urban top slab), to be set by the discom.
THEFT_RATE = {
    "effective_from": datetime.date(2020, 4, 1),
    "hours_per_day": Decimal("8"),
    "days": 365,
    "rate": Decimal("6.50"),
    "factor": Decimal("2"),
    "source": "s.126(5) factor 2; hours, days and rate: " + TO_CONFIRM,
}


def seed_helpdesk(Category, TheftRate) -> None:
    for order, (code, en, hi, hours) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_hi": hi,
                "sla_hours": hours,
                "source": TO_CONFIRM,
                "sort_order": order,
            },
        )
    TheftRate.objects.get_or_create(effective_from=THEFT_RATE["effective_from"], defaults=THEFT_RATE)
