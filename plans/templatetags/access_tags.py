"""What the signed-in user may do, for templates: ``{% if user|is_reporter %}``."""

from django import template

from plans.policy import access

register = template.Library()

is_reporter = register.filter("is_reporter", access.is_reporter)
