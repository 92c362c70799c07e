# Shared by the system tests that define and start guests under QEMU (sourced after
# lib.sh, inside the private mount namespace, once setup_private_libvirt_pool has set
# POOL and pool_dir and the test has named its network NET).

# create_test_network OCTET: an active libvirt network NET (vtnet) on a bridge of its own,
# 192.168.OCTET.0/24 or, when that is in use, another (lib.sh's create_private_network);
# sets NET, BRIDGE and SUBNET.
create_test_network () {
  NET=vtnet
  # The work directory's random suffix: every test shell is PID 1 of its namespace.
  BRIDGE=vtbr${work##*.}
  create_private_network "$NET" "$BRIDGE" "192.168.$1"
}

# choose_render_caps: lib.sh's choose_domain_type (domain_type, domcaps_args), said.
choose_render_caps () {
  choose_domain_type "$work"
  diag "domains are rendered with type '$domain_type' from the connection's capabilities"
}

describe () {   # describe NAME SCENARIO [EXTRA-YAML]: a small description on stdout
  cat <<EOF
name: $1
scenario: $2
vcpus: 1
memory: 256MiB
disks:
  - pool: $POOL
    size: 64MiB
networks:
  - network: $NET
${3:-}
EOF
}

define () {     # define FILE [OPTION...]: vscenctl define --json; sets DEFINED_JSON, returns its status
  DEFINED_JSON=$("$VSCENCTL" --session --json define "$@" 2>"$work/define.err")
}

json_field () { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

start_and_check () {   # start_and_check NAME: started, seen running, destroyed
  local name=$1
  ok "$name: virsh start" quiet virsh start "$name"
  ok "$name: domstate is running" test "$(virsh domstate "$name")" = running
  ok "$name: domain type is '$domain_type'" \
    test "$(virsh dumpxml "$name" | xmllint --xpath 'string(/domain/@type)' -)" = "$domain_type"
  ok "$name: destroy" quiet virsh destroy "$name"
}

remove_domain () {     # remove_domain NAME VOLUME [SECRET-UUID]
  ok "$1: undefine with its NVRAM" quiet virsh undefine "$1" --nvram
  ok "$1: volume deleted" quiet virsh vol-delete --pool "$POOL" "$2"
  if [ -n "${3:-}" ]; then
    ok "$1: secret undefined" quiet virsh secret-undefine "$3"
  fi
}

