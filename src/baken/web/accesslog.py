"""The web server's access log keeps no query strings.

A query string can carry what must not end up in a plain log file outside the audit
chain: a search term, a BSN looked up in the register (``/register?bsn=…``), a name
screened. Uvicorn writes the path with its query; this filter cuts the query off before
the line is formatted. What was asked is in the audit log, where it belongs.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class DropQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn: (client address, method, path with query, HTTP version, status)
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, sep, _ = args[2].partition("?")
            if sep:
                record.args = (*args[:2], path + "?…", *args[3:])
        return True


def install() -> None:
    """Add the filter to uvicorn's access logger (once per process)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQueryString) for f in logger.filters):
        logger.addFilter(DropQueryString())
