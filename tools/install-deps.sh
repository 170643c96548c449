#!/usr/bin/env bash
# tools/install-deps.sh: installs what schedfuzz needs on Debian 12 (as root, or with sudo).
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
packages=(clang-19 libclang-rt-19-dev libfuzzer-19-dev lld-19 llvm-19 cmake ninja-build g++ libstdc++-12-dev
          libgtest-dev libcli11-dev relacy-dev valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "schedfuzz: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
