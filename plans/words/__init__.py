"""Words: figures, states and refusals in words, and Vietnamese order.

May import rules and the vocabulary; no queries.
"""
