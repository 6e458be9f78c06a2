/* sha256.c - SHA-256 after FIPS 180-4, section 6.2.
 *
 * The compression function exists twice: portable C (the reference), and
 * on x86-64 CPUs with the SHA extensions one built on SHA256RNDS2/MSG1/MSG2
 * (Intel's "SHA extensions" white paper, 2013), chosen once at run time by
 * CPUID. An import digests every row it inserts, so this is on the hot path
 * of a million-row import. Both give the same digests: the test suite runs
 * the vectors through each. */
#include "engraft/sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EF_SHA_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(uint32_t hs[8], const unsigned char *p)
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 |
		       (uint32_t)p[4 * t + 3];
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	uint32_t a = hs[0], b = hs[1], cc = hs[2], d = hs[3];
	uint32_t e = hs[4], f = hs[5], g = hs[6], h = hs[7];
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	hs[0] += a;
	hs[1] += b;
	hs[2] += cc;
	hs[3] += d;
	hs[4] += e;
	hs[5] += f;
	hs[6] += g;
	hs[7] += h;
}

static void blocks_portable(uint32_t h[8], const unsigned char *p, size_t n)
{
	for (; n; n--, p += 64)
		block(h, p);
}

#ifdef EF_SHA_X86
/* n blocks with the SHA extensions. The state lives in two registers as
 * ABEF and CDGH; each step of the loop is four rounds (two SHA256RNDS2) and
 * the message schedule is computed four words at a time, W[g] from
 * MSG1(W[g-4], W[g-3]) + (W[g-1] : W[g-2] shifted one word), then MSG2. */
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_shani(uint32_t h[8], const unsigned char *p,
									size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[0]), 0xB1); /* CDAB */
	__m128i st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[4]), 0x1B); /* EFGH */
	__m128i st0 = _mm_alignr_epi8(tmp, st1, 8);	  /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);		  /* CDGH */
	for (; n; n--, p += 64) {
		const __m128i abef = st0, cdgh = st1;
		__m128i w[4];
		for (int i = 0; i < 16; i++) {
			if (i < 4)
				w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
							bswap);
			__m128i m = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, m);
			if (i >= 3 && i < 15) {
				__m128i *nx = &w[(i + 1) & 3];
				*nx = _mm_add_epi32(*nx, _mm_alignr_epi8(w[i & 3], w[(i - 1) & 3], 4));
				*nx = _mm_sha256msg2_epu32(*nx, w[i & 3]);
			}
			st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m, 0x0E));
			if (i >= 1 && i < 13)
				w[(i - 1) & 3] = _mm_sha256msg1_epu32(w[(i - 1) & 3], w[i & 3]);
		}
		st0 = _mm_add_epi32(st0, abef);
		st1 = _mm_add_epi32(st1, cdgh);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);	  /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xB1);	  /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0); /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);	  /* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&h[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], st1);
}

static int cpu_has_sha(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b & (1u << 29)) != 0; /* CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29] */
}
#endif

/* The compression function in use: chosen on first use (single-threaded
 * program; a second thread racing here would store the same value). */
static void (*blocks_fn)(uint32_t h[8], const unsigned char *p, size_t n);

static void choose(void)
{
	blocks_fn = blocks_portable;
#ifdef EF_SHA_X86
	if (cpu_has_sha())
		blocks_fn = blocks_shani;
#endif
}

int ef_sha256_accelerated(void)
{
#ifdef EF_SHA_X86
	return cpu_has_sha();
#else
	return 0;
#endif
}

int ef_sha256_use_accel(int on)
{
	choose();
	if (!on)
		blocks_fn = blocks_portable;
	return blocks_fn != blocks_portable;
}

static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
	if (!blocks_fn)
		choose();
	blocks_fn(h, p, n);
}

void ef_sha256_init(struct ef_sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, iv, sizeof iv);
	c->bytes = 0;
	c->used = 0;
}

void ef_sha256_update(struct ef_sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	if (!len)
		return;
	c->bytes += len;
	if (c->used) {
		size_t k = 64 - c->used < len ? 64 - c->used : len;
		memcpy(c->buf + c->used, p, k);
		c->used += k;
		p += k;
		len -= k;
		if (c->used < 64)
			return;
		blocks(c->h, c->buf, 1);
		c->used = 0;
	}
	if (len >= 64) {
		blocks(c->h, p, len / 64);
		p += len / 64 * 64;
		len %= 64;
	}
	if (len) {
		memcpy(c->buf, p, len);
		c->used = len;
	}
}

void ef_sha256_final(struct ef_sha256 *c, unsigned char out[EF_SHA256_LEN])
{
	uint64_t bits = c->bytes * 8;
	c->buf[c->used++] = 0x80;
	if (c->used > 56) {
		memset(c->buf + c->used, 0, 64 - c->used);
		blocks(c->h, c->buf, 1);
		c->used = 0;
	}
	memset(c->buf + c->used, 0, 56 - c->used);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(c->h, c->buf, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
	memset(c, 0, sizeof *c);
}

void ef_sha256_hex(const unsigned char d[EF_SHA256_LEN], char out[EF_SHA256_HEX])
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < EF_SHA256_LEN; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[64] = '\0';
}

void ef_sha256_hex_of(const void *data, size_t len, char out[EF_SHA256_HEX])
{
	struct ef_sha256 c;
	unsigned char d[EF_SHA256_LEN];
	ef_sha256_init(&c);
	ef_sha256_update(&c, data, len);
	ef_sha256_final(&c, d);
	ef_sha256_hex(d, out);
}
