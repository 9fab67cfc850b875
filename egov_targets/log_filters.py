"""Filters of the log: what the operator reads."""

import logging


class OneLineForbidden(logging.Filter):
    """Write a refused request (403) as its one line, without the traceback Django attaches.

    A 403 is the access rules doing their job, not a fault: one crawl of the site wrote 3,500
    tracebacks and buried the errors that matter. The line keeps the method, the path and the
    reason; the status is in the access log too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
