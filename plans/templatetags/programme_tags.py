"""Template filters of the programme pages: thin wrappers of :mod:`plans.words.forecast`."""

from django import template

from plans.words import forecast as words

register = template.Library()

forecast_label = register.filter("forecast_label", words.forecast_label)
forecast_class = register.filter("forecast_class", words.forecast_class)


@register.filter
def forecast_in_words(item) -> str:
    """Return a programme target's forecast as one line (``item`` a TargetForecast)."""
    target = item.target
    return words.forecast_in_words(
        item.forecast, unit=target.unit, last_year=target.programme.last_year,
        indicator=target.indicator,
    )


@register.filter
def forecast_details(item) -> str:
    """Return where ``item``'s series leads and what it still needs, without the status."""
    target = item.target
    return words.forecast_details(
        item.forecast, unit=target.unit, last_year=target.programme.last_year,
        indicator=target.indicator,
    )


@register.filter
def needed_text(item) -> str:
    """Return the yearly change ``item``'s target still needs, or ""."""
    return words.needed_text(item.forecast, item.target.unit, item.target.indicator)


@register.filter
def projected_text(item) -> str:
    """Return where ``item``'s line leads by the programme's last year, or a dash."""
    return words.projected_text(item.forecast.projected, item.target.unit, item.target.indicator)


@register.filter
def point_text(point, item) -> str:
    """Return one year's figure of ``item``'s series, or a dash."""
    return words.series_value_text(point.achieved, item.target.unit, item.target.indicator)


@register.filter
def for_target(forecasts, target) -> list:
    """Return the forecasts of the programme targets ``target`` is a milestone of."""
    return forecasts.get(target.pk, []) if forecasts else []


@register.filter
def series_value(value, item) -> str:
    """Return a value of ``item``'s series (its base or latest figure), or a dash."""
    return words.series_value_text(value, item.target.unit, item.target.indicator)
