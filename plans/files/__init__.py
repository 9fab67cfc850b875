"""Files: bytes in and out (detected file types, upload handlers, CSV writing, the files' columns).

No database and no models.
May import: rules, files.
"""
