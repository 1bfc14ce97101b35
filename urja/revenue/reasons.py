"""The words of each reason a consumer is on the inspection list, in the reader's language. The score
(urja.domain.revenue_protection) gives a code, its points and its figures; here they become a sentence.
A case keeps the codes and figures, so it reads in whichever language its reader uses."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urja.domain import revenue_protection as rp

TITLES = {
    rp.FALLING: gettext_lazy("Consumption falling"),
    rp.BELOW_PEERS: gettext_lazy("Far below peers"),
    rp.ZERO_UNITS: gettext_lazy("Zero units"),
    rp.IDF_NA: gettext_lazy("Repeated IDF/NA"),
    rp.SPOT_FAR: gettext_lazy("Reading taken away from the meter"),
    rp.DT_LOSS: gettext_lazy("High-loss transformer"),
    rp.LOAD_BELOW: gettext_lazy("Load above sanctioned"),
}


def sentence(code: str, params: Mapping[str, str]) -> str:
    p = dict(params)
    if code == rp.FALLING:
        return (
            _(
                "Billed %(units)s units this month against an average of %(average)s over the previous "
                "%(months)s months: down %(drop_pct)s%%."
            )
            % p
        )
    if code == rp.BELOW_PEERS:
        return (
            _(
                "Billed %(units)s units: %(share_pct)s%% of the median %(median)s units of %(peers)s other "
                "consumers of the same category and load band (%(band)s kW) in the office."
            )
            % p
        )
    if code == rp.ZERO_UNITS:
        return _("Billed zero units on an active, metered connection.")
    if code == rp.IDF_NA:
        return _("%(count)s readings marked IDF (defective) or NA (not accessible) in %(months)s months.") % p
    if code == rp.SPOT_FAR:
        return (
            _("A spot-billing reading was taken %(metres)s metres from the consumer's recorded location.") % p
        )
    if code == rp.DT_LOSS:
        return _("Transformer %(dt)s loses %(loss_pct)s%% of its input energy this month.") % p
    if code == rp.LOAD_BELOW:
        return (
            _(
                "%(units)s units in a month imply a load of about %(implied_kw)s kW; the sanctioned load is "
                "%(sanctioned_kw)s kW."
            )
            % p
        )
    return code


def explain(reasons) -> list[dict]:
    """[{code, points, title, text}] for a score's reasons or a case's stored ones."""
    out = []
    for reason in reasons:
        if isinstance(reason, rp.Reason):
            code, points, params = reason.code, reason.points, reason.params
        else:
            code, points, params = reason["code"], reason["points"], reason.get("params", {})
        out.append(
            {
                "code": code,
                "points": points,
                "title": str(TITLES.get(code, code)),
                "text": sentence(code, params),
            }
        )
    return out
