"""Forms: parse what a person types (the grid, the admin's forms and choices) into plain values.

A form hands what it parsed to a service and reads back the service's refusal.
May import: models, rules, words, files, policy, selectors, services, forms, indicators.models.
"""
