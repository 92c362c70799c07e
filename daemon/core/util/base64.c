#include "util/base64.h"

gboolean
vt_base64_check (const char *text, gsize len, gsize *decoded_len)
{
  gsize pad = 0;

  if (len == 0 || len % 4 != 0)
    return FALSE;
  while (pad < 2 && text[len - 1 - pad] == '=')
    pad++;
  for (gsize i = 0; i < len - pad; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
      return FALSE;
  if (decoded_len)
    *decoded_len = len / 4 * 3 - pad;
  return TRUE;
}
