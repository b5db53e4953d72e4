"""gunicorn's access log without private links' tokens.

Start gunicorn with ``--logger-class humaine.core.gunicorn_logger.TokenMaskingLogger``
(docs/operations.md): every value of an access-log line (request line, path, query,
referrer, headers) has its tokens replaced by ``[token]``.
"""

from gunicorn.glogging import Logger

from .logs import mask


class TokenMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
