/* sha256.h - SHA-256 (FIPS 180-4), streaming, pure C.
 *
 *   struct ef_sha256 h;
 *   ef_sha256_init(&h);
 *   ef_sha256_update(&h, data, len);   (any number of times)
 *   ef_sha256_final(&h, digest);       (32 bytes; h is then spent)
 *
 * Used for the audit hash chain, import file digests and backups. */
#ifndef ENGRAFT_SHA256_H
#define ENGRAFT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define EF_SHA256_LEN 32
#define EF_SHA256_HEX 65 /* 64 hex digits and a NUL */

struct ef_sha256 {
	uint32_t h[8];
	uint64_t bytes;      /* message length so far */
	unsigned char buf[64];
	size_t used;         /* bytes in buf */
};

void ef_sha256_init(struct ef_sha256 *c);
void ef_sha256_update(struct ef_sha256 *c, const void *data, size_t len);
void ef_sha256_final(struct ef_sha256 *c, unsigned char out[EF_SHA256_LEN]);

/* The compression function runs on the CPU's SHA extensions when it has
 * them (x86-64), portable C otherwise; the digests are the same.
 * ef_sha256_accelerated: whether this CPU has them. ef_sha256_use_accel(0)
 * forces the portable code, (1) restores the choice; returns whether the
 * extensions are now in use. For tests and benchmarks. */
int ef_sha256_accelerated(void);
int ef_sha256_use_accel(int on);

/* Lower-case hex of a digest: 64 digits and a NUL. */
void ef_sha256_hex(const unsigned char d[EF_SHA256_LEN], char out[EF_SHA256_HEX]);
/* One-shot: digest of data as lower-case hex. */
void ef_sha256_hex_of(const void *data, size_t len, char out[EF_SHA256_HEX]);

#endif
