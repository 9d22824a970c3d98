/* SHA-256 of a buffer, for the audit manifest: the format of `sha256sum`,
 * so a reader checks a report set with `sha256sum -c`.  Nettle computes
 * the digest (a well-kept library, not a hand-written hash). */
#include <stdio.h>
#include <nettle/sha2.h>
#include "report_common.h"

void tc_report_sha256_hex(char hex[65], const void *data, size_t len)
{
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, len, data);
  sha256_digest(&ctx, sizeof digest, digest);
  for (size_t i = 0; i < sizeof digest; i++)
    snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}
