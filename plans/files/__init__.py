"""Files: bytes in and out (detected file types, upload handlers, CSV writing).

May import rules only; no database, no Django models.
"""
