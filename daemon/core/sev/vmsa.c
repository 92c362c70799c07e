/* virtuned — the initial VMSA of an SEV-ES vCPU.
 *
 * The page is Linux's struct vmcb_save_area (arch/x86/include/asm/svm.h; AMD APM vol. 2
 * table B-2) holding the INIT state of APM vol. 2 §14.1.3 as KVM (init_vmcb,
 * svm_set_cr4/efer, kvm_arch_vcpu_create) and QEMU (x86_cpu_reset) leave it — the model
 * virt-qemu-sev-validate and `sevctl vmsa build --userspace qemu` use. Host kernels
 * whose kvm_amd has debug_swap on change this state (AMDESE/AMDSEV#195): such hosts
 * need kvm_amd debug_swap=0, or the owner passes VMSA files. Every field not written
 * here is zero. */
#include "sev/vmsa.h"

#include <string.h>

#include "util/error.h"

/* Byte offsets in struct vmcb_save_area. */
enum {
  SEG_ES = 0x00, SEG_CS = 0x10, SEG_SS = 0x20, SEG_DS = 0x30, SEG_FS = 0x40,
  SEG_GS = 0x50, SEG_GDTR = 0x60, SEG_LDTR = 0x70, SEG_IDTR = 0x80, SEG_TR = 0x90,
  OFF_EFER = 0xd0, OFF_CR4 = 0x148, OFF_CR0 = 0x158, OFF_DR7 = 0x160, OFF_DR6 = 0x168,
  OFF_RFLAGS = 0x170, OFF_RIP = 0x178, OFF_G_PAT = 0x268, OFF_RDX = 0x310,
  OFF_XCR0 = 0x3e8,
};

/* A segment register: u16 selector, u16 attributes, u32 limit, u64 base. */
enum { SEG_SELECTOR = 0, SEG_ATTRIB = 2, SEG_LIMIT = 4, SEG_BASE = 8 };

/* QEMU's x86_cpu_reset descriptor flags, in the VMSA's packed 12-bit form: present,
 * code/data, and the type (code: readable, accessed; data: writable, accessed;
 * LDT; busy 32-bit TSS). */
#define ATTRIB_CODE 0x9b
#define ATTRIB_DATA 0x93
#define ATTRIB_LDT  0x82
#define ATTRIB_TSS  0x8b

#define MAX_FAMILY (0xf + 0xff)

static void
put_le (guint8 *page, gsize offset, guint64 value, gsize size)
{
  for (gsize i = 0; i < size; i++)
    page[offset + i] = (guint8) (value >> (8 * i));
}

static void
put_segment (guint8 *page, gsize seg, guint16 attrib)
{
  put_le (page, seg + SEG_ATTRIB, attrib, 2);
  put_le (page, seg + SEG_LIMIT, 0xffff, 4);
}

gboolean
vt_sev_cpu_signature_check (const VtSevCpuSignature *cpu, GError **error)
{
  const char *field = cpu->family > MAX_FAMILY ? "family"
                      : cpu->model > 0xff ? "model"
                      : cpu->stepping > 0xf ? "stepping" : NULL;

  if (field == NULL)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "the CPU %s is out of range (family 0-%u, model 0-255, stepping 0-15)",
               field, MAX_FAMILY);
  return FALSE;
}

/* CPUID 1 EAX, which the reset state leaves in RDX (APM vol. 2 §14.1.3). */
static guint32
cpuid_signature (const VtSevCpuSignature *cpu)
{
  guint32 eax = cpu->stepping | (cpu->model & 0xf) << 4 | (cpu->model >> 4) << 16;

  if (cpu->family > 0xf)
    return eax | 0xf << 8 | (cpu->family - 0xf) << 20;
  return eax | cpu->family << 8;
}

void
vt_sev_vmsa_build (const VtSevCpuSignature *cpu, guint32 reset_address,
                   guint8 page[VT_SEV_VMSA_SIZE])
{
  static const gsize data_segments[] = { SEG_ES, SEG_SS, SEG_DS, SEG_FS, SEG_GS };

  memset (page, 0, VT_SEV_VMSA_SIZE);
  put_segment (page, SEG_CS, ATTRIB_CODE);
  put_le (page, SEG_CS + SEG_SELECTOR, 0xf000, 2);
  put_le (page, SEG_CS + SEG_BASE, reset_address & 0xffff0000u, 8);
  for (gsize i = 0; i < G_N_ELEMENTS (data_segments); i++)
    put_segment (page, data_segments[i], ATTRIB_DATA);
  put_segment (page, SEG_GDTR, 0);
  put_segment (page, SEG_IDTR, 0);
  put_segment (page, SEG_LDTR, ATTRIB_LDT);
  put_segment (page, SEG_TR, ATTRIB_TSS);
  put_le (page, OFF_RIP, reset_address & 0xffffu, 8);
  put_le (page, OFF_EFER, 0x1000, 8);                  /* SVME, set by KVM */
  put_le (page, OFF_CR4, 0x40, 8);                     /* MCE, mirrored from the host */
  put_le (page, OFF_CR0, 0x10, 8);                     /* ET */
  put_le (page, OFF_DR7, 0x400, 8);
  put_le (page, OFF_DR6, 0xffff0ff0, 8);
  put_le (page, OFF_RFLAGS, 0x2, 8);
  put_le (page, OFF_G_PAT, G_GUINT64_CONSTANT (0x0007040600070406), 8);
  put_le (page, OFF_RDX, cpuid_signature (cpu), 8);
  put_le (page, OFF_XCR0, 0x1, 8);
}
