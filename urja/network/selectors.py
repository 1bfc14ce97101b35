from django.db.models import Count, QuerySet

from urja.customers.models import Consumer
from urja.org.selectors import office_q

from .models import DistributionTransformer, Feeder


def unindexed_consumers(*, principal) -> QuerySet[Consumer]:
    """Consumers not yet linked to a distribution transformer (and so to a feeder): energy audit
    cannot count them until they are indexed."""
    return Consumer.objects.filter(office_q(principal), dt__isnull=True).select_related("office")


def unindexed_summary(*, principal) -> list[dict]:
    """Unindexed consumers per distribution centre, largest first."""
    rows = (
        unindexed_consumers(principal=principal)
        .values("office__code", "office__name")
        .annotate(count=Count("id"))
        .order_by("-count", "office__code")
    )
    return list(rows)


def feeders_for(principal) -> QuerySet[Feeder]:
    return Feeder.objects.filter(office_q(principal)).select_related("substation", "office")


def transformers_for(principal) -> QuerySet[DistributionTransformer]:
    return DistributionTransformer.objects.filter(office_q(principal)).select_related("feeder", "office")
