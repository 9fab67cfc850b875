"""Words: figures, states and refusals in words, and Vietnamese order; no queries.

May import: rules, words.
"""
