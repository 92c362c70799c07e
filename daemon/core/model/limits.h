/* virtuned — the bounds on what callers send, defined once: the daemon enforces them and
 * vscenctl checks them before sending (SPEC §9). Header only, so the client can include
 * it without linking the core. */
#pragma once

/* A description document (YAML or JSON), and its lists. */
#define VT_DESCRIPTION_MAX_BYTES (64 * 1024)
#define VT_DESCRIPTION_MAX_DISKS 32
#define VT_DESCRIPTION_MAX_NETWORKS 32

/* Scenarios named by one description or one host tuning call, and a scenario's name. */
#define VT_MAX_SCENARIOS 16
#define VT_SCENARIO_NAME_MAX 64

/* The a{sv} options of one call: a few booleans today, with room for more. */
#define VT_OPTIONS_MAX_BYTES 4096

/* QEMU's largest qcow2 cluster; larger storage.cluster_size values are capped. */
#define VT_QCOW2_MAX_CLUSTER_SIZE (2 * 1024 * 1024)
