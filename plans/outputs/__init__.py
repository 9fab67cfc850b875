"""Outputs: what people download or print (workbook, CSV exports, charts, result templates).

May import models, rules, words, files and selectors; never services, forms or views.
"""
