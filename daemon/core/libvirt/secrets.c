/* virtuned — the LUKS secret of a new encrypted volume. The passphrase only ever lives
 * in this process's memory (wiped after use) and in libvirt: never in a log, a file of
 * virtuned's or a command line. */
#include "libvirt/secrets.h"

#include <string.h>

#include <libxml/tree.h>

#include "libvirt/virt-error.h"
#include "util/random.h"
#include "util/xml.h"

#define LUKS_KEY_BYTES 32

void
vt_secrets_passphrase_free (VtPassphrase *passphrase)
{
  if (passphrase != NULL)
    explicit_bzero (passphrase, strlen (passphrase));
  g_free (passphrase);
}

VtPassphrase *
vt_secrets_new_passphrase (GError **error)
{
  guint8 key[LUKS_KEY_BYTES];
  char *text;

  if (!vt_random_fill (key, sizeof key, error))
    return NULL;
  text = g_base64_encode (key, sizeof key);
  explicit_bzero (key, sizeof key);
  return text;
}

char *
vt_secrets_xml (const char *volume_path)
{
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNodePtr root = xmlNewNode (NULL, (const xmlChar *) "secret");
  xmlNodePtr usage;
  g_autofree char *description = g_strdup_printf ("virtuned LUKS passphrase of %s",
                                                  volume_path);
  char *text;

  xmlDocSetRootElement (doc, root);
  /* Persistent (the volume outlives the daemon) and private (never readable back
   * through the API: only libvirt itself uses it to open the volume). */
  xmlSetProp (root, (const xmlChar *) "ephemeral", (const xmlChar *) "no");
  xmlSetProp (root, (const xmlChar *) "private", (const xmlChar *) "yes");
  xmlNewTextChild (root, NULL, (const xmlChar *) "description", (const xmlChar *) description);
  usage = xmlNewChild (root, NULL, (const xmlChar *) "usage", NULL);
  xmlSetProp (usage, (const xmlChar *) "type", (const xmlChar *) "volume");
  xmlNewTextChild (usage, NULL, (const xmlChar *) "volume", (const xmlChar *) volume_path);
  text = vt_xml_to_string (doc);
  xmlFreeDoc (doc);
  return text;
}

gboolean
vt_secrets_create_luks (virConnectPtr conn, const char *volume_path, virSecretPtr *secret,
                        char **uuid, GError **error)
{
  g_autofree char *xml = vt_secrets_xml (volume_path);
  /* Drawn before anything exists in libvirt, so a failure here leaves nothing. */
  g_autoptr (VtPassphrase) passphrase = vt_secrets_new_passphrase (error);
  char text[VIR_UUID_STRING_BUFLEN];

  *secret = NULL;
  if (passphrase == NULL)
    return FALSE;
  *secret = virSecretDefineXML (conn, xml, 0);
  if (*secret == NULL)
    return vt_set_libvirt_error (error, "defining the LUKS secret");
  if (virSecretSetValue (*secret, (const unsigned char *) passphrase, strlen (passphrase), 0) < 0
      || virSecretGetUUIDString (*secret, text) < 0)
    return vt_set_libvirt_error (error, "storing the LUKS passphrase");
  *uuid = g_strdup (text);
  return TRUE;
}
