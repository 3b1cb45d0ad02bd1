"""TEST-ONLY WSGI compatibility filter for the local Swift/s3api test server.

It sits in the proxy pipeline right before ``s3api`` and works around bugs
in Swift 2.30's s3api / eventlet stack, *not* in S3 clients. Keep it
minimal: never paper over behaviour that real S3-compatible stores also
show (e.g. demanding Content-MD5 on DeleteObjects, answering 501 to
aws-chunked uploads, ...). Clients have to cope with those for real.

Loaded by ``tests/s3-server/templates/proxy-server.conf.in`` with::

    [filter:s3compat]
    paste.filter_factory = s3compat:filter_factory

(``swift_server.py`` lives in the same folder, so ``s3compat`` is importable.)
"""

# Methods that never carry a request body in the S3 API.
_BODYLESS_METHODS = frozenset(('DELETE', 'GET', 'HEAD'))


class S3CompatMiddleware(object):
    def __init__(self, app, conf):
        self.app = app

    def __call__(self, env, start_response):
        # Swift bug workaround: a bodiless request (typically DELETE, e.g.
        # DeleteObject with ?versionId=<delete marker>) that has neither
        # Content-Length nor Transfer-Encoding makes s3api read the request
        # body, and eventlet's wsgi.input then waits for data that never comes
        # until the client times out (~120 s). HTTP/1.1 says such a request
        # has no body (RFC 9112 section 6.3), and every real S3 endpoint
        # answers at once; so state that explicitly: Content-Length: 0.
        if (env.get('REQUEST_METHOD') in _BODYLESS_METHODS
                and not env.get('CONTENT_LENGTH')
                and 'HTTP_TRANSFER_ENCODING' not in env):
            env['CONTENT_LENGTH'] = '0'
        return self.app(env, start_response)


def filter_factory(global_conf, **local_conf):
    conf = dict(global_conf, **local_conf)

    def compat_filter(app):
        return S3CompatMiddleware(app, conf)
    return compat_filter
