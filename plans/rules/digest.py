"""The digest of an agency's figures: kept at approval, compared with the figures now to tell
an officer that they changed since (the status board, the agency page)."""

import hashlib


def results_digest(rows) -> str:
    """Return the digest of an agency's figures: ``rows`` of (indicator id, value, numerator,
    denominator, note), in any order."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda row: row[0]):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


# The figures a digest covers, in the order results_digest reads them.
DIGEST_FIELDS = ("indicator_id", "value", "numerator", "denominator", "note")
