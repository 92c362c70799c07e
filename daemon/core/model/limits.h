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

/* ListOperatingSystems' filter: a substring of a short-id or OS name. */
#define VT_OS_FILTER_MAX 64

/* The a{sv} options of one call: a few booleans today, with room for more. */
#define VT_OPTIONS_MAX_BYTES 4096

/* QEMU's largest qcow2 cluster; larger storage.cluster_size values are capped. */
#define VT_QCOW2_MAX_CLUSTER_SIZE (2 * 1024 * 1024)

/* AMD SEV attestation inputs (core/sev). A firmware image is read whole (it is a few
 * MiB: Debian's OVMF_CODE_4M.fd is 3.5 MiB); kernel and initrd are hashed as they are
 * read, so their bounds only stop an endless input. Linux's command line
 * (COMMAND_LINE_SIZE) is at most 2 KiB on x86, so 64 KiB leaves room without being
 * unbounded. The secret table is at most 16 KiB (sevctl's bound; OVMF's secret area is
 * smaller still, 3 KiB in its AmdSev build). */
#define VT_SEV_FIRMWARE_MAX_BYTES (16 * 1024 * 1024)
#define VT_SEV_KERNEL_MAX_BYTES (512ULL * 1024 * 1024)
#define VT_SEV_INITRD_MAX_BYTES (4ULL * 1024 * 1024 * 1024)
#define VT_SEV_CMDLINE_MAX_BYTES (64 * 1024)
#define VT_SEV_SECRET_TABLE_MAX_BYTES (16 * 1024)
/* vCPUs of one SEV-ES guest (one VMSA each); QEMU's q35 allows at most 1024. */
#define VT_SEV_MAX_VCPUS 1024

/* Guest-owner launch data in a description (sev:), exactly the sizes of the SEV API
 * (AMD pub. 55766, LAUNCH_START) that libvirt hands to QEMU as they are: the owner's
 * Diffie-Hellman certificate (GODH, what `sevctl session` writes as _godh.b64) is a SEV
 * certificate, 0x824 = 2084 bytes; the session blob is 128 bytes: nonce (16), TEK||TIK
 * wrapped (32), wrap IV (16), wrap MAC (32), policy MAC (32). Base64 of them is 2780 and
 * 172 characters, within the description reader's 4096-byte scalar bound. */
#define VT_SEV_DH_CERT_BYTES 2084
#define VT_SEV_SESSION_BYTES 128

/* A domain named by a caller (AttestDomain and its kin): libvirt's names have no length
 * limit of their own, but nobody names a domain with more than a line of text. */
#define VT_DOMAIN_NAME_MAX 256
/* A host path a caller names (firmware, kernel, initrd of AttestDomain): PATH_MAX. */
#define VT_SEV_PATH_MAX 4096
/* VMSA pages AttestDomain takes: vCPU 0's and the one all other vCPUs share
 * (virt-qemu-sev-validate's --vmsa-cpu0 and --vmsa-cpu1). */
#define VT_SEV_MAX_VMSAS 2
/* Secrets of one AttestDomain call; each is an entry of the secret table. */
#define VT_SEV_MAX_SECRETS 64

/* A libvirt connection's name (virtuned.conf [connection NAME], the "connection" option
 * of domain methods, Plan's list) and how many connections Plan takes in one call. */
#define VT_CONNECTION_NAME_MAX 64
#define VT_PLAN_MAX_CONNECTIONS 64
/* One device fragment of RenderDevice and AttachDevice (issue #12): a single disks: or
 * networks: entry, whose longest value is a host path (PATH_MAX). */
#define VT_DEVICE_MAX_BYTES 4096
/* A device alias a caller names (DetachDevice): ua- and a few characters in practice. */
#define VT_DEVICE_ALIAS_MAX 64

/* Rows ListPools and ListNetworks return at most: a host with more loses its last
 * unlisted ones (the allowed come first), so a reply stays small. */
#define VT_INVENTORY_MAX_ITEMS 1024
