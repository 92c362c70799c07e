/* virtuned — the abstract VM description (SPEC §3): strict parsing and validation. */
#pragma once

#include <glib.h>

#include "model/limits.h"

G_BEGIN_DECLS

typedef enum {
  VT_DISK_NEW,      /* pool: P, size: S      -> a new volume in pool P */
  VT_DISK_VOLUME,   /* volume: P/V           -> an existing volume */
  VT_DISK_CDROM,    /* cdrom: P/V            -> an existing volume, read-only CD-ROM */
  VT_DISK_PATH,     /* path: /abs            -> a raw host path (restricted, SPEC §9) */
} VtDiskKind;

typedef struct {
  VtDiskKind kind;
  char *pool;       /* NEW, VOLUME, CDROM */
  char *volume;     /* VOLUME, CDROM */
  char *path;       /* PATH */
  char *format;     /* PATH: the image's format, raw|qcow2; NULL = raw. QEMU never probes. */
  guint64 size;     /* NEW: bytes; 0 = use storage.capacity */
  char *alias;      /* ua-diskN / ua-cdromN pinned (model/device-alias.h); NULL = by position */
  guint line, column;
} VtDiskDesc;

typedef enum {
  VT_NET_NETWORK,   /* network: NAME */
  VT_NET_BRIDGE,    /* bridge: NAME (restricted, SPEC §9) */
} VtNetKind;

typedef struct {
  VtNetKind kind;
  char *source;
  char *mac;        /* NULL = let libvirt generate one */
  char *alias;      /* ua-netN pinned (model/device-alias.h); NULL = by position */
  guint line, column;
} VtNetDesc;

typedef struct {
  char *key;        /* catalog key */
  char *value;      /* canonical value (vt_catalog_normalize) */
  guint line, column;
} VtUserSetting;

/* Guest-owner launch data (sev:): what `sevctl session` made for one policy word. The
 * texts are strict base64 of exactly the SEV API's sizes (model/limits.h), kept as given:
 * libvirt takes them as base64. */
typedef struct {
  char *dh_cert;          /* the owner's Diffie-Hellman certificate (GODH) */
  char *session;          /* the LAUNCH_START session blob */
  char *policy;           /* the word, canonical as the catalog spells guest.sev.policy */
  guint32 policy_bits;    /* the same word as a number */
} VtSevLaunch;

typedef struct {
  char *name;
  GPtrArray *scenarios;   /* char*, in the order given; may be empty */
  char *os;               /* libosinfo short-id, or NULL */
  guint os_line, os_column;  /* where os: was given (the merge looks the id up) */
  guint vcpus;            /* 0 = unset */
  guint64 memory;         /* bytes; 0 = unset */
  guint sockets, cores, threads;  /* all 0 = unset */
  GPtrArray *disks;       /* VtDiskDesc* */
  GPtrArray *networks;    /* VtNetDesc* */
  char *graphics;         /* spice|vnc|none, NULL = unset */
  char *firmware;         /* auto|bios|efi, NULL = unset */
  int secure_boot;        /* -1 unset, 0 off, 1 on */
  int tpm;                /* -1 unset, 0 off, 1 on */
  GPtrArray *settings;    /* VtUserSetting*, in document order */
  VtSevLaunch *sev;       /* guest-owner launch data, or NULL */
} VtDescription;

/* Parses and validates a description. Errors are VT_ERROR_INVALID_DESCRIPTION with
 * "KEY.PATH (line L, column C): sentence". Never trusts @text: bounded in size,
 * depth, node count; aliases refused. */
VtDescription *vt_description_parse (const char *text, gsize len, GError **error);
void vt_description_free (VtDescription *desc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDescription, vt_description_free)

/* One device for a domain (RenderDevice, AttachDevice: issue #12): a YAML mapping that
 * is one entry of a description's disks: (pool/size, volume, cdrom, path/format) or
 * networks: (network or bridge, mac), at most VT_DEVICE_MAX_BYTES. Returns a description
 * named @domain with exactly that one disk or network; errors as vt_description_parse,
 * key paths starting at "device". */
VtDescription *vt_description_parse_device (const char *text, gsize len, const char *domain,
                                            GError **error);

/* libvirt's domain/pool/volume/network name rule as virtuned enforces it:
 * 1..64 of [A-Za-z0-9_.+-], not starting with '-' or '.'. */
gboolean vt_name_is_valid (const char *name);

G_END_DECLS
