"""Files: bytes in and out (detected file types, upload handlers, CSV writing, the files' columns).

No database and no models. A refusal's numbers are written as words writes them.
May import: rules, words, files.
"""
