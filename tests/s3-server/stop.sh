#!/usr/bin/env bash
# Stop the local S3 test server started by start.sh (see README.md).
# Only signals the processes recorded in <dir>/s3-server.pid (and their
# forked workers) that really belong to this instance. Idempotent.
set -euo pipefail
# `stop.sh rgw` (npm run s3:stop -- rgw): the Ceph RADOS Gateway instead, see rgw.sh.
case "${1:-swift}" in
  swift) ;;
  rgw) exec bash "$(dirname "${BASH_SOURCE[0]}")/rgw.sh" stop ;;
  *) echo "usage: stop.sh [swift|rgw]" >&2 && exit 2 ;;
esac
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ ! -d "$S3_DIR" ]; then
  echo "s3-server: nothing to stop ($S3_DIR does not exist)"
  exit 0
fi
s3_abs_dir existing
s3_lock
if [ ! -f "$S3_PIDFILE" ]; then
  echo "s3-server: not running ($S3_DIR)"
  exit 0
fi
if s3_stop_instance; then
  echo "s3-server: stopped ($S3_DIR)"
else
  s3_log "s3-server: some processes did not exit"
  exit 1
fi
