"""Stage 1, read: documents from files, folders, JSON Lines, WARC and stdin."""

from .decode import decode
from .files import content_id, read

__all__ = ["content_id", "decode", "read"]
