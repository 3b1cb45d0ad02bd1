#!/usr/bin/python3
"""Run one Debian Swift server script for the local test S3 server.

Usage: swift_server.py /usr/bin/swift-proxy-server CONF -v

Identical to running the server script itself, except that Swift's syslog
handler is replaced by a no-op: without /dev/log, Swift falls back to a
syslog UDP socket, which binds to 0.0.0.0 on its first log line (and some
loggers, e.g. the proxy access logger, ignore every option that could
redirect it). With ``-v`` all log lines go to stderr instead, which
start.sh sends to <dir>/logs/<server>.log.

This folder is sys.path[0] for the server process, so the proxy can load
the ``s3compat`` test filter (see s3compat.py).
"""
import logging
import runpy
import sys

from swift.common import utils


class _NoSyslogHandler(logging.NullHandler):
    """Stands in for swift.common.utils.ThreadSafeSysLogHandler."""

    def __init__(self, *args, **kwargs):
        logging.NullHandler.__init__(self)


utils.ThreadSafeSysLogHandler = _NoSyslogHandler

if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit('usage: swift_server.py /usr/bin/swift-X-server CONF [-v]')
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(script, run_name='__main__')
