#!/usr/bin/env bash
# `npm test` runs this first (npm's pretest): installs the Debian packages the tests need on a
# fresh Debian 12 machine, quick and silent when all are present. The servers' start scripts
# install their own packages too; listing them here makes one apt-get run.
set -euo pipefail
packages=(
  # the first local S3 server (tests/s3-server/start.sh)
  swift swift-proxy swift-account swift-container swift-object python3-swift memcached
  # the second, Ceph RGW (tests/s3-server/rgw.sh)
  ceph-mon ceph-osd radosgw ceph-common
  # the end-to-end tests (tests/e2e/harness.ts)
  chromium
)
exec bash "$(dirname "${BASH_SOURCE[0]}")/../tests/s3-server/apt-install.sh" "${packages[@]}"
