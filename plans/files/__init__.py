"""Files: bytes in and out (detected file types, upload handlers, CSV writing).

May import rules and words only (a refusal's numbers are written as words writes them); no
database, no Django models.
"""
