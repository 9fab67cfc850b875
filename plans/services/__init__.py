"""Services: every write (and the mail it sends), in a transaction with its history.

Refusals are in the words of words.messages; wording is for pages.
May import: models, rules, words.messages, words.collation, files, policy, selectors, services,
indicators.models.
"""
