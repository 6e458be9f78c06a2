/* libFuzzer target: the CSV reader (ef_csv_read_mem) and header matching.
 * Oracles: every field is NUL-terminated at its length, line numbers only
 * go forward, and an error always comes with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/csvread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
	long last_line;
	int rows;
};

static int on_row(void *c, const struct ef_csv_row *row, struct ef_err *err)
{
	struct ctx *x = c;
	if (row->line < x->last_line || row->n == 0)
		abort();
	x->last_line = row->line;
	for (size_t i = 0; i < row->n; i++) {
		if (row->field[i][row->len[i]] != '\0')
			abort();
		size_t n;
		const char *f = ef_csv_get(row, (int)i, &n);
		if (f != row->field[i] || n != row->len[i])
			abort();
	}
	if (x->rows++ == 0) {
		static const char *const cols[] = {"mrn", "collected_on", "test", "value", "unit"};
		static const unsigned char req[] = {1, 1, 1, 1, 0};
		int idx[5];
		if (ef_csv_map_header(row, "fuzz.csv", cols, req, 5, idx, err) == 0) {
			for (int i = 0; i < 5; i++)
				if (idx[i] >= (int)row->n || (req[i] && idx[i] < 0))
					abort();
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx x = {0, 0};
	struct ef_err err = {{0}};
	int rc = ef_csv_read_mem((const char *)data, size, "fuzz.csv", on_row, &x, &err);
	if (rc != 0 && err.msg[0] == '\0')
		abort();
	return 0;
}
