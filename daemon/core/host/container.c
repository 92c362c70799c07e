#include "host/container.h"

#include <string.h>

/* First line of @rel under @sysroot, stripped; NULL when absent, unreadable or empty. */
static char *
read_first_line (const char *sysroot, const char *rel)
{
  g_autofree char *path = g_build_filename (sysroot, rel, NULL);
  g_autofree char *text = NULL;
  char *newline;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  newline = strchr (text, '\n');
  if (newline)
    *newline = '\0';
  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static gboolean
exists_under (const char *sysroot, const char *rel)
{
  g_autofree char *path = g_build_filename (sysroot, rel, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The value of container= in PID 1's NUL-separated environment, or NULL. */
static char *
pid1_container_variable (const char *sysroot)
{
  g_autofree char *path = g_build_filename (sysroot, "proc/1/environ", NULL);
  g_autofree char *env = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &env, &len, NULL))
    return NULL;
  for (gsize at = 0; at < len; at += strlen (env + at) + 1)
    {
      const char *var = env + at;

      if (g_str_has_prefix (var, "container=") && var[strlen ("container=")] != '\0')
        return g_strdup (var + strlen ("container="));
    }
  return NULL;
}

static gboolean
is_wsl (const char *sysroot)
{
  g_autofree char *release = read_first_line (sysroot, "proc/sys/kernel/osrelease");

  return release && (strstr (release, "Microsoft") || strstr (release, "WSL"));
}

char *
vt_container_detect (const char *sysroot)
{
  char *name;

  if (exists_under (sysroot, "proc/vz") && !exists_under (sysroot, "proc/bc"))
    return g_strdup ("openvz");
  if (is_wsl (sysroot))
    return g_strdup ("wsl");
  if ((name = read_first_line (sysroot, "run/host/container-manager")))
    return name;
  if ((name = read_first_line (sysroot, "run/systemd/container")))
    return name;
  if ((name = pid1_container_variable (sysroot)))
    return name;
  if (exists_under (sysroot, "run/.containerenv"))
    return g_strdup ("podman");
  if (exists_under (sysroot, ".dockerenv"))
    return g_strdup ("docker");
  return NULL;
}
