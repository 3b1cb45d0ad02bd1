#!/usr/bin/python3
"""Helper for start.sh: lays out one local Swift/s3api instance and checks it.

  instance.py prepare DIR    pick free 127.0.0.1 ports (re-using the previous
                             ones when still free), render templates/ into
                             DIR/conf, (re)build the rings, write DIR/env;
                             prints shell assignments for start.sh
  instance.py check DIR      exit 0 if the proxy answers /healthcheck and a
                             signed S3 ListBuckets
  instance.py wait DIR SECONDS PID...
                             like check, retried until SECONDS have passed;
                             fails early if one of the PIDs has died

Only the standard library is used, except that building rings imports
swift.common.ring (Debian's python3-swift, so run this with /usr/bin/python3).
"""
import configparser
import datetime
import hashlib
import hmac
import http.client
import json
import os
import pwd
import random
import socket
import string
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, 'templates')
SERVERS = ('proxy', 'account', 'container', 'object')
RING_SERVERS = ('account', 'container', 'object')
REGION = 'us-east-1'
# tempauth users, see templates/proxy-server.conf.in
MAIN_KEY, MAIN_SECRET = 'test:tester', 'testing'
SECOND_KEY, SECOND_SECRET = 'test2:tester2', 'testing2'
NOACCESS_KEY, NOACCESS_SECRET = 'test:noaccess', 'noaccess'
KEYRING_KEY, KEYRING_SECRET = 'test:keyring', 'Kr7-bucketdrop-secret-5e0c9a41d2'
AWS_MAX_PUT = 5 * 1024 ** 3  # AWS: 5 GiB per single PUT


def paths(base):
    return {
        'base': base,
        'conf': os.path.join(base, 'conf'),
        'devices': os.path.join(base, 'srv'),
        'logs': os.path.join(base, 'logs'),
        'ports': os.path.join(base, 'conf', 'ports.json'),
        'env': os.path.join(base, 'env'),
        'pidfile': os.path.join(base, 's3-server.pid'),
    }


def port_is_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # The servers bind with SO_REUSEADDR too: TIME_WAIT leftovers are fine.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(('127.0.0.1', port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_free_port(taken):
    # Stay below the kernel's ephemeral range, so outgoing connections
    # never hold the port we want to keep across restarts.
    try:
        with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
            eph_lo = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        eph_lo = 32768
    hi = max(min(eph_lo, 32768), 12000)
    for _ in range(500):
        port = random.randrange(10000, hi)
        if port not in taken and port_is_free(port):
            return port
    # Fall back to whatever the kernel hands out.
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def choose_ports(p):
    old = {}
    try:
        with open(p['ports']) as f:
            old = json.load(f)
    except (OSError, ValueError):
        pass
    wanted = dict(old)
    forced = os.environ.get('BUCKETDROP_S3_PORT')
    if forced:
        wanted['proxy'] = int(forced)
        if not port_is_free(wanted['proxy']):
            sys.exit('start.sh: BUCKETDROP_S3_PORT=%s is in use on 127.0.0.1'
                     % forced)
    ports = {}
    for name in SERVERS + ('memcached',):
        port = wanted.get(name)
        if (not isinstance(port, int) or port in ports.values()
                or not port_is_free(port)):
            port = pick_free_port(set(ports.values()))
        ports[name] = port
    return old, ports


def render(p, ports):
    values = {
        'user': pwd.getpwuid(os.geteuid()).pw_name,
        'conf_dir': p['conf'],
        'devices': p['devices'],
        'proxy_workers': os.environ.get('BUCKETDROP_S3_PROXY_WORKERS', '0'),
    }
    for name, port in ports.items():
        values[name + '_port'] = port
    for name in SERVERS:
        with open(os.path.join(TEMPLATES, name + '-server.conf.in')) as f:
            text = string.Template(f.read()).substitute(values)
        write_atomic(os.path.join(p['conf'], name + '-server.conf'), text)


def write_atomic(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


def build_rings(p, old, ports):
    """One device, one replica, part power 10. The device (and so every
    partition's data location) is the same whatever the ports are, so
    rebuilding after a port change keeps the data."""
    todo = [name for name in RING_SERVERS
            if old.get(name) != ports[name] or not os.path.exists(
                os.path.join(p['conf'], name + '.ring.gz'))]
    if not todo:
        return
    from swift.common.ring import RingBuilder
    for name in todo:
        builder = RingBuilder(10, 1, 1)
        builder.add_dev({
            'id': 0, 'region': 1, 'zone': 1, 'device': 'd1', 'weight': 100,
            'ip': '127.0.0.1', 'port': ports[name],
            'replication_ip': '127.0.0.1', 'replication_port': ports[name],
            'meta': ''})
        builder.rebalance()
        ring = os.path.join(p['conf'], name + '.ring.gz')
        builder.get_ring().save(ring + '.tmp')
        os.replace(ring + '.tmp', ring)


def check_swift_conf():
    conf = configparser.ConfigParser()
    if not conf.read('/etc/swift/swift.conf'):
        sys.exit('start.sh: /etc/swift/swift.conf is missing')
    try:
        max_size = conf.getint('swift-constraints', 'max_file_size')
    except (configparser.Error, ValueError):
        return  # Swift's default (5 GiB + 2) is fine
    if max_size < AWS_MAX_PUT:
        print('start.sh: warning: /etc/swift/swift.conf sets max_file_size = '
              '%d (< 5 GiB): single PUTs above that get EntityTooLarge'
              % max_size, file=sys.stderr)


def prepare(base):
    p = paths(base)
    for key in ('conf', 'logs'):
        os.makedirs(p[key], exist_ok=True)
    os.makedirs(os.path.join(p['devices'], 'd1'), exist_ok=True)
    check_swift_conf()
    old, ports = choose_ports(p)
    render(p, ports)
    build_rings(p, old, ports)
    write_atomic(p['ports'], json.dumps(ports, indent=2) + '\n')
    write_atomic(p['env'], ''.join('%s=%s\n' % kv for kv in (
        ('AWS_ENDPOINT_URL', 'http://127.0.0.1:%d' % ports['proxy']),
        ('AWS_ACCESS_KEY_ID', MAIN_KEY),
        ('AWS_SECRET_ACCESS_KEY', MAIN_SECRET),
        ('AWS_REGION', REGION),
        ('AWS_DEFAULT_REGION', REGION),
        ('BUCKETDROP_S3_SECOND_ACCESS_KEY_ID', SECOND_KEY),
        ('BUCKETDROP_S3_SECOND_SECRET_ACCESS_KEY', SECOND_SECRET),
        ('BUCKETDROP_S3_NOACCESS_ACCESS_KEY_ID', NOACCESS_KEY),
        ('BUCKETDROP_S3_NOACCESS_SECRET_ACCESS_KEY', NOACCESS_SECRET),
        ('BUCKETDROP_S3_KEYRING_ACCESS_KEY_ID', KEYRING_KEY),
        ('BUCKETDROP_S3_KEYRING_SECRET_ACCESS_KEY', KEYRING_SECRET),
        ('BUCKETDROP_S3_PIDFILE', p['pidfile']),
    )))
    print('PROXY_PORT=%d' % ports['proxy'])
    print('MEMCACHED_PORT=%d' % ports['memcached'])


def _sign(key, msg):
    return hmac.new(key, msg.encode('utf-8'), hashlib.sha256).digest()


def s3_list_buckets(port, timeout, access_key=MAIN_KEY, secret=MAIN_SECRET):
    """GET / signed with SigV4 (MAIN_KEY unless told); returns the HTTP status."""
    host = '127.0.0.1:%d' % port
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime('%Y%m%dT%H%M%SZ')
    day = amz_date[:8]
    payload = hashlib.sha256(b'').hexdigest()
    signed = 'host;x-amz-content-sha256;x-amz-date'
    canonical = '\n'.join([
        'GET', '/', '',
        'host:%s\nx-amz-content-sha256:%s\nx-amz-date:%s\n' % (
            host, payload, amz_date),
        signed, payload])
    scope = '%s/%s/s3/aws4_request' % (day, REGION)
    to_sign = '\n'.join(['AWS4-HMAC-SHA256', amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ('AWS4' + secret).encode('utf-8')
    for part in (day, REGION, 's3', 'aws4_request'):
        key = _sign(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        conn.request('GET', '/', headers={
            'Host': host, 'x-amz-date': amz_date,
            'x-amz-content-sha256': payload,
            'Authorization': 'AWS4-HMAC-SHA256 Credential=%s/%s, '
                             'SignedHeaders=%s, Signature=%s' % (
                                 access_key, scope, signed, signature)})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def healthy(base, timeout=2.0):
    try:
        with open(paths(base)['ports']) as f:
            port = json.load(f)['proxy']
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
        try:
            conn.request('GET', '/healthcheck')
            resp = conn.getresponse()
            ok = resp.status == 200 and resp.read().strip() == b'OK'
        finally:
            conn.close()
        return ok and s3_list_buckets(port, timeout) == 200
    except (OSError, ValueError, KeyError, http.client.HTTPException):
        return False


def pid_alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return False


def wait(base, seconds, pids):
    deadline = time.monotonic() + seconds
    while True:
        dead = [pid for pid in pids if not pid_alive(pid)]
        if dead:
            print('start.sh: process(es) %s exited during start-up'
                  % ' '.join(map(str, dead)), file=sys.stderr)
            return 1
        if healthy(base):
            return 0
        if time.monotonic() > deadline:
            print('start.sh: not ready after %g s' % seconds, file=sys.stderr)
            return 1
        time.sleep(0.1)


def main(argv):
    if len(argv) >= 2 and argv[0] == 'prepare':
        prepare(argv[1])
        return 0
    if len(argv) >= 2 and argv[0] == 'check':
        return 0 if healthy(argv[1]) else 1
    if len(argv) >= 3 and argv[0] == 'wait':
        return wait(argv[1], float(argv[2]), [int(x) for x in argv[3:]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
