/* virtuned — the SEV hash table of a direct kernel boot (QEMU target/i386/sev.c
 * SevHashTable; the same GUIDs as OVMF's BlobVerifierLibSevHashes). */
#include "sev/kernel-hashes.h"

#include <string.h>

#include <nettle/sha2.h>

#include "model/limits.h"
#include "sev/guid.h"
#include "util/error.h"

#define ENTRY_BYTES (VT_SEV_GUID_SIZE + 2 + VT_SEV_SHA256_SIZE)
#define TABLE_BYTES (VT_SEV_GUID_SIZE + 2 + 3 * ENTRY_BYTES)

/* QEMU pads the table to a multiple of 16 bytes, the unit LAUNCH_UPDATE_DATA encrypts. */
G_STATIC_ASSERT (VT_SEV_KERNEL_TABLE_SIZE == (TABLE_BYTES + 15) / 16 * 16);

static const VtSevGuid table_guid =
  VT_SEV_GUID_INIT (0x9438d606, 0x4f22, 0x4cc9, 0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21);
static const VtSevGuid cmdline_guid =
  VT_SEV_GUID_INIT (0x97d02dd8, 0xbd20, 0x4c94, 0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a);
static const VtSevGuid initrd_guid =
  VT_SEV_GUID_INIT (0x44baf731, 0x3a2f, 0x4bd7, 0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d);
static const VtSevGuid kernel_guid =
  VT_SEV_GUID_INIT (0x4de79437, 0xabd2, 0x427f, 0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b);

static void
sha256_of (const guint8 *data, gsize len, guint8 digest[VT_SEV_SHA256_SIZE])
{
  struct sha256_ctx sha;

  sha256_init (&sha);
  sha256_update (&sha, len, data);
  sha256_digest (&sha, VT_SEV_SHA256_SIZE, digest);
}

gboolean
vt_sev_kernel_hashes_set_cmdline (VtSevKernelHashes *hashes, const char *cmdline,
                                  GError **error)
{
  const char *text = cmdline ? cmdline : "";
  gsize len = strlen (text);

  if (len > VT_SEV_CMDLINE_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the kernel command line is longer than %d bytes",
                   VT_SEV_CMDLINE_MAX_BYTES);
      return FALSE;
    }
  /* len + 1: the NUL the guest receives is part of what was hashed. */
  sha256_of ((const guint8 *) text, len + 1, hashes->cmdline);
  return TRUE;
}

gboolean
vt_sev_kernel_hashes_load (VtSevKernelHashes *hashes, const char *kernel_path,
                           const char *initrd_path, const char *cmdline, GError **error)
{
  if (!vt_sev_hash_file (kernel_path, VT_SEV_KERNEL_MAX_BYTES, "kernel", hashes->kernel,
                         error))
    return FALSE;
  if (initrd_path == NULL)
    sha256_of ((const guint8 *) "", 0, hashes->initrd);
  else if (!vt_sev_hash_file (initrd_path, VT_SEV_INITRD_MAX_BYTES, "initrd",
                              hashes->initrd, error))
    return FALSE;
  return vt_sev_kernel_hashes_set_cmdline (hashes, cmdline, error);
}

/* GUID, u16 little-endian length, then @len bytes of @data; returns the next position. */
static guint8 *
put_entry (guint8 *p, const VtSevGuid *guid, gsize total, const guint8 *data, gsize len)
{
  memcpy (p, guid->bytes, VT_SEV_GUID_SIZE);
  p[VT_SEV_GUID_SIZE] = (guint8) (total & 0xff);
  p[VT_SEV_GUID_SIZE + 1] = (guint8) (total >> 8);
  if (len > 0)
    memcpy (p + VT_SEV_GUID_SIZE + 2, data, len);
  return p + VT_SEV_GUID_SIZE + 2 + len;
}

void
vt_sev_kernel_table (const VtSevKernelHashes *hashes, guint8 table[VT_SEV_KERNEL_TABLE_SIZE])
{
  guint8 *p = table;

  memset (table, 0, VT_SEV_KERNEL_TABLE_SIZE);
  p = put_entry (p, &table_guid, TABLE_BYTES, NULL, 0);
  p = put_entry (p, &cmdline_guid, ENTRY_BYTES, hashes->cmdline, VT_SEV_SHA256_SIZE);
  p = put_entry (p, &initrd_guid, ENTRY_BYTES, hashes->initrd, VT_SEV_SHA256_SIZE);
  put_entry (p, &kernel_guid, ENTRY_BYTES, hashes->kernel, VT_SEV_SHA256_SIZE);
}
