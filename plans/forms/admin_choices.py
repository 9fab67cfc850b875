"""Vietnamese alphabetical order for the admin's choices of provinces and agencies.

A change list's own rows are sorted by the database (its ordering is a SQL ORDER BY, paginated
there); what the admin offers to choose from — the select boxes and checkboxes of its forms and
the filters beside its lists — is sorted here by plans.words.collation.
"""

from django import forms
from django.contrib import admin
from django.forms.models import ModelChoiceIterator

from plans.models import Agency, Province
from plans.words.collation import sorted_vietnamese

SORTED_MODELS = (Province, Agency)


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
