"""Rules: pure arithmetic and parsing (progress, tiers, limits, untrusted text); no database.

May import the vocabulary only.
"""
