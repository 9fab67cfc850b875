"""Selectors: every read of the database that pages, outputs, commands and mail use.

May import: models, rules, words, files, policy, selectors, indicators.models.
"""
