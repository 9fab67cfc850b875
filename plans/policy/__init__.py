"""Policy: who may see or change what; refusals in the words of words.messages.

May import: models, rules, words.messages, words.collation, policy, indicators.models.
"""
