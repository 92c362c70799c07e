# Shared by scripts/check and scripts/demo (sourced, bash): install what
# scripts/packages.txt lists and build into a given directory.

VT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Packages of scripts/packages.txt that dpkg does not report installed.
vt_missing_packages () {
  local pkg
  while read -r pkg; do
    pkg="${pkg%%#*}"
    pkg="${pkg//[[:space:]]/}"
    [ -n "$pkg" ] || continue
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
      echo "$pkg"
    fi
  done <"$VT_ROOT/scripts/packages.txt"
}

# Installs the missing packages; `apt-get update` runs once, and only when needed.
vt_install_packages () {
  local -a missing
  mapfile -t missing < <(vt_missing_packages)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages (run as root to install them): ${missing[*]}" >&2
    return 1
  fi
  echo "==> installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# vt_build DIR: configures DIR (again, when it exists: tests are registered only if
# their files existed at configure time), then builds it.
vt_build () {
  local dir="$1"
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$VT_ROOT" >/dev/null
  else
    meson setup "$dir" "$VT_ROOT" >/dev/null
  fi
  ninja -C "$dir" >/dev/null
}
