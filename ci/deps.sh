#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Make sure the Debian packages rouse needs are installed.
#   ci/deps.sh build   packages to build and run rouse
#   ci/deps.sh test    also what the test suite needs (clang + libFuzzer runtime)
# As root, missing packages are installed with apt-get; otherwise the exact apt-get line is
# printed and the script fails.
set -euo pipefail
BUILD_PKGS=(gcc libc6-dev make meson ninja-build pkg-config zlib1g-dev libjansson-dev libxgboost-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk)
TEST_PKGS=(clang libclang-rt-14-dev gzip diffutils poppler-utils libxml2-utils)

want=("${BUILD_PKGS[@]}")
[ "${1:-build}" = test ] && want+=("${TEST_PKGS[@]}")

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "rouse: installing missing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "rouse: missing Debian packages: ${missing[*]}" >&2
  echo "rouse: install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
