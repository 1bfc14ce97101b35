"""Office scoping: every queryset a staff user reaches goes through `scope_for_user`."""

from django.db.models import Q, QuerySet

from .models import Office, User


def office_q(user: User, field: str = "office") -> Q:
    """A filter limiting rows to the user's office subtree. `field` is the path to the row's office."""
    if user.sees_everything:
        return Q()
    if not user.is_authenticated or user.office_id is None:
        return Q(pk__in=[])
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: user.office.path})


def scope_for_user(queryset: QuerySet, user: User, field: str = "office") -> QuerySet:
    return queryset.filter(office_q(user, field))


def offices_for_user(user: User) -> QuerySet[Office]:
    if user.sees_everything:
        return Office.objects.all()
    if user.office_id is None:
        return Office.objects.none()
    return Office.objects.subtree(user.office)


def discom_of(office: Office | None) -> Office | None:
    """The discom an office belongs to (the office itself for a discom), for documents' headers."""
    if office is None:
        return None
    if office.parent_id is None:
        return office
    return Office.objects.filter(code=office.discom_code).first()


def holiday_dates(start, end, office: Office | None = None) -> frozenset:
    """The holidays from `start` to `end` (both included) that hold for `office`: the state's own and
    those declared for the office or any office above it."""
    from .models import Holiday

    q = Q(office__isnull=True)
    if office is not None:
        codes = [code for code in office.path.split("/") if code]
        q |= Q(office__code__in=codes)
    return frozenset(Holiday.objects.filter(q, date__gte=start, date__lte=end).values_list("date", flat=True))
