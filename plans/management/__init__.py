"""Management commands: the command line's pages. Parse the arguments, call a service, a
selector or an output, print. An account's options are checked by the admin's own form.

May import: forms, services, selectors, outputs, policy, models, rules, words, files, demo,
management, indicators.models.
"""
