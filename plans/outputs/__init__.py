"""Outputs: what people download or print (workbook, CSV exports, charts, result templates,
backups); their figures come from the selectors.

May import: models, rules, words, files, selectors, outputs, indicators.models.
"""
