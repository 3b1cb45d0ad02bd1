#!/usr/bin/env bash
# Start or stop a local Ceph RADOS Gateway (the second S3 server of the tests):
# one monitor, one memstore OSD and radosgw, on 127.0.0.1 only, everything in
# ${BUCKETDROP_RGW_DIR:-<repo>/.s3-local-rgw}. See README.md.
#   rgw.sh start   (npm run s3:start -- rgw)   idempotent; writes <dir>/env
#   rgw.sh stop    (npm run s3:stop -- rgw)
# The OSD keeps objects in memory (memstore): a start after a stop or a crash
# builds a new, empty cluster in the same folder.
set -euo pipefail
set +m # background jobs must stay in our process group (see s3_launch)
export BUCKETDROP_S3_DIR=${BUCKETDROP_RGW_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.s3-local-rgw}
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

READY_TIMEOUT=${BUCKETDROP_S3_START_TIMEOUT:-120}
PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)
DAEMONS=(mon osd rgw)
RGW_NAME=client.rgw.local

stop() {
  if [ ! -d "$S3_DIR" ]; then
    echo "s3-server: nothing to stop ($S3_DIR does not exist)"
    return 0
  fi
  s3_abs_dir existing
  s3_lock
  if [ ! -f "$S3_PIDFILE" ]; then
    echo "s3-server: not running ($S3_DIR)"
    return 0
  fi
  s3_stop_instance || { s3_log "s3-server: some processes did not exit"; return 1; }
  echo "s3-server: stopped ($S3_DIR)"
}

show_logs() {
  local f
  for f in "$S3_DIR"/logs/*.log; do
    [ -f "$f" ] || continue
    s3_log "----- tail of $f"
    tail -n 25 "$f" >&2 || true
  done
}

fail() {
  s3_log "s3-server: $*"
  show_logs
  s3_log "s3-server: FAILED to start RGW (logs in $S3_DIR/logs); stopping what was started"
  s3_stop_instance || true
  exit 1
}

# A Ceph tool against this instance only (its waits are bounded by "client mount timeout").
ceph_cli() { "$@" -c "$CONF" >>"$S3_DIR/logs/setup.log" 2>&1; }

start() {
  local missing=0 b
  for b in ceph-mon ceph-osd radosgw radosgw-admin ceph-authtool monmaptool ceph; do
    [ -x "/usr/bin/$b" ] || missing=1
  done
  [ "$missing" = 0 ] || bash "$S3_HERE/apt-install.sh" "${PACKAGES[@]}"
  s3_abs_dir create
  s3_lock

  if [ -f "$S3_PIDFILE" ]; then
    local all_alive=1 old_pids=() pid
    while read -r _ pid; do
      [[ "$pid" =~ ^[0-9]+$ ]] || continue
      old_pids+=("$pid")
      s3_is_ours "$pid" || all_alive=0
    done <"$S3_PIDFILE"
    if [ "$all_alive" = 1 ] && [ "${#old_pids[@]}" = "${#DAEMONS[@]}" ] &&
      "$S3_PY" "$S3_HERE/rgw_instance.py" wait "$S3_DIR" 15 "${old_pids[@]}"; then
      echo "s3-server: RGW already running at $(sed -n 's/^AWS_ENDPOINT_URL=//p' "$S3_DIR/env") (data: $S3_DIR)"
      return 0
    fi
    s3_log "s3-server: found a stale or unhealthy RGW instance; starting a new, empty one"
    s3_stop_instance || { s3_log "s3-server: could not stop the old processes"; exit 1; }
  fi

  local t0
  t0=$(date +%s.%N)
  rm -rf "${S3_DIR:?}"/{mon,osd,rgw,run,crash,keyring,env} "${S3_DIR:?}/conf/monmap"
  eval "$("$S3_PY" "$S3_HERE/rgw_instance.py" prepare "$S3_DIR")"
  CONF="$S3_DIR/conf/ceph.conf"
  export BUCKETDROP_S3_INSTANCE="$S3_DIR" # marker checked by stop
  export CEPH_CONF="$CONF"
  : >"$S3_DIR/logs/setup.log"
  pids=()
  : >"$S3_PIDFILE"
  trap 's3_log "s3-server: interrupted; stopping what was started"; s3_stop_instance || true; exit 130' INT TERM

  local keyring="$S3_DIR/keyring" osd_uuid
  osd_uuid=$("$S3_PY" -c 'import uuid; print(uuid.uuid4())')
  ceph-authtool --create-keyring "$keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n osd.0 \
    --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null
  ceph-authtool "$keyring" --gen-key -n "$RGW_NAME" --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
  monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$S3_DIR/conf/monmap" >/dev/null
  mkdir -p "$S3_DIR/mon/ceph-a" "$S3_DIR/osd/ceph-0"
  ceph_cli ceph-mon --mkfs -i a --monmap "$S3_DIR/conf/monmap" --keyring "$keyring" ||
    fail "ceph-mon --mkfs failed"
  s3_launch mon ceph-mon -c "$CONF" -f -i a

  ceph_cli ceph osd new "$osd_uuid" 0 || fail "ceph osd new failed"
  ceph_cli ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" || fail "ceph-osd --mkfs failed"
  s3_launch osd ceph-osd -c "$CONF" -f -i 0

  # Users and storage classes need the OSD; radosgw-admin creates the pools.
  local name uid key secret class pool
  for name in MAIN SECOND NOACCESS KEYRING; do
    eval "uid=\${USER_$name[0]} key=\${USER_$name[1]} secret=\${USER_$name[2]}"
    ceph_cli radosgw-admin -n client.admin user create --uid "$uid" --display-name "$uid" \
      --access-key "$key" --secret-key "$secret" || fail "radosgw-admin user create $uid failed"
  done
  for class in "${STORAGE_CLASSES[@]}"; do
    pool="default.rgw.${class,,}.data"
    ceph_cli radosgw-admin -n client.admin zonegroup placement add --rgw-zonegroup default \
      --placement-id default-placement --storage-class "$class" ||
      fail "zonegroup placement add $class failed"
    ceph_cli radosgw-admin -n client.admin zone placement add --rgw-zone default \
      --placement-id default-placement --storage-class "$class" --data-pool "$pool" ||
      fail "zone placement add $class failed"
  done
  # Buckets report the region of the env file (AWS_REGION), as on AWS, not "default".
  ceph_cli radosgw-admin -n client.admin zonegroup modify --rgw-zonegroup default \
    --api-name "$REGION" || fail "zonegroup modify --api-name failed"
  s3_launch rgw radosgw -c "$CONF" -f -n "$RGW_NAME"

  "$S3_PY" "$S3_HERE/rgw_instance.py" wait "$S3_DIR" "$READY_TIMEOUT" "${pids[@]}" ||
    fail "RGW did not answer"
  trap - INT TERM
  echo "s3-server: RGW ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s at http://127.0.0.1:$RGW_PORT (data: $S3_DIR)"
  echo "s3-server: use it with:  set -a; . $S3_DIR/env; set +a"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    s3_log "usage: rgw.sh start|stop"
    exit 2
    ;;
esac
