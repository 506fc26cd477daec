#!/usr/bin/env bash
# Sets up everything Frontdoor needs to build, test and run, on Debian 12.
#
#   scripts/setup.sh
#
# Safe to run again and again: each step is skipped when it is already done.
#   1. Debian packages (apt-get, as root; skipped when all are installed, so
#      it also works as an ordinary user on a machine set up before)
#   2. npm packages from package-lock.json (npm ci; skipped when the lock file
#      has not changed since the last install)
#   3. the web assets in assets/dist/ (scripts/build-assets.sh; skipped when
#      nothing they are built from has changed)
#
# Nothing is fetched except from Debian's archive and the npm registry.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf 'setup: %s\n' "$*"; }

# --- 1. Debian packages ------------------------------------------------------
# What each is for:
#   build-essential g++ cmake pkg-config   the C++20 toolchain and build
#   libsqlite3-dev                         the embedded event store
#   sqlite3                                the SQLite shell: tests read a store as an operator would
#   libssl-dev                             SHA-256, HMAC, random bytes; STARTTLS for e-mail
#   libboost-dev                           Boost.Beast/Asio (the HTTP server)
#   libboost-program-options-dev           the frontdoor command line
#   libargon2-dev                          Argon2id password hashes
#   nlohmann-json3-dev                     JSON
#   libgtest-dev libgmock-dev              the unit and integration tests
#   nodejs npm                             Sass for the GOV.UK styles; the browser test
#   chromium fonts-liberation              the end-to-end browser test (Arial-metric font)
#   clang-format clang-tidy                the style check; static analysis
#   clang libclang-rt-14-dev               the fuzz build: clang++ with libFuzzer and its sanitizers
#   wrk nginx-light                        the HTTP benchmark and its nginx baseline
#   postgresql libpq-dev                   the production database engine (later issue)
#   fiu-utils                              fault injection (fiu-run, fiu-ctrl) for the I/O-error battery
#   git ca-certificates                    the work tree; TLS to the npm registry
packages=(
  build-essential g++ cmake pkg-config
  libsqlite3-dev sqlite3 libssl-dev libboost-dev libboost-program-options-dev libargon2-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev
  chromium fonts-liberation
  clang-format clang-tidy
  clang libclang-rt-14-dev
  wrk nginx-light
  postgresql libpq-dev
  fiu-utils
  git ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm count as present when the commands are: a machine may have
# Node from elsewhere (whose nodejs package conflicts with Debian's npm).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} == 0)); then
  say "Debian packages: all present"
else
  say "Debian packages to install: ${missing[*]}"
  if [[ "$(id -u)" != "0" ]]; then
    echo "setup: these need root. Run as root, or first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 1b. Node.js 20 ----------------------------------------------------------------
# The browser test's playwright-core needs Node.js 20 or later; Debian 12's
# nodejs is 18. Then the official Node.js build that the npm registry ships as
# the package node-linux-<arch> goes into .cache/node/ (not committed), and
# scripts/test.sh and scripts/demo.sh put its bin/ first on PATH.
node_version=20.20.2
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ((node_major >= 20)); then
  say "Node.js $(node --version): recent enough"
elif [[ -x .cache/node/bin/node ]]; then
  say "Node.js $(.cache/node/bin/node --version) in .cache/node (the system's is older)"
else
  case "$(uname -m)" in
    x86_64) node_arch=x64 ;;
    aarch64) node_arch=arm64 ;;
    *)
      echo "setup: Node.js 20 or later is needed; install it for $(uname -m)" >&2
      exit 1
      ;;
  esac
  say "Node.js $(node --version) is older than 20: fetching node-linux-${node_arch}@${node_version} from npm"
  node_tmp="$(mktemp -d)"
  (cd "$node_tmp" && npm pack --silent "node-linux-${node_arch}@${node_version}" >/dev/null)
  tar -xzf "$node_tmp"/node-linux-*.tgz -C "$node_tmp"
  mkdir -p .cache/node/bin
  cp "$node_tmp/package/bin/node" .cache/node/bin/node
  rm -rf "$node_tmp"
  say "Node.js $(.cache/node/bin/node --version) in .cache/node"
fi

# --- 2. npm packages -----------------------------------------------------------
# npm ci installs exactly what the lock file says. A stamp of the lock file's
# hash in node_modules/ tells a later run that nothing needs installing.
npm_install() {
  local dir="$1"
  [[ -f "$dir/package-lock.json" ]] || return 0
  local stamp="$dir/node_modules/.frontdoor-npm-stamp"
  local want
  want="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    say "npm packages in ${dir}: up to date"
    return 0
  fi
  say "npm ci in ${dir}"
  (cd "$dir" && npm ci --no-audit --no-fund)
  echo "$want" >"$stamp"
}
npm_install .
# The browser test may keep its own packages beside it.
npm_install e2e

# --- 3. web assets -------------------------------------------------------------
stamp="assets/dist/.frontdoor-assets-stamp"
if [[ -f "$stamp" ]] &&
  [[ -z "$(find assets/src package.json package-lock.json scripts/build-assets.sh \
    node_modules/.frontdoor-npm-stamp -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
  say "web assets: up to date"
else
  say "building web assets"
  bash scripts/build-assets.sh
  touch "$stamp"
fi

say "done"
