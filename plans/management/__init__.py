"""Management commands: the command line's pages. Parse the arguments, call a service, a
selector or an output, print.

May import: services, selectors, outputs, policy, models, rules, words, files, demo, management,
indicators.models.
"""
