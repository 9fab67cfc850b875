"""Vietnamese alphabetical order for the admin's choices of provinces and agencies, and agency
choices told apart.

A change list's own rows are sorted by the database (its ordering is a SQL ORDER BY, paginated
there); what the admin offers to choose from — the select boxes and checkboxes of its forms and
the filters beside its lists — is sorted here by plans.words.collation.

An agency is offered by the name the status board shows (plans.selectors.naming: a repeated
name carries its parent's) and its province, "Sở Y tế, tỉnh Kiên Giang", in the autocompletes'
answers (:class:`AgencyAutocompleteJsonView`) as in the choices a form shows. Where the form's
object has a province, an agency field offers that province's agencies only
(:func:`limit_agency_field`): its autocomplete asks for them (``?province=``); the forms'
own checks refuse any other, by name.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext as _

from plans.models import Agency, Province
from plans.selectors.naming import agency_display_names
from plans.words.collation import sorted_vietnamese

SORTED_MODELS = (Province, Agency)
# The name of AgencyAdmin's autocomplete address, under the admin site's namespace.
AGENCY_AUTOCOMPLETE_URL_NAME = "plans_agency_autocomplete"


class VietnameseChoiceIterator(ModelChoiceIterator):
    """Yield the queryset's choices in Vietnamese alphabetical order of their labels."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted_vietnamese(self.queryset, key=self.field.label_from_instance):
            yield self.choice(obj)


class VietnameseModelChoiceField(forms.ModelChoiceField):
    iterator = VietnameseChoiceIterator


class VietnameseModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = VietnameseChoiceIterator


class VietnameseChoicesMixin:
    """Offer provinces and agencies in Vietnamese alphabetical order in the admin's forms."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in SORTED_MODELS and db_field.name not in getattr(
            self, "autocomplete_fields", ()
        ):
            kwargs.setdefault("form_class", VietnameseModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in SORTED_MODELS:
            kwargs.setdefault("form_class", VietnameseModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def _sorted_choices(choices):
    return sorted_vietnamese(choices, key=lambda choice: str(choice[1]))


class VietnameseRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter by province or agency, its choices in Vietnamese alphabetical order."""

    def field_choices(self, field, request, model_admin):
        return _sorted_choices(super().field_choices(field, request, model_admin))


class VietnameseRelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    """As VietnameseRelatedFilter, offering only the values the listed rows use."""

    def field_choices(self, field, request, model_admin):
        return _sorted_choices(super().field_choices(field, request, model_admin))


def agency_choice_label(agency: Agency, display_names: dict[int, str]) -> str:
    """Return how the admin offers ``agency``: its shown name and its province."""
    return _("%(agency)s, tỉnh %(province)s") % {
        "agency": display_names.get(agency.pk, agency.name), "province": agency.province.name,
    }


class _AgencyLabels:
    """Label agencies for choosing, reading each province's shown names once."""

    def __init__(self):
        self.names: dict[int, dict[int, str]] = {}

    def __call__(self, agency: Agency) -> str:
        names = self.names.get(agency.province_id)
        if names is None:
            names = self.names[agency.province_id] = agency_display_names(agency.province_id)
        return agency_choice_label(agency, names)


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency to choose, labelled with its shown name and province."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.queryset is not None:
            self.queryset = self.queryset.select_related("province")
        self._labels = _AgencyLabels()

    def label_from_instance(self, obj):
        return self._labels(obj)


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Agencies to choose, labelled with their shown names and provinces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.queryset is not None:
            self.queryset = self.queryset.select_related("province")
        self._labels = _AgencyLabels()

    def label_from_instance(self, obj):
        return self._labels(obj)


class _ProvinceLimitedUrl:
    """An autocomplete widget asking the agencies' own autocomplete (AgencyAdmin's, answered by
    :class:`AgencyAutocompleteJsonView`), for the agencies of ``province_codes`` only when set."""

    province_codes: tuple[str, ...] = ()
    admin_site: admin.AdminSite

    def get_url(self):
        url = reverse(f"{self.admin_site.name}:{AGENCY_AUTOCOMPLETE_URL_NAME}")
        if self.province_codes:
            url += "?" + urlencode({"province": ",".join(self.province_codes)})
        return url


class AgencyAutocompleteSelect(_ProvinceLimitedUrl, AutocompleteSelect):
    pass


class AgencyAutocompleteSelectMultiple(_ProvinceLimitedUrl, AutocompleteSelectMultiple):
    pass


class AgencyChoicesMixin:
    """Offer agencies by shown name and province in the admin's forms (autocompletes too)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Agency:
            kwargs.setdefault("form_class", AgencyChoiceField)
            if db_field.name in getattr(self, "autocomplete_fields", ()):
                kwargs.setdefault("widget", AgencyAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")  # type: ignore[attr-defined]
                ))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Agency:
            kwargs.setdefault("form_class", AgencyMultipleChoiceField)
            if db_field.name in getattr(self, "autocomplete_fields", ()):
                kwargs.setdefault("widget", AgencyAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")  # type: ignore[attr-defined]
                ))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def limit_agency_field(field, province_codes) -> None:
    """Offer in agency ``field`` only the agencies of ``province_codes``.

    What is offered, not what is accepted: the forms' own checks refuse another province's
    agency with a message that names it (ProfileInlineForm, Agency.clean), which a choice
    field's "not one of the available choices" would replace.
    """
    codes = tuple(sorted(province_codes))
    if not codes:
        return
    # The admin wraps the widget (the "add another" links); the autocomplete is inside.
    widget = getattr(field.widget, "widget", field.widget)
    if isinstance(widget, _ProvinceLimitedUrl):
        widget.province_codes = codes


def province_codes_asked(request) -> list[str]:
    """Return the province codes an agency autocomplete asks for (``?province=91,33``)."""
    text = request.GET.get("province", "")
    return [code for code in text.split(",")[:20] if code.isascii() and code.isdigit()]


class AgencyAutocompleteJsonView(AutocompleteJsonView):
    """The agency autocomplete's answers, each labelled with its shown name and province, of
    the provinces asked for (``?province=``) when the field's form has some."""

    def get_queryset(self):
        queryset = super().get_queryset().select_related("province")
        codes = province_codes_asked(self.request)
        return queryset.filter(province__code__in=codes) if codes else queryset

    def serialize_result(self, obj, to_field_name):
        labels = self.__dict__.setdefault("_labels", _AgencyLabels())
        return {"id": str(getattr(obj, to_field_name)), "text": labels(obj)}
