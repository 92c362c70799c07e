# Shared by scripts/check and scripts/demo (sourced, bash): install what
# scripts/packages.txt lists and build into a given directory.

VT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# vt_package_lines: "PACKAGE [PROGRAM ...]" lines of scripts/packages.txt, comments dropped.
vt_package_lines () {
  local line
  while IFS= read -r line; do
    line="${line%%#*}"
    [ -n "${line//[[:space:]]/}" ] && echo "$line"
  done <"$VT_ROOT/scripts/packages.txt"
}

# Packages of scripts/packages.txt that dpkg does not report installed, unless the
# package lists programs and all of them are there (npm comes with NodeSource's nodejs,
# which conflicts with Debian's npm package: installing that would fail).
vt_missing_packages () {
  local pkg programs
  while read -r pkg programs; do
    if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ] &&
       ! vt_have_programs $programs; then
      echo "$pkg"
    fi
  done < <(vt_package_lines)
}

# vt_have_programs PROGRAM...: at least one program given and every one present.
vt_have_programs () {
  local program
  [ "$#" -gt 0 ] || return 1
  for program in "$@"; do
    vt_have_program "$program" || return 1
  done
}

# vt_have_program PROGRAM: a command on PATH, or an executable absolute path.
vt_have_program () {
  case "$1" in
    /*) [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# Fails, naming program and package, when a program scripts/packages.txt lists is
# missing: a test must never silently skip because the machine lacks something.
vt_require_programs () {
  local pkg programs program missing=0
  while read -r pkg programs; do
    for program in $programs; do
      if ! vt_have_program "$program"; then
        echo "error: $program is missing; it comes with Debian package $pkg" >&2
        missing=1
      fi
    done
  done < <(vt_package_lines)
  return "$missing"
}

# Installs the missing packages (`apt-get update` runs once, and only when needed), then
# checks that every program the tests run is there.
vt_install_packages () {
  local -a missing
  mapfile -t missing < <(vt_missing_packages)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "missing packages (run as root to install them): ${missing[*]}" >&2
      return 1
    fi
    echo "==> installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  vt_require_programs
}

# vt_build DIR [MESON_OPTION...]: configures DIR (again, when it exists: tests are
# registered only if their files existed at configure time), then builds it.
vt_build () {
  local dir="$1"
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$VT_ROOT" "$@" >/dev/null
  else
    meson setup "$dir" "$VT_ROOT" "$@" >/dev/null
  fi
  ninja -C "$dir" >/dev/null
}
