/* Unit tests: the abstract VM description parser (SPEC §3). */
#include <glib.h>
#include <string.h>

#include "model/description.h"
#include "model/limits.h"
#include "util/error.h"

#define MiB (G_GUINT64_CONSTANT (1) << 20)
#define GiB (G_GUINT64_CONSTANT (1) << 30)

static VtDescription *
parse (const char *text, GError **error)
{
  return vt_description_parse (text, strlen (text), error);
}

static const VtDiskDesc *
disk_at (const VtDescription *desc, guint i)
{
  return g_ptr_array_index (desc->disks, i);
}

static const VtNetDesc *
net_at (const VtDescription *desc, guint i)
{
  return g_ptr_array_index (desc->networks, i);
}

static const VtUserSetting *
setting_at (const VtDescription *desc, guint i)
{
  return g_ptr_array_index (desc->settings, i);
}

/* Parses @text expecting InvalidDescription whose message starts with @prefix
 * ("KEY.PATH (line L, column C): ") and contains @sentence. */
static void
assert_refused (const char *text, const char *prefix, const char *sentence)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = parse (text, &error);

  g_assert_null (desc);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  if (!g_str_has_prefix (error->message, prefix) || !strstr (error->message, sentence))
    g_error ("input:\n%s\nmessage: %s\nexpected prefix: %s\nexpected sentence: %s", text,
             error->message, prefix, sentence);
}

/* ---- valid descriptions ----------------------------------------------------------- */

static const char full_yaml[] =
  "name: web01\n"
  "scenario: [securevm, hugepages]\n"
  "os: opensuse15.4\n"
  "vcpus: 4\n"
  "memory: 4096\n"
  "cpu:\n"
  "  topology: {sockets: 1, cores: 2, threads: 2}\n"
  "disks:\n"
  "  - pool: default\n"
  "    size: 20GiB\n"
  "  - volume: default/base.qcow2\n"
  "  - cdrom: isos/install.iso\n"
  "  - path: /srv/vm/x.qcow2\n"
  "    format: qcow2\n"
  "  - pool: fast\n"
  "networks:\n"
  "  - network: default\n"
  "    mac: \"52:54:00:AB:cd:56\"\n"
  "  - bridge: br0\n"
  "graphics: vnc\n"
  "firmware: efi\n"
  "secure_boot: yes\n"
  "tpm: on\n"
  "settings:\n"
  "  guest.video: qxl\n"
  "  guest.features: [acpi, apic, smm]\n"
  "  storage.cluster_size: 8M\n"
  "  guest.cpu.migratable: false\n";

static void
assert_full_description (const VtDescription *desc)
{
  g_assert_cmpstr (desc->name, ==, "web01");
  g_assert_cmpuint (desc->scenarios->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (desc->scenarios, 0), ==, "securevm");
  g_assert_cmpstr (g_ptr_array_index (desc->scenarios, 1), ==, "hugepages");
  g_assert_cmpstr (desc->os, ==, "opensuse15.4");
  g_assert_cmpuint (desc->vcpus, ==, 4);
  g_assert_cmpuint (desc->memory, ==, 4 * GiB);
  g_assert_cmpuint (desc->sockets, ==, 1);
  g_assert_cmpuint (desc->cores, ==, 2);
  g_assert_cmpuint (desc->threads, ==, 2);

  g_assert_cmpuint (desc->disks->len, ==, 5);
  g_assert_cmpint (disk_at (desc, 0)->kind, ==, VT_DISK_NEW);
  g_assert_cmpstr (disk_at (desc, 0)->pool, ==, "default");
  g_assert_cmpuint (disk_at (desc, 0)->size, ==, 20 * GiB);
  g_assert_cmpint (disk_at (desc, 1)->kind, ==, VT_DISK_VOLUME);
  g_assert_cmpstr (disk_at (desc, 1)->pool, ==, "default");
  g_assert_cmpstr (disk_at (desc, 1)->volume, ==, "base.qcow2");
  g_assert_cmpint (disk_at (desc, 2)->kind, ==, VT_DISK_CDROM);
  g_assert_cmpstr (disk_at (desc, 2)->pool, ==, "isos");
  g_assert_cmpstr (disk_at (desc, 2)->volume, ==, "install.iso");
  g_assert_cmpint (disk_at (desc, 3)->kind, ==, VT_DISK_PATH);
  g_assert_cmpstr (disk_at (desc, 3)->path, ==, "/srv/vm/x.qcow2");
  g_assert_cmpstr (disk_at (desc, 3)->format, ==, "qcow2");
  g_assert_null (disk_at (desc, 3)->pool);
  g_assert_null (disk_at (desc, 0)->format);
  g_assert_cmpint (disk_at (desc, 4)->kind, ==, VT_DISK_NEW);
  g_assert_cmpuint (disk_at (desc, 4)->size, ==, 0);   /* storage.capacity decides */

  g_assert_cmpuint (desc->networks->len, ==, 2);
  g_assert_cmpint (net_at (desc, 0)->kind, ==, VT_NET_NETWORK);
  g_assert_cmpstr (net_at (desc, 0)->source, ==, "default");
  g_assert_cmpstr (net_at (desc, 0)->mac, ==, "52:54:00:ab:cd:56");
  g_assert_cmpint (net_at (desc, 1)->kind, ==, VT_NET_BRIDGE);
  g_assert_cmpstr (net_at (desc, 1)->source, ==, "br0");
  g_assert_null (net_at (desc, 1)->mac);

  g_assert_cmpstr (desc->graphics, ==, "vnc");
  g_assert_cmpstr (desc->firmware, ==, "efi");
  g_assert_cmpint (desc->secure_boot, ==, 1);
  g_assert_cmpint (desc->tpm, ==, 1);

  g_assert_cmpuint (desc->settings->len, ==, 4);
  g_assert_cmpstr (setting_at (desc, 0)->key, ==, "guest.video");
  g_assert_cmpstr (setting_at (desc, 0)->value, ==, "qxl");
  g_assert_cmpstr (setting_at (desc, 1)->key, ==, "guest.features");
  g_assert_cmpstr (setting_at (desc, 1)->value, ==, "acpi apic smm");
  g_assert_cmpstr (setting_at (desc, 2)->value, ==, "8MiB");
  g_assert_cmpstr (setting_at (desc, 3)->value, ==, "off");
}

static void
test_full (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = parse (full_yaml, &error);

  g_assert_no_error (error);
  assert_full_description (desc);
  /* Positions are kept for later errors (merge, host checks) to point at. */
  g_assert_cmpuint (disk_at (desc, 1)->line, ==, 11);
  g_assert_cmpuint (disk_at (desc, 1)->column, ==, 5);
  g_assert_cmpuint (net_at (desc, 1)->line, ==, 19);
  g_assert_cmpuint (setting_at (desc, 0)->line, ==, 25);
  g_assert_cmpuint (setting_at (desc, 0)->column, ==, 16);
}

static void
test_json (void)
{
  static const char json[] =
    "{\n"
    "  \"name\": \"web01\",\n"
    "  \"scenario\": [\"securevm\", \"hugepages\"],\n"
    "  \"os\": \"opensuse15.4\",\n"
    "  \"vcpus\": 4,\n"
    "  \"memory\": 4096,\n"
    "  \"cpu\": {\"topology\": {\"sockets\": 1, \"cores\": 2, \"threads\": 2}},\n"
    "  \"disks\": [\n"
    "    {\"pool\": \"default\", \"size\": \"20GiB\"},\n"
    "    {\"volume\": \"default/base.qcow2\"},\n"
    "    {\"cdrom\": \"isos/install.iso\"},\n"
    "    {\"path\": \"/srv/vm/x.qcow2\", \"format\": \"qcow2\"},\n"
    "    {\"pool\": \"fast\"}\n"
    "  ],\n"
    "  \"networks\": [{\"network\": \"default\", \"mac\": \"52:54:00:AB:cd:56\"},\n"
    "               {\"bridge\": \"br0\"}],\n"
    "  \"graphics\": \"vnc\", \"firmware\": \"efi\", \"secure_boot\": true, \"tpm\": true,\n"
    "  \"settings\": {\"guest.video\": \"qxl\", \"guest.features\": [\"acpi\", \"apic\", \"smm\"],\n"
    "               \"storage.cluster_size\": \"8M\", \"guest.cpu.migratable\": false}\n"
    "}\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = parse (json, &error);

  g_assert_no_error (error);
  assert_full_description (desc);

  /* Compact and tab-indented JSON, as tools emit it. */
  {
    g_autoptr (VtDescription) compact =
      parse ("{\n\t\"name\":\"c\",\n\t\"vcpus\":2,\"tpm\":false,\"disks\":[]}", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (compact->name, ==, "c");
    g_assert_cmpuint (compact->vcpus, ==, 2);
    g_assert_cmpint (compact->tpm, ==, 0);
  }
  /* Errors in JSON carry positions too. */
  assert_refused ("{\"name\": \"a\",\n \"vcpus\": \"four\"}", "vcpus (line 2, column 11): ",
                  "'four' is not a whole number");
}

static void
test_minimal_and_defaults (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = parse ("name: a\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (desc->name, ==, "a");
  g_assert_cmpuint (desc->scenarios->len, ==, 0);
  g_assert_null (desc->os);
  g_assert_cmpuint (desc->vcpus, ==, 0);
  g_assert_cmpuint (desc->memory, ==, 0);
  g_assert_cmpuint (desc->sockets + desc->cores + desc->threads, ==, 0);
  g_assert_cmpuint (desc->disks->len + desc->networks->len + desc->settings->len, ==, 0);
  g_assert_null (desc->graphics);
  g_assert_null (desc->firmware);
  g_assert_cmpint (desc->secure_boot, ==, -1);
  g_assert_cmpint (desc->tpm, ==, -1);
}

static void
test_scalar_forms (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc =
    parse ("name: \"a\"\nscenario: desktop\nmemory: 512 M\nsecure_boot: off\ntpm: \"No\"\n"
           "settings: {guest.features: 'acpi, apic', guest.memballoon: yes}\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (desc->scenarios->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (desc->scenarios, 0), ==, "desktop");
  g_assert_cmpuint (desc->memory, ==, 512 * MiB);
  g_assert_cmpint (desc->secure_boot, ==, 0);
  g_assert_cmpint (desc->tpm, ==, 0);
  g_assert_cmpstr (setting_at (desc, 0)->value, ==, "acpi apic");
  g_assert_cmpstr (setting_at (desc, 1)->value, ==, "on");
}

/* Every sample in tests/data/descriptions: good ones parse, bad-* ones are refused. */
static void
test_sample_files (void)
{
  const char *root = g_getenv ("VT_SOURCE_ROOT");
  g_autofree char *dir_path = NULL;
  g_autoptr (GDir) dir = NULL;
  const char *name;
  guint n_good = 0, n_bad = 0;

  /* meson test always sets it; without it the sample files would go unchecked. */
  g_assert_nonnull (root);
  dir_path = g_build_filename (root, "tests", "data", "descriptions", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (VtDescription) desc = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      desc = vt_description_parse (text, len, &error);
      if (g_str_has_prefix (name, "bad-"))
        {
          g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
          n_bad++;
          continue;
        }
      if (error)
        g_error ("%s: %s", name, error->message);
      g_assert_cmpuint (desc->disks->len, >=, 1);
      n_good++;
    }
  g_assert_cmpuint (n_good, >=, 3);
  g_assert_cmpuint (n_bad, >=, 3);
}

/* ---- errors: key path, line, column ----------------------------------------------- */

typedef struct {
  const char *text;
  const char *prefix;
  const char *sentence;
} ErrorCase;

static void
run_error_cases (const ErrorCase *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    assert_refused (cases[i].text, cases[i].prefix, cases[i].sentence);
}

static void
test_errors_structure (void)
{
  static const ErrorCase cases[] = {
    { "- a\n- b\n", "document (line 1, column 1): ", "must be a mapping of keys" },
    { "just words\n", "document (line 1, column 1): ", "got a scalar" },
    { "---\n", "document (line", "got nothing" },
    { "vcpus: 2\nmemory: 1G\n", "name (line 1, column 1): ", "a description needs a name" },
    { "name: a\nnmae: b\n", "nmae (line 2, column 1): ", "unknown key 'nmae' (known keys: name," },
    { "name: a\nvcpus: 4\ncpu:\n  topology: {sockets: 1, cores: 4, threads: 1}\n"
      "  topolgy: {sockets: 2}\n",
      "cpu.topolgy (line 5, column 3): ", "unknown key 'topolgy'" },
    { "name: a\ncpu: [1]\n", "cpu (line 2, column 6): ", "expected a mapping, got a list" },
    { "name: a\ncpu:\n  topology: 2\n", "cpu.topology (line 3, column 13): ",
      "expected a mapping, got a scalar" },
    { "name: [a]\n", "name (line 1, column 7): ", "expected a scalar, got a list" },
    { "name:\nvcpus: 1\n", "name (line 1, column 6): ", "expected a scalar, got nothing" },
    { "name: ~\n", "name (line 1, column 7): ", "got nothing" },
    { "name: a\ndisks: {pool: x}\n", "disks (line 2, column 8): ",
      "expected a list, got a mapping" },
    { "name: a\nsettings: [guest.video]\n", "settings (line 2, column 11): ",
      "expected a mapping of setting keys to values, got a list" },
    { "name: a\nname: b\n", "description (line 2, column 1): ", "duplicate key 'name'" },
    { "name: a\nvcpus: [1\n", "description (line 3, column 1): ", "invalid YAML" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_numbers (void)
{
  static const ErrorCase cases[] = {
    { "name: a\nvcpus: 0\n", "vcpus (line 2, column 8): ", "0 is out of range (allowed: 1..4096)" },
    { "name: a\nvcpus: 4097\n", "vcpus (line 2, column 8): ", "4097 is out of range (allowed: 1..4096)" },
    { "name: a\nvcpus: 99999999999999999999999\n", "vcpus (line 2, column 8): ", "out of range" },
    { "name: a\nvcpus: -1\n", "vcpus (line 2, column 8): ", "'-1' is not a whole number" },
    { "name: a\nvcpus: 2.5\n", "vcpus (line 2, column 8): ", "'2.5' is not a whole number" },
    { "name: a\nvcpus: four\n", "vcpus (line 2, column 8): ", "'four' is not a whole number" },
    { "name: a\nvcpus: 2\nmemory: 4 parsecs\n", "memory (line 3, column 9): ",
      "'4 parsecs' is not a size" },
    { "name: a\nmemory: 32MiB\n", "memory (line 2, column 9): ",
      "'32MiB' is out of range (allowed: size 64MiB..16TiB)" },
    { "name: a\nmemory: 63\n", "memory (line 2, column 9): ", "out of range" },
    { "name: a\nmemory: 17T\n", "memory (line 2, column 9): ", "out of range" },
    { "name: a\nmemory: -4G\n", "memory (line 2, column 9): ", "is not a size" },
    { "name: a\nmemory: 99999999999999999999T\n", "memory (line 2, column 9): ",
      "size '99999999999999999999T' is too large" },
    /* Issue 8: YAML 1.1 reads 010 as octal 8; refused rather than read as 10. */
    { "name: a\nvcpus: 010\n", "vcpus (line 2, column 8): ",
      "'010' has a leading zero (YAML 1.1 would read it as octal); write the number "
      "without it" },
    { "name: a\nvcpus: 4\ncpu:\n  topology: {sockets: 01, cores: 4, threads: 1}\n",
      "cpu.topology.sockets (line 4, column 23): ", "'01' has a leading zero" },
    { "name: a\nmemory: 0100\n", "memory (line 2, column 9): ", "'0100' is not a size" },
    /* Issue 8: memory goes to libvirt in KiB; a byte remainder is refused, not dropped. */
    { "name: a\nmemory: 67108865B\n", "memory (line 2, column 9): ",
      "'67108865B' is not a multiple of 1KiB: guest.memory reaches libvirt in whole 1KiB "
      "units and is not rounded" },
    { "name: a\nsettings:\n  guest.memory: 67109000 B\n",
      "settings.guest.memory (line 3, column 17): ", "'67109000 B' is not a multiple of 1KiB" },
    /* Issue 8: the caller's text is echoed escaped, never as raw terminal escapes. */
    { "name: a\nmemory: \"\\e]0;PWNED\\a\\e[2J1GiB\"\n", "memory (line 2, column 9): ",
      "'\\x1b]0;PWNED\\x07\\x1b[2J1GiB' is not a size" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_topology (void)
{
  static const ErrorCase cases[] = {
    { "name: a\nvcpus: 6\ncpu:\n  topology: {sockets: 2, cores: 2, threads: 2}\n",
      "cpu.topology (line 4, column 13): ",
      "sockets x cores x threads = 2 x 2 x 2 = 8, but vcpus is 6" },
    { "name: a\ncpu:\n  topology: {sockets: 1, cores: 2, threads: 2}\n",
      "cpu.topology (line 3, column 13): ", "needs vcpus to be given too" },
    { "name: a\nvcpus: 4\ncpu:\n  topology: {sockets: 2, cores: 2}\n",
      "cpu.topology.threads (line 4, column 13): ", "needs all of sockets, cores and threads" },
    { "name: a\nvcpus: 4\ncpu:\n  topology: {sockets: 0, cores: 2, threads: 2}\n",
      "cpu.topology.sockets (line 4, column 23): ", "0 is out of range (allowed: 1..4096)" },
    { "name: a\nvcpus: 4\ncpu:\n  topology: {sockets: 1, cores: 2, threads: 2, dies: 1}\n",
      "cpu.topology.dies (line 4, column 48): ", "unknown key 'dies'" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_scenario_os (void)
{
  static const ErrorCase cases[] = {
    { "name: a\nscenario: Desktop\n", "scenario (line 2, column 11): ",
      "'Desktop' is not a valid scenario name (1..64 of a-z, 0-9, _ and -)" },
    { "name: a\nscenario: [desktop, \"hugepages!\"]\n", "scenario[1] (line 2, column 21): ",
      "not a valid scenario name" },
    { "name: a\nscenario: [desktop, desktop]\n", "scenario[1] (line 2, column 21): ",
      "scenario 'desktop' is listed twice" },
    { "name: a\nscenario: [a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q]\n",
      "scenario (line 2, column 11): ", "17 scenarios listed (at most 16)" },
    { "name: a\nscenario: [[desktop]]\n", "scenario[0] (line 2, column 12): ",
      "expected a scalar, got a list" },
    { "name: a\nos: Fedora 39\n", "os (line 2, column 5): ", "is not a libosinfo short-id" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_disks (void)
{
  static const ErrorCase cases[] = {
    { "name: big01\nmemory: 4GiB\ndisks:\n  - pool: default\n    size: 20GiB\n"
      "  - pool: default\n    size: 20 parsecs\n",
      "disks[1].size (line 7, column 11): ", "'20 parsecs' is not a size" },
    { "name: a\ndisks: [{pool: default, size: 100T}]\n", "disks[0].size (line 2, column 31): ",
      "out of range (allowed: size 1MiB..64TiB)" },
    { "name: a\ndisks: [default]\n", "disks[0] (line 2, column 9): ",
      "expected a mapping, got a scalar" },
    { "name: a\ndisks:\n  - size: 2G\n", "disks[0] (line 3, column 5): ",
      "a disk needs one of pool, volume, cdrom or path" },
    { "name: a\ndisks:\n  - pool: x\n    volume: x/y\n", "disks[0].volume (line 4, column 5): ",
      "only one of pool, volume, cdrom or path ('pool' is already given)" },
    { "name: a\ndisks:\n  - volume: x/y\n    size: 1G\n", "disks[0].size (line 4, column 11): ",
      "'size' only applies to a new volume" },
    { "name: a\ndisks:\n  - pool: x\n    format: raw\n", "disks[0].format (line 4, column 5): ",
      "'format' only applies to an existing image given by path" },
    { "name: a\ndisks:\n  - volume: x/y\n    format: raw\n",
      "disks[0].format (line 4, column 5): ", "'format' only applies to an existing image" },
    { "name: a\ndisks:\n  - path: /srv/x.img\n    format: vmdk\n",
      "disks[0].format (line 4, column 13): ", "'vmdk' is not one of qcow2|raw" },
    { "name: a\ndisks:\n  - path: /srv/x.img\n    format: [raw]\n",
      "disks[0].format (line 4, column 13): ", "expected a scalar, got a list" },
    { "name: a\ndisks: [{volume: base.qcow2}]\n", "disks[0].volume (line 2, column 18): ",
      "'base.qcow2' is not of the form POOL/VOLUME" },
    { "name: a\ndisks: [{cdrom: \"isos/<x>\"}]\n", "disks[0].cdrom (line 2, column 17): ",
      "POOL/VOLUME with two valid names" },
    { "name: a\ndisks: [{volume: a/b/c}]\n", "disks[0].volume (line 2, column 18): ",
      "POOL/VOLUME" },
    { "name: a\ndisks: [{pool: -x}]\n", "disks[0].pool (line 2, column 16): ",
      "'-x' is not a valid pool name: a name may not start with '-' or '.'" },
    { "name: a\ndisks: [{path: srv/x.img}]\n", "disks[0].path (line 2, column 16): ",
      "a disk path must be absolute" },
    { "name: a\ndisks: [{path: /srv/../etc/shadow}]\n", "disks[0].path (line 2, column 16): ",
      "may not contain '..' components" },
    { "name: a\ndisks: [{path: /srv/vm/..}]\n", "disks[0].path (line 2, column 16): ",
      "'..' components" },
    { "name: a\ndisks: [{path: \"/srv/\\x01x\"}]\n", "disks[0].path (line 2, column 16): ",
      "'/srv/\\x01x' is not accepted: a disk path may not contain control characters" },
    { "name: a\ndisks: [{path: /srv/vm/}]\n", "disks[0].path (line 2, column 16): ",
      "must name a file" },
    { "name: a\ndisks: [{path: \"/srv/x\\0.img\"}]\n", "description (line 2, column 16): ",
      "NUL character" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_networks (void)
{
  static const ErrorCase cases[] = {
    { "name: a\nnetworks:\n  - mac: \"52:54:00:00:00:01\"\n", "networks[0] (line 3, column 5): ",
      "needs one of network or bridge" },
    { "name: a\nnetworks: [{network: default, bridge: br0}]\n",
      "networks[0].network (line 2, column 22): ", "only one of network or bridge" },
    { "name: a\nnetworks: [{bridge: br0123456789abcd}]\n",
      "networks[0].bridge (line 2, column 21): ", "is not a valid bridge name (1..15" },
    { "name: a\nnetworks: [{bridge: \"br 0\"}]\n", "networks[0].bridge (line 2, column 21): ",
      "not a valid bridge name" },
    { "name: a\nnetworks: [{network: \"def'ault\"}]\n",
      "networks[0].network (line 2, column 22): ", "may not contain quote characters" },
    { "name: a\nnetworks: [{network: default, mac: \"52:54:00:12:34\"}]\n",
      "networks[0].mac (line 2, column 36): ", "is not a MAC address (xx:xx:xx:xx:xx:xx)" },
    { "name: a\nnetworks: [{network: default, mac: \"52:54:00:12:34:5g\"}]\n",
      "networks[0].mac (line 2, column 36): ", "is not a MAC address" },
    { "name: a\nnetworks: [{network: default, mac: \"52:54:00:12:34:56:78\"}]\n",
      "networks[0].mac (line 2, column 36): ", "is not a MAC address" },
    { "name: a\nnetworks: [{network: default, mac: \"01:00:5e:00:00:01\"}]\n",
      "networks[0].mac (line 2, column 36): ", "multicast" },
    { "name: a\nnetworks: [{network: default, mac: \"00:00:00:00:00:00\"}]\n",
      "networks[0].mac (line 2, column 36): ", "not a usable MAC address" },
    { "name: a\nnetworks: [{network: default, model: e1000}]\n",
      "networks[0].model (line 2, column 31): ", "unknown key 'model'" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_choices_flags (void)
{
  static const ErrorCase cases[] = {
    { "name: a\ngraphics: rdp\n", "graphics (line 2, column 11): ",
      "'rdp' is not one of spice|vnc|none" },
    { "name: a\nfirmware: uefi\n", "firmware (line 2, column 11): ",
      "'uefi' is not one of auto|bios|efi" },
    { "name: a\nsecure_boot: maybe\n", "secure_boot (line 2, column 14): ",
      "'maybe' is not a boolean (use true or false)" },
    { "name: a\ntpm: [on]\n", "tpm (line 2, column 6): ", "expected a scalar, got a list" },
    { "name: a\ntpm: 1\n", "tpm (line 2, column 6): ", "is not a boolean" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_errors_settings (void)
{
  static const ErrorCase cases[] = {
    { "name: a\nsettings:\n  guest.vide: qxl\n", "settings.guest.vide (line 3, column 3): ",
      "unknown setting 'guest.vide'" },
    { "name: a\nsettings:\n  guest.video: cirrus\n", "settings.guest.video (line 3, column 16): ",
      "'cirrus' is not a valid value for guest.video (allowed: none|virtio|qxl" },
    { "name: a\nsettings:\n  guest.video: [qxl]\n", "settings.guest.video (line 3, column 16): ",
      "expected a scalar, got a list" },
    { "name: a\nsettings:\n  guest.features: [acpi, [apic]]\n",
      "settings.guest.features[1] (line 3, column 26): ", "expected a scalar, got a list" },
    { "name: a\nsettings:\n  guest.features: [acpi, warp]\n",
      "settings.guest.features[1] (line 3, column 26): ",
      "'warp' is not a valid value for guest.features" },
    /* The key is caller text too: escaped and bounded in the path and the sentence. */
    { "name: a\nsettings:\n  \"gu\\x01est\": on\n", "settings.gu\\x01est (line 3, column 3): ",
      "unknown setting 'gu\\x01est'" },
    { "name: a\n\"na\\tme\": b\n", "na\\x09me (line 2, column 1): ", "unknown key 'na\\x09me'" },
    { "name: a\nsettings:\n  guest.video: \"q\\x1bxl\"\n",
      "settings.guest.video (line 3, column 16): ", "'q\\x1bxl' is not a valid value" },
    { "name: a\nsettings:\n  host.swappiness: 300\n", "settings.host.swappiness (line 3, column 20): ",
      "(allowed: 0..200)" },
    { "name: a\nsettings:\n  storage.cluster_size: 3K\n",
      "settings.storage.cluster_size (line 3, column 25): ", "is not a valid value" },
    { "name: a\nsettings:\n  guest.memballoon: {on: yes}\n",
      "settings.guest.memballoon (line 3, column 21): ", "expected a scalar, got a mapping" },
  };

  run_error_cases (cases, G_N_ELEMENTS (cases));
}

/* ---- names ------------------------------------------------------------------------- */

static void
test_name_rules (void)
{
  g_autofree char *max_name = g_strnfill (64, 'n');
  g_autofree char *long_name = g_strnfill (65, 'n');
  g_autofree char *long_doc = g_strdup_printf ("name: %s\n", long_name);
  g_autofree char *max_doc = g_strdup_printf ("name: %s\n", max_name);
  g_autoptr (VtDescription) max_desc = parse (max_doc, NULL);
  static const char *const good[] = { "a", "web01", "A_b.c+d-e", "9lives", NULL };
  static const char *const bad[] = { "", "-a", ".a", "a b", "a/b", "a\"b", "a'b", "a<b",
                                     "wéb", "a\nb", NULL };

  g_assert_nonnull (max_desc);
  g_assert_cmpstr (max_desc->name, ==, max_name);
  assert_refused (long_doc, "name (line 1, column 7): ", "a name is at most 64 characters long");
  assert_refused ("name: \"web\\\"01\"\n", "name (line 1, column 7): ",
                  "'web\"01' is not a valid name: a name may not contain quote characters");
  assert_refused ("name: \"it's\"\n", "name (line 1, column 7): ", "may not contain quote");
  assert_refused ("name: \"<script>\"\n", "name (line 1, column 7): ",
                  "a name may not contain '<', '>' or '&'");
  assert_refused ("name: -web\n", "name (line 1, column 7): ", "may not start with '-' or '.'");
  assert_refused ("name: .web\n", "name (line 1, column 7): ", "may not start with '-' or '.'");
  assert_refused ("name: \"\"\n", "name (line 1, column 7): ", "a name may not be empty");
  assert_refused ("name: a b\n", "name (line 1, column 7): ",
                  "may only contain letters, digits and the characters _ . + -");
  assert_refused ("name: \"a\\tb\"\n", "name (line 1, column 7): ", "'a\\x09b' is not a valid");

  for (guint i = 0; good[i]; i++)
    g_assert_true (vt_name_is_valid (good[i]));
  for (guint i = 0; bad[i]; i++)
    g_assert_false (vt_name_is_valid (bad[i]));
  g_assert_true (vt_name_is_valid (max_name));
  g_assert_false (vt_name_is_valid (long_name));
  g_assert_false (vt_name_is_valid (NULL));
}

/* Long bad values are shortened in messages: the caller sent them, no need to echo 4 KiB. */
static void
test_long_value_echo (void)
{
  g_autofree char *junk = g_strnfill (4000, 'q');
  g_autofree char *doc = g_strdup_printf ("name: a\ngraphics: %s\n", junk);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = parse (doc, &error);

  g_assert_null (desc);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_true (strstr (error->message, "qqq...' is not one of"));
  g_assert_cmpuint (strlen (error->message), <, 200);
}

/* ---- limits ------------------------------------------------------------------------ */

static char *
list_doc (const char *key, const char *item, guint n)
{
  GString *doc = g_string_new ("name: a\n");

  g_string_append_printf (doc, "%s: [", key);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (doc, "%s%s", i ? ", " : "", item);
  g_string_append (doc, "]\n");
  return g_string_free (doc, FALSE);
}

static void
test_limit_list_lengths (void)
{
  g_autofree char *disks_32 = list_doc ("disks", "{pool: default}", 32);
  g_autofree char *disks_33 = list_doc ("disks", "{pool: default}", 33);
  g_autofree char *nets_32 = list_doc ("networks", "{network: default}", 32);
  g_autofree char *nets_33 = list_doc ("networks", "{network: default}", 33);
  g_autoptr (VtDescription) ok_disks = parse (disks_32, NULL);
  g_autoptr (VtDescription) ok_nets = parse (nets_32, NULL);

  g_assert_nonnull (ok_disks);
  g_assert_cmpuint (ok_disks->disks->len, ==, 32);
  g_assert_nonnull (ok_nets);
  g_assert_cmpuint (ok_nets->networks->len, ==, 32);
  assert_refused (disks_33, "disks (line 2, column 8): ", "33 disks listed (at most 32)");
  assert_refused (nets_33, "networks (line 2, column 11): ", "33 networks listed (at most 32)");
}

/* A valid description padded with a comment to exactly @size bytes. */
static char *
padded_doc (gsize size)
{
  static const char head[] = "name: a\n#";
  GString *doc = g_string_new (head);

  while (doc->len < size - 1)
    g_string_append_c (doc, 'x');
  g_string_append_c (doc, '\n');
  return g_string_free (doc, FALSE);
}

static void
test_limit_document_size (void)
{
  g_autofree char *at_limit = padded_doc (VT_DESCRIPTION_MAX_BYTES);
  g_autofree char *too_big = padded_doc (65 * 1024);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) ok = vt_description_parse (at_limit, strlen (at_limit), &error);
  g_autoptr (VtDescription) refused = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  refused = vt_description_parse (too_big, strlen (too_big), &error);
  g_assert_null (refused);
  g_assert_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION);
  g_assert_cmpstr (error->message, ==, "description is too large: 66560 bytes (limit 65536)");
}

/* The classic "billion laughs": ten levels of ten aliases each would be 10^10 nodes if
 * expanded. It must be refused at the first anchor, without building anything big. */
static void
test_limit_alias_bomb (void)
{
  GString *bomb = g_string_new ("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                                "\"lol\",\"lol\"]\n");
  g_autofree char *text = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();

  for (char level = 'b'; level <= 'j'; level++)
    {
      g_string_append_printf (bomb, "%c: &%c [", level, level);
      for (guint i = 0; i < 10; i++)
        g_string_append_printf (bomb, "%s*%c", i ? "," : "", level - 1);
      g_string_append (bomb, "]\n");
    }
  text = g_string_free (bomb, FALSE);
  assert_refused (text, "description (line 1, column 4): ", "YAML anchors are not accepted");
  /* Aliases to nothing (no anchor at all) are refused as well. */
  assert_refused ("name: a\nscenario: [*x, *x]\n", "description (line 2, column 12): ",
                  "YAML aliases are not accepted");
  /* Generous bound: an expansion would take minutes, not a second (even under valgrind). */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 5.0);
}

static void
test_limit_nodes_depth (void)
{
  g_autofree char *many = list_doc ("scenario", "a", 5000);
  g_autofree char *deep = g_strdup_printf ("name: a\nsettings: %s%s\n", "[[[[[[[[[[x",
                                           "]]]]]]]]]]");

  assert_refused (many, "description (line 2, column ", "too many YAML nodes (limit 4096)");
  assert_refused (deep, "description (line 2, column 18): ", "nesting is too deep");
}

/* ---- sev: guest-owner launch data ---------------------------------------------------- */

/* Base64 of @len pattern bytes. */
static char *
blob (gsize len)
{
  g_autofree guint8 *bytes = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    bytes[i] = (guint8) (i * 13 + 5);
  return g_base64_encode (bytes, len);
}

/* "name: v\nsev:\n" with the three keys (NULL: the right-sized blob) and @extra lines. */
static char *
sev_text (const char *cert, const char *session, const char *policy, const char *extra)
{
  g_autofree char *good_cert = blob (VT_SEV_DH_CERT_BYTES);
  g_autofree char *good_session = blob (VT_SEV_SESSION_BYTES);

  return g_strdup_printf ("name: v\nsev:\n  dh_cert: %s\n  session: %s\n  policy: %s\n%s",
                          cert ? cert : good_cert, session ? session : good_session,
                          policy ? policy : "0x0007", extra ? extra : "");
}

static void
test_sev_launch_data (void)
{
  g_autofree char *cert = blob (VT_SEV_DH_CERT_BYTES);
  g_autofree char *session = blob (VT_SEV_SESSION_BYTES);
  g_autofree char *text = sev_text (NULL, NULL, "0X37", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtDescription) desc = parse (text, &error);
  g_autoptr (VtDescription) none = parse ("name: v\n", &error);

  g_assert_no_error (error);
  g_assert_nonnull (desc->sev);
  g_assert_cmpstr (desc->sev->dh_cert, ==, cert);
  g_assert_cmpstr (desc->sev->session, ==, session);
  g_assert_cmpstr (desc->sev->policy, ==, "0x0037");
  g_assert_cmpuint (desc->sev->policy_bits, ==, 0x37);
  g_assert_cmpuint (strlen (cert), ==, 2780);
  g_assert_cmpuint (strlen (session), ==, 172);
  g_assert_null (none->sev);
}

static void
test_sev_errors (void)
{
  g_autofree char *short_cert = blob (VT_SEV_DH_CERT_BYTES - 1);
  g_autofree char *api_0x70 = blob (0x70);   /* 112 bytes: not the SEV API's session */
  g_autofree char *long_session = blob (VT_SEV_SESSION_BYTES + 3);
  g_autofree char *huge_cert = blob (3000);
  g_autofree char *bad_char = blob (VT_SEV_SESSION_BYTES);
  g_autofree char *url_safe = blob (VT_SEV_SESSION_BYTES);
  g_autofree char *t = NULL;

  bad_char[10] = '*';
  url_safe[20] = '-';
#define REFUSED(text, prefix, sentence)                                                     \
  do {                                                                                      \
    g_free (t);                                                                             \
    t = text;                                                                               \
    assert_refused (t, prefix, sentence);                                                   \
  } while (0)
  REFUSED (sev_text (short_cert, NULL, NULL, NULL), "sev.dh_cert (line 3, column 12): ",
           "base64 of 2083 bytes, but a SEV Diffie-Hellman certificate is 2084 bytes");
  REFUSED (sev_text (NULL, api_0x70, NULL, NULL), "sev.session (line 4, column 12): ",
           "base64 of 112 bytes, but a SEV LAUNCH_START session blob is 128 bytes");
  REFUSED (sev_text (NULL, long_session, NULL, NULL), "sev.session (line 4, column 12): ",
           "176 characters is too long for base64 of a SEV LAUNCH_START session blob (128 "
           "bytes: 172 characters)");
  REFUSED (sev_text (huge_cert, NULL, NULL, NULL), "sev.dh_cert (line 3, column 12): ",
           "4000 characters is too long");
  REFUSED (sev_text (NULL, bad_char, NULL, NULL), "sev.session (line 4, column 12): ",
           "not base64 (A-Z a-z 0-9 + /");
  REFUSED (sev_text (NULL, url_safe, NULL, NULL), "sev.session", "not base64");
  REFUSED (sev_text (NULL, "QUJD\n    REVG", NULL, NULL), "sev.session (line 4, column 12): ",
           "base64 must be given on one line");
  REFUSED (sev_text (NULL, "QUJD====", NULL, NULL), "sev.session", "not base64");
  REFUSED (sev_text (NULL, NULL, "auto", NULL), "sev.policy (line 5, column 11): ",
           "'auto' is not a 32-bit policy word");
  REFUSED (sev_text (NULL, NULL, "7", NULL), "sev.policy", "'7' is not a 32-bit policy word");
  REFUSED (sev_text (NULL, NULL, "0x100000000", NULL), "sev.policy",
           "is not a 32-bit policy word");
  REFUSED (sev_text (NULL, NULL, "[0x3]", NULL), "sev.policy", "expected a scalar");
  REFUSED (sev_text (NULL, NULL, NULL, "  tik: c2VjcmV0\n"), "sev.tik (line 6, column 3): ",
           "unknown key 'tik' (known keys: dh_cert, session, policy)");
  REFUSED (g_strdup ("name: v\nsev:\n  policy: 0x3\n"), "sev (line 3, column 3): ",
           "launch data needs all of dh_cert, session and policy (missing: dh_cert)");
  REFUSED (g_strdup ("name: v\nsev: 0x3\n"), "sev (line 2, column 6): ", "expected a mapping");
#undef REFUSED
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/description/valid/full", test_full);
  g_test_add_func ("/description/valid/json", test_json);
  g_test_add_func ("/description/valid/minimal", test_minimal_and_defaults);
  g_test_add_func ("/description/valid/scalar-forms", test_scalar_forms);
  g_test_add_func ("/description/valid/sample-files", test_sample_files);
  g_test_add_func ("/description/errors/structure", test_errors_structure);
  g_test_add_func ("/description/errors/numbers", test_errors_numbers);
  g_test_add_func ("/description/errors/topology", test_errors_topology);
  g_test_add_func ("/description/errors/scenario-os", test_errors_scenario_os);
  g_test_add_func ("/description/errors/disks", test_errors_disks);
  g_test_add_func ("/description/errors/networks", test_errors_networks);
  g_test_add_func ("/description/errors/choices-flags", test_errors_choices_flags);
  g_test_add_func ("/description/errors/settings", test_errors_settings);
  g_test_add_func ("/description/sev/launch-data", test_sev_launch_data);
  g_test_add_func ("/description/sev/errors", test_sev_errors);
  g_test_add_func ("/description/names", test_name_rules);
  g_test_add_func ("/description/long-value-echo", test_long_value_echo);
  g_test_add_func ("/description/limits/list-lengths", test_limit_list_lengths);
  g_test_add_func ("/description/limits/document-size", test_limit_document_size);
  g_test_add_func ("/description/limits/alias-bomb", test_limit_alias_bomb);
  g_test_add_func ("/description/limits/nodes-depth", test_limit_nodes_depth);
  return g_test_run ();
}
