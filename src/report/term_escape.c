/* User text echoed to a terminal (error messages naming a flag value, a
 * claim id, a catalog line) must not drive the terminal: ESC sequences can
 * move the cursor, rewrite earlier lines or set the window title. */
#include <stdlib.h>
#include <string.h>
#include "report_common.h"

/* Bytes of s to copy as they are at p (0: escape the byte at p).  C0
 * controls, DEL, the C1 controls U+0080..U+009F (some terminals obey them
 * as 8-bit CSI) and bytes that are not UTF-8 are escaped. */
static size_t printable_len(const unsigned char *p)
{
  size_t n = tc_report_utf8_len(p);
  if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f))
    return 0;
  if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
    return 0;
  return n;
}

size_t tc_term_escape(char *buf, size_t len, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  size_t total = 0, w = 0;
  int room = len > 0;
  for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
    size_t n = printable_len(p);
    char esc[4] = {'\\', 'x', hex[*p >> 4], hex[*p & 15]};
    size_t plen = n ? n : 4;
    /* Whole pieces only: a cut escape or UTF-8 sequence is a new problem. */
    if (room && w + plen < len) {
      memcpy(buf + w, n ? (const char *)p : esc, plen);
      w += plen;
    } else {
      room = 0;
    }
    total += plen;
    p += n ? n : 1;
  }
  if (len > 0)
    buf[w] = '\0';
  return total;
}

int tc_term_fputs(FILE *out, const char *s)
{
  size_t need = tc_term_escape(NULL, 0, s) + 1;
  char *buf = malloc(need);
  if (buf == NULL)
    return TC_ENOMEM;
  tc_term_escape(buf, need, s);
  int status = fputs(buf, out) < 0 ? TC_EIO : TC_SUCCESS;
  free(buf);
  return status;
}
