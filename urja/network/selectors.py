from django.db.models import QuerySet

from urja.org.selectors import office_q

from .models import DistributionTransformer, Feeder


def feeders_for(principal) -> QuerySet[Feeder]:
    return Feeder.objects.filter(office_q(principal)).select_related("substation", "office")


def transformers_for(principal) -> QuerySet[DistributionTransformer]:
    return DistributionTransformer.objects.filter(office_q(principal)).select_related("feeder", "office")
