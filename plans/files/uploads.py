"""Stop storing an uploaded file as soon as it passes its view's limit.

Installed first in ``FILE_UPLOAD_HANDLERS``: every middleware that reads ``request.POST``
(RejectNulMiddleware does, for every POST) parses the upload through it, so no view can add it
later. A file past the limit is skipped while it streams in: the rest of it is read and thrown
away, never kept in memory or on disk, and the view tells the person with
:func:`oversized_upload`.

The limit is ``settings.UPLOAD_MAX_BYTES`` unless the view the request goes to names another
setting with :func:`upload_limit` (evidence files: ``EVIDENCE_MAX_BYTES``). The handler is made
before any view is chosen, so it resolves the request's path itself.

Identity comes before the body: a multipart body sent to a view that takes files (one marked
with :func:`upload_limit`) by a visitor whose session cookie names no signed-in session is not
read at all. The request goes on with no fields and no files, to be refused as any anonymous
post is (the CSRF check, then the login page), and gunicorn closes the connection with the body
unread: an anonymous client sending one byte a second held a worker for as long as it liked.
"""

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    SkipFile,
    TemporaryFileUploadHandler,
)
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

from egov_targets.auth import signed_in_session

DEFAULT_LIMIT_SETTING = "UPLOAD_MAX_BYTES"


def upload_limit(setting: str):
    """Let the decorated view take uploads up to ``settings.<setting>`` bytes each.

    Apply it outermost, so that the attribute is on the function the URLconf names.
    """

    def decorator(view):
        view.upload_limit_setting = setting
        return view

    return decorator


def upload_view_limit(request) -> str | None:
    """Return the setting naming the upload limit of ``request``'s view, if it takes files."""
    if request is None:
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "upload_limit_setting", None)


def upload_limit_for(request) -> int:
    """Return the most bytes one file uploaded to ``request``'s view may have."""
    return getattr(settings, upload_view_limit(request) or DEFAULT_LIMIT_SETTING)


class SizeLimitedUploadHandler(FileUploadHandler):
    """Skip any uploaded file past its view's limit (:func:`upload_limit_for`); remember which."""

    def __init__(self, request=None):
        super().__init__(request)
        self.view_limit = upload_view_limit(request)
        self.limit = getattr(settings, self.view_limit or DEFAULT_LIMIT_SETTING)
        self.request_size = 0
        # Field name → (file name, size as best known) of each file skipped.
        self.skipped: dict[str, tuple[str, int]] = {}

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_size = content_length or 0
        if self.view_limit is not None and not signed_in_session(self.request):
            # Handled: no fields, no files, and not a byte of the body read.
            return QueryDict(), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        received = start + len(raw_data)
        if received > self.limit:
            assert self.file_name is not None  # new_file() names the file before any chunk
            # The file's own size is unknown until it has all arrived; the request's, of which
            # it is nearly all, is known from its header.
            self.skipped[self.field_name] = (self.file_name, max(received, self.request_size))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def oversized_upload(request, field: str) -> tuple[str, int] | None:
    """Return (file name, size) if the file posted as ``field`` was skipped for its size."""
    for handler in request.upload_handlers:
        if isinstance(handler, SizeLimitedUploadHandler) and field in handler.skipped:
            return handler.skipped[field]
    return None


class RemovingTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler of large uploads, which also removes its temporary file at once when
    writing it fails (a full or read-only temporary directory).

    Django closes the files of a failed upload it has finished receiving, not the one being
    written: that one stayed on disk, partly written, for as long as anything held the request.
    """

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError:
            # A NamedTemporaryFile is deleted when closed.
            self.file.close()
            raise
