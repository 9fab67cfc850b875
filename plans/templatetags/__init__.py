"""Template tags: format values for pages; they neither query nor decide permissions.

May import: rules, words, outputs.charts, templatetags.
"""
