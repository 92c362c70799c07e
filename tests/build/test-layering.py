#!/usr/bin/env python3
"""The folder tree is the architecture: each part of daemon/core may include only the
parts below it (README "Architecture"), nothing in the core includes the bus layer or
D-Bus, and no two headers include each other, directly or through others. One TAP case
per rule, naming every offending #include."""
import os
import re
import sys

# Which parts each part may include (itself always).
ALLOWED = {
    "util": set(),
    "model": {"util"},
    "merge": {"model", "util"},
    "sev": {"model", "util"},
    "domain": {"merge", "sev", "model", "util"},
    "libvirt": {"domain", "merge", "sev", "model", "util"},
    "host": {"merge", "model", "util"},
    # os links libosinfo; it fills model's OS table, which merge reads, so it sits beside
    # merge and nothing else in the core includes it.
    "os": {"model", "util"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)
root = os.environ.get("VT_SOURCE_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
core = os.path.join(root, "daemon", "core")
daemon = os.path.join(root, "daemon")


def sources(top):
    for dirpath, _, files in os.walk(top):
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                yield os.path.join(dirpath, name)


def includes(path):
    with open(path, encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


def part_of(path):
    return os.path.relpath(path, core).split(os.sep)[0]


cases = []

wrong_way = []
for path in sources(core):
    part = part_of(path)
    for kind, name in includes(path):
        target = name.split("/")[0]
        if kind == '"' and "/" in name and target != part and target not in ALLOWED[part]:
            wrong_way.append(f"{os.path.relpath(path, root)} includes {name}")
cases.append(("every core part includes only the parts below it", wrong_way))

bus_in_core = []
for path in sources(core):
    for kind, name in includes(path):
        if name.startswith(("gio/", "bus/", "polkit/", "systemd/")) or name in (
                "daemon.h", "vt-manager-generated.h"):
            bus_in_core.append(f"{os.path.relpath(path, root)} includes {name}")
cases.append(("the core includes neither D-Bus, polkit, systemd nor the bus layer",
              bus_in_core))

# The SEV maths is linked into vscenctl, which runs offline on the guest owner's machine.
libvirt_in_sev = [f"{os.path.relpath(path, root)} includes {name}"
                  for path in sources(os.path.join(core, "sev"))
                  for _, name in includes(path) if name.startswith("libvirt")]
cases.append(("core/sev includes no libvirt", libvirt_in_sev))

daemon_uses_bus = [f"daemon/daemon.{ext} includes {name}"
                   for ext in ("c", "h")
                   for _, name in includes(os.path.join(daemon, f"daemon.{ext}"))
                   if name.startswith("bus/")]
cases.append(("daemon.[ch] (the lifecycle) does not call into the bus layer", daemon_uses_bus))

# Header graph over daemon/ (quoted includes resolve against daemon/core, then daemon/).
graph = {}
for path in sources(daemon):
    if not path.endswith(".h"):
        continue
    deps = []
    for kind, name in includes(path):
        for base in (core, daemon):
            candidate = os.path.join(base, name)
            if kind == '"' and os.path.exists(candidate):
                deps.append(os.path.normpath(candidate))
                break
    graph[os.path.normpath(path)] = deps

cycles = []
state = {}


def visit(node, stack):
    state[node] = "open"
    for dep in graph.get(node, []):
        if state.get(dep) == "open":
            loop = stack[stack.index(dep):] + [dep]
            cycles.append(" -> ".join(os.path.relpath(p, root) for p in loop))
        elif dep not in state:
            visit(dep, stack + [dep])
    state[node] = "done"


for node in sorted(graph):
    if node not in state:
        visit(node, [node])
cases.append(("no header includes itself through others", cycles))

failed = 0
for n, (what, problems) in enumerate(cases, 1):
    print(("not ok" if problems else "ok") + f" {n} - {what}")
    for problem in problems:
        print(f"#   {problem}")
    failed += bool(problems)
print(f"1..{len(cases)}")
sys.exit(1 if failed else 0)
