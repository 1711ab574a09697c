"""No access token in the server's log lines.

A browser cannot set a header on a WebSocket, so it may give its token in the address
(``/api/v1/assistant/ws?access_token=...``), and the ASGI server writes that address into its log as it is: its
error logger says every socket accepted or refused, with its query string, at INFO (its default level), and its
access log says every request's address. Anyone who can read the logs could then act as whoever opened the
socket, until the token expires. This filter hides the value of ``access_token`` in every line of those two
loggers (``SERVER_LOGGERS``), whatever the level or the handler.
"""

from __future__ import annotations

import logging
import re

_TOKEN_IN_ADDRESS = re.compile(r"(access_token=)[^&\s\"']*", re.IGNORECASE)
HIDDEN = "[hidden]"
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access")


class TokensOutOfLogs(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        line = record.getMessage()
        hidden = _TOKEN_IN_ADDRESS.sub(rf"\g<1>{HIDDEN}", line)
        if hidden != line:
            record.msg, record.args = hidden, None
        return True


def keep_tokens_out_of_server_logs() -> None:
    """Installs the filter on uvicorn's loggers (once, however often the app is made)."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TokensOutOfLogs) for f in logger.filters):
            logger.addFilter(TokensOutOfLogs())
