# Sourced by ./coxswain and ./test: installs Debian packages that are missing, as root or through sudo without a
# password, saying what it installs.
#   install_packages WHO PACKAGE...   returns 0 when all are installed (or were already), else prints one line that
#                                     says why not (prefixed by WHO) and returns 1.

install_packages() {
  local who="$1"; shift
  (( $# )) || return 0
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "$who: cannot install $* (not root, and sudo is missing or needs a password); as root: apt-get install $*" >&2
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "$who: cannot install $* (no apt-get: not a Debian-like system); install them by hand" >&2
    return 1
  fi
  echo "$who: installing $* (apt-get)" >&2
  local log; log="$(mktemp)"
  if $sudo apt-get update -q >"$log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1; then
    rm -f "$log"
    return 0
  fi
  echo "$who: apt-get could not install $*: $(grep -E '^(E|W): ' "$log" | head -1 || true) (full log: $log)" >&2
  return 1
}
