"""Who may see or change what: one helper per object type.

Every view gets its province, plan or agency through these helpers. A province the user may not
see answers 404 (its existence is not revealed); a user who may see but not change it gets
PermissionDenied (403) on a write.

A reporter (``Profile.Role.REPORTER``) reads its province's dashboards like a leader and enters
the results of its own agencies only (``Profile.agencies``): the entry pages that name one of
them, and the upload, which takes rows of them only. Every other entry page answers 403.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from plans.models import Agency, Evidence, Plan, Profile, Programme, Province
from plans.words.messages import plan_closed_message, plan_draft_message


def role_of(user) -> str | None:
    """Return the user's role, ``admin`` for superusers, None for anonymous or unassigned."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Profile.Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


def _profile(user):
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def sees_all_provinces(user) -> bool:
    if role_of(user) == Profile.Role.ADMIN:
        return True
    profile = _profile(user) if user.is_authenticated else None
    return bool(profile and profile.all_provinces)


def provinces_for_user(user):
    """Return the provinces whose dashboards ``user`` may read."""
    if user.is_authenticated and sees_all_provinces(user):
        return Province.objects.all()
    if not user.is_authenticated or role_of(user) is None:
        if settings.PUBLIC_DASHBOARD:
            return Province.objects.all()
        return Province.objects.none()
    return Province.objects.filter(profiles__user=user)


def can_write(user) -> bool:
    """Return True if the user's role may enter results for a whole province (officers and
    admins)."""
    return role_of(user) in (Profile.Role.OFFICER, Profile.Role.ADMIN)


def is_reporter(user) -> bool:
    """Return True if ``user`` enters the results of some agencies only (a reporter)."""
    return role_of(user) == Profile.Role.REPORTER


def reporter_agency_ids(user) -> set[int]:
    """Return the ids of the agencies whose results reporter ``user`` enters (empty for others).

    Only the agencies of the reporter's own provinces count: an agency bound to the profile
    and then moved elsewhere gives no access there.
    """
    if not is_reporter(user):
        return set()
    profile = _profile(user)
    return set(
        profile.agencies.filter(province__profiles=profile).values_list("pk", flat=True)
    ) if profile else set()


def may_report_for(user, agency: Agency) -> bool:
    """Return True if ``user`` may enter and submit ``agency``'s results.

    An admin may for any agency, an officer for the agencies of his provinces, a reporter for
    its own agencies.
    """
    role = role_of(user)
    if role == Profile.Role.ADMIN:
        return True
    if role == Profile.Role.OFFICER:
        return provinces_for_user(user).filter(pk=agency.province_id).exists()
    if role == Profile.Role.REPORTER:
        return agency.pk in reporter_agency_ids(user)
    return False


def may_review(user, plan: Plan) -> bool:
    """Return True if ``user`` may approve, return and reopen reports of ``plan``'s province:
    its officers and admins."""
    if role_of(user) not in (Profile.Role.OFFICER, Profile.Role.ADMIN):
        return False
    return provinces_for_user(user).filter(pk=plan.province_id).exists()


def sees_drafts(user) -> bool:
    """Return True if ``user`` may see draft plans: admins, who prepare and open them."""
    return role_of(user) == Profile.Role.ADMIN


def without_hidden_drafts(user, plans):
    """Return the queryset ``plans`` without the drafts ``user`` may not see.

    Every list of plans or years a reader is offered (home, dashboard index, comparison,
    trend) goes through here, so that a draft stays the admins' until one of them opens it.
    """
    if sees_drafts(user):
        return plans
    return plans.exclude(status=Plan.Status.DRAFT)


def check_plan_visible(user, plan: Plan | None) -> None:
    """Raise 404 if ``plan`` is a draft ``user`` may not see (its existence is not revealed)."""
    if plan is not None and plan.status == Plan.Status.DRAFT and not sees_drafts(user):
        raise Http404


def plan_read_only_message(user, plan: Plan) -> str:
    """Return why ``user`` may not change ``plan``'s results now, or "" when he may.

    A closed plan is read-only for everyone; a draft for everyone but admins (an officer sees
    it, to prepare, but enters nothing until an admin opens it).
    """
    if plan.is_closed:
        return plan_closed_message(plan, reader=user)
    if plan.status == Plan.Status.DRAFT and not sees_drafts(user):
        return plan_draft_message(plan)
    return ""


def get_province_for_user(
    user, code: str, *, write: bool = False, reporters: bool = False
) -> Province:
    """Return the province ``code`` if ``user`` may read it (and write, if asked), else raise.

    With ``write``, a reporter is let through only by the pages that say ``reporters``: the
    ones that check the agency afterwards (:func:`get_agency_for_user`) or write only rows of
    the reporter's agencies (the upload). Anonymous users are expected to have been sent to the
    login page by the view's decorator.
    """
    if write:
        if not user.is_authenticated or role_of(user) is None:
            raise Http404
        province = get_object_or_404(provinces_for_user(user), code=code)
        if not (can_write(user) or (reporters and is_reporter(user))):
            raise PermissionDenied
        return province
    return get_object_or_404(provinces_for_user(user), code=code)


def get_plan_for_user(
    user, code: str, year: int, *, write: bool = False, reporters: bool = False
) -> Plan:
    """Return the plan of province ``code`` for ``year`` that ``user`` may read (or write).

    A draft answers 404 to readers but admins; with ``write`` it is returned to officers (and
    reporters, with ``reporters``) too, whose entry pages show it read-only
    (:func:`plan_read_only_message`). ``reporters`` as for :func:`get_province_for_user`.
    """
    province = get_province_for_user(user, code, write=write, reporters=reporters)
    plan = get_object_or_404(
        Plan.objects.select_related("province", "closed_by"), province=province, year=year
    )
    if not write:
        check_plan_visible(user, plan)
    return plan


def get_programme_for_user(user, code: str, programme_code: str) -> Programme:
    """Return the programme ``programme_code`` of province ``code`` if ``user`` may read it.

    Looked up through its province: another province's programme answers 404 like a missing one.
    """
    province = get_province_for_user(user, code)
    return get_object_or_404(
        Programme.objects.select_related("province"), province=province, code=programme_code
    )


def get_agency_for_user(user, code: str, agency_code: str, *, write: bool = False) -> Agency:
    """Return the agency ``agency_code`` of province ``code`` that ``user`` may read (or write).

    A reporter may write its own agencies only: another agency of its province answers 403
    (the province is its own, so that the agency exists is no secret), whether it exists or
    not.
    """
    province = get_province_for_user(user, code, write=write, reporters=True)
    if write and is_reporter(user):
        agency = Agency.objects.select_related("province", "parent").filter(
            province=province, code=agency_code, reporters__user=user
        ).first()
        if agency is None:
            raise PermissionDenied
        return agency
    return get_object_or_404(
        Agency.objects.select_related("province", "parent"), province=province, code=agency_code
    )


def reads_agency_pages(user) -> bool:
    """Return True if ``user`` may open the read-only agency pages of every agency of the
    provinces it reads (leaders, officers, admins; a reporter only its own, from elsewhere)."""
    return role_of(user) in (Profile.Role.LEADER, Profile.Role.OFFICER, Profile.Role.ADMIN)


def get_agency_page_for_reader(
    user, code: str, year: int, agency_code: str
) -> tuple[Plan, Agency]:
    """Return the plan of province ``code`` for ``year`` and its agency ``agency_code``, for the
    read-only agency page, if ``user`` may read them, else raise.

    Readers are the province's leaders, officers and admins, and reporters for their own
    agencies: those who may download the agency's evidence files
    (:func:`get_evidence_for_user`). A visitor without a role gets 404 even when the dashboards
    are public, and so does a reporter for another agency; a draft plan as for
    :func:`get_plan_for_user`. An agency not active in the year is a 404 too.
    """
    if role_of(user) is None:
        raise Http404
    plan = get_plan_for_user(user, code, year)
    agency = get_object_or_404(
        Agency.objects.select_related("province", "parent"),
        province=plan.province, code=agency_code,
    )
    if is_reporter(user) and agency.pk not in reporter_agency_ids(user):
        raise Http404
    if not agency.is_active_in(plan.year):
        raise Http404
    return plan, agency


def get_evidence_for_user(
    user, code: str, year: int, agency_code: str, evidence_id: int, *, write: bool = False
) -> Evidence:
    """Return the evidence file ``evidence_id`` of agency ``agency_code`` of province ``code``
    for ``year``, if ``user`` may read it (or, with ``write``, delete it), else raise.

    Looked up through its province, year and agency, never by its id alone: another province's
    file is a 404 like a missing one. Readers are the province's officers, leaders and admins,
    and reporters for their own agencies; a visitor without a role gets 404 even when the
    dashboards are public (the files behind the figures are not published). Officers and
    reporters see a draft's files as they see its entry pages; leaders do not see drafts. With
    ``write``, a leader gets 403 (as on every entry page).

    A reporter is held to its agencies as on the agency page: another agency's file is a 404
    to read (as for anyone who may not read it) and a 403 to delete (the agency page answers
    403 to a reporter who is not its own, whether the agency exists or not).
    """
    if role_of(user) is None:
        raise Http404
    reporter = is_reporter(user)
    plan = get_plan_for_user(
        user, code, year, write=write or can_write(user) or reporter, reporters=reporter
    )
    files = Evidence.objects.select_related("agency__province", "indicator", "uploaded_by")
    if reporter:
        own = Agency.objects.filter(
            pk__in=reporter_agency_ids(user), province=plan.province, code=agency_code
        )
        if not own.exists():
            raise PermissionDenied if write else Http404
    return get_object_or_404(
        files,
        agency__province=plan.province,
        agency__code=agency_code,
        year=plan.year,
        pk=evidence_id,
    )
