/* SHA-256 against the FIPS 180-4 / NIST example vectors, and streaming in
 * pieces of every size gives the same digest as one update; every test runs
 * twice, on the portable compression function and on the CPU's SHA
 * extensions (where the CPU has them), and the two agree on random data. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/sha256.h"

static const struct {
	const char *msg;
	const char *want;
} vectors[] = {
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	/* 448 bits */
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	/* 896 bits */
	{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
	 "nopqrstu",
	 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	/* padding edge cases: 55, 56, 63, 64 bytes of 'a' */
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
};

START_TEST(nist_vectors)
{
	char hex[EF_SHA256_HEX];
	ef_sha256_hex_of(vectors[_i].msg, strlen(vectors[_i].msg), hex);
	ck_assert_str_eq(hex, vectors[_i].want);
}
END_TEST

START_TEST(one_million_a)
{
	static char a[1000000];
	memset(a, 'a', sizeof a);
	char hex[EF_SHA256_HEX];
	ef_sha256_hex_of(a, sizeof a, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the same in 1000 updates of 1000 bytes */
	struct ef_sha256 c;
	unsigned char d[EF_SHA256_LEN];
	ef_sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		ef_sha256_update(&c, a, 1000);
	ef_sha256_final(&c, d);
	ef_sha256_hex(d, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Streaming with piece size _i+1 (1..130) equals the one-shot digest. */
START_TEST(streaming_any_piece_size)
{
	unsigned char msg[1000];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	char want[EF_SHA256_HEX], got[EF_SHA256_HEX];
	ef_sha256_hex_of(msg, sizeof msg, want);
	struct ef_sha256 c;
	unsigned char d[EF_SHA256_LEN];
	size_t piece = (size_t)_i + 1;
	ef_sha256_init(&c);
	for (size_t off = 0; off < sizeof msg; off += piece)
		ef_sha256_update(&c, msg + off, sizeof msg - off < piece ? sizeof msg - off : piece);
	ef_sha256_final(&c, d);
	ef_sha256_hex(d, got);
	ck_assert_str_eq(got, want);
}
END_TEST

/* Messages of length 0..599 (pseudo-random bytes), digested by each
 * implementation in one update and in pieces of 1..97 bytes, agree. */
START_TEST(implementations_agree)
{
	static unsigned char msg[600];
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < sizeof msg; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		msg[i] = (unsigned char)x;
	}
	for (size_t len = 0; len < sizeof msg; len++) {
		char port[EF_SHA256_HEX], fast[EF_SHA256_HEX];
		ef_sha256_use_accel(0);
		ef_sha256_hex_of(msg, len, port);
		ef_sha256_use_accel(1);
		struct ef_sha256 c;
		unsigned char d[EF_SHA256_LEN];
		size_t piece = len % 97 + 1;
		ef_sha256_init(&c);
		for (size_t off = 0; off < len; off += piece)
			ef_sha256_update(&c, msg + off, len - off < piece ? len - off : piece);
		ef_sha256_final(&c, d);
		ef_sha256_hex(d, fast);
		ck_assert_msg(strcmp(port, fast) == 0, "length %zu: portable %s, in use %s", len, port, fast);
	}
}
END_TEST

/* The accelerated case runs accelerated wherever the CPU allows it. */
START_TEST(accel_in_use_when_available)
{
	ck_assert_int_eq(ef_sha256_use_accel(1), ef_sha256_accelerated());
	ck_assert_int_eq(ef_sha256_use_accel(0), 0);
}
END_TEST

static void portable(void)
{
	ef_sha256_use_accel(0);
}

static void accelerated(void)
{
	ef_sha256_use_accel(1);
}

static TCase *vectors_case(const char *name, void (*setup)(void))
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, nist_vectors, 0, sizeof vectors / sizeof vectors[0]);
	tcase_add_test(tc, one_million_a);
	tcase_add_loop_test(tc, streaming_any_piece_size, 0, 130);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("sha256");
	suite_add_tcase(s, vectors_case("portable", portable));
	suite_add_tcase(s, vectors_case("accelerated", accelerated));
	TCase *tc = tcase_create("agree");
	tcase_add_test(tc, implementations_agree);
	tcase_add_test(tc, accel_in_use_when_available);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
