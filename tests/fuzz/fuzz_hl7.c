/* libFuzzer target: the HL7 v2 reader (hl7.h), with oracles.
 *   ef_hl7_split: segments lie inside the input, in order, lines rising,
 *     ids of three upper-case letters or digits
 *   ef_hl7_get / ef_hl7_reps: every part lies inside its segment
 *   ef_hl7_unescape: never lengthens; what it decodes, ef_hl7_escape
 *     writes back so that decoding it again gives the same bytes */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/hl7.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ef_hl7_seg *segs = NULL;
	size_t n = 0;
	struct ef_err err;
	if (ef_hl7_split(buf, size, "fuzz", &segs, &n, &err) != EF_OK) {
		if (segs || n)
			abort();
		return 0;
	}
	long line = 0;
	const char *prev_end = buf;
	for (size_t i = 0; i < n; i++) {
		const struct ef_hl7_seg *s = &segs[i];
		if (s->p < prev_end || s->p + s->len > buf + size || s->line <= line || strlen(s->id) != 3)
			abort();
		line = s->line;
		prev_end = s->p + s->len;
		for (int f = 1; f <= 25; f++) {
			int reps = ef_hl7_reps(s, f);
			if (reps < 0)
				abort();
			for (int r = 0; r <= (reps < 3 ? reps : 3); r++)
				for (int c = 0; c <= 4; c++)
					for (int sc = 0; sc <= 2; sc++) {
						const char *p;
						size_t m;
						ef_hl7_get(s, f, r, c, sc, &p, &m);
						if (p < s->p || p + m > s->p + s->len)
							abort();
						char *out = malloc(m + 1);
						size_t ol = 0;
						const char *why = NULL;
						if (ef_hl7_unescape(&s->enc, p, m, out, &ol, &why) == 0) {
							if (ol > m || strlen(out) > ol)
								abort();
							if (strlen(out) == ol) {
								size_t need = ef_hl7_escape(&s->enc, out, NULL, 0);
								char *esc = malloc(need + 1);
								if (ef_hl7_escape(&s->enc, out, esc, need + 1) != need)
									abort();
								char *back = malloc(need + 1);
								size_t bl;
								if (ef_hl7_unescape(&s->enc, esc, need, back, &bl, &why) != 0)
									abort();
								/* line breaks all come back as LF */
								size_t k = 0;
								for (size_t j = 0; j < ol; j++) {
									if (out[j] == '\r' && out[j + 1] == '\n')
										j++;
									char want = out[j] == '\r' ? '\n' : out[j];
									if (k >= bl || back[k++] != want)
										abort();
								}
								if (k != bl)
									abort();
								free(back);
								free(esc);
							}
						} else if (!why) {
							abort();
						}
						free(out);
					}
		}
	}
	free(segs);
	return 0;
}
