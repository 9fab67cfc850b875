"""Demo: the demonstration data load_demo builds, through the services like any other writer.

May import: services, selectors, models, rules, words, files, demo, indicators.models.
"""
