/* libFuzzer target: the value parsers of the core, with oracles.
 *   ef_date_parse / ef_datetime_parse: accepted text formats back to itself
 *   ef_value_parse / ef_decimal_parse: accepted values are finite, >= 0
 *   ef_unit_convert: every test with the input as unit; results finite
 *   ef_test_parse, ef_sex_parse and the other enum parsers: no crash */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/date.h"
#include "engraft/gvhd.h"
#include "engraft/timeline.h"
#include "engraft/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	ef_day d;
	if (ef_date_parse(s, size, &d) == 0) {
		char back[11];
		ef_date_format(d, back);
		if (size != 10 || memcmp(back, s, 10) != 0)
			abort();
		ef_day again;
		if (ef_date_parse(back, 10, &again) != 0 || again != d)
			abort();
	}
	int secs;
	if (ef_datetime_parse(s, size, &d, &secs) == 0) {
		if (secs < -1 || secs >= 86400)
			abort();
		if (size < 10 || ef_date_parse(s, 10, &d) != 0)
			abort();
	}
	enum ef_qual q;
	double v;
	const char *why = NULL;
	if (ef_value_parse(s, size, &q, &v, &why) == 0) {
		if (!isfinite(v) || v < 0 || (q != EF_Q_EQ && q != EF_Q_LT && q != EF_Q_GT))
			abort();
		for (int t = 0; t < EF_T_COUNT; t++) {
			for (const char *const *u = ef_test_units((enum ef_test)t); *u; u++) {
				double c;
				if (ef_unit_convert((enum ef_test)t, *u, strlen(*u), v, &c) != 0 || isnan(c) || c < 0)
					abort();
			}
		}
	} else if (!why) {
		abort(); /* a rejection always says why */
	}
	if (ef_decimal_parse(s, size, &v) == 0 && (!isfinite(v) || v < 0))
		abort();
	for (int t = 0; t < EF_T_COUNT; t++) {
		double c;
		if (ef_unit_convert((enum ef_test)t, s, size, 1.5, &c) == 0 && (!isfinite(c) || c < 0))
			abort();
	}
	enum ef_test t;
	if (ef_test_parse(s, size, &t) == 0 && (int)t >= EF_T_COUNT)
		abort();
	enum ef_sex sx;
	(void)ef_sex_parse(s, size, &sx);
	enum ef_hct_type ht;
	(void)ef_hct_type_parse(s, size, &ht);
	enum ef_graft g;
	(void)ef_graft_parse(s, size, &g);
	enum ef_donor dn;
	(void)ef_donor_parse(s, size, &dn);
	enum ef_conditioning cd;
	(void)ef_conditioning_parse(s, size, &cd);
	enum ef_product p;
	(void)ef_product_parse(s, size, &p);
	return 0;
}
