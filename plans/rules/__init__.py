"""Rules: pure arithmetic and parsing (progress, tiers, limits, untrusted text, digests); no
database and no models.

May import: rules.
"""
