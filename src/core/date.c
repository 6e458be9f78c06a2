/* date.c - civil calendar arithmetic on day numbers.
 * days_from_civil / civil_from_days after H. Hinnant's public-domain
 * algorithms: exact for the proleptic Gregorian calendar. */
#include "engraft/date.h"

#include <stdio.h>

int ef_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ef_days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && ef_is_leap(y) ? 29 : dm[m - 1];
}

ef_day ef_day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2u) / 5u + (unsigned)d - 1u;
	const unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
	return (ef_day)(era * 146097 + (int)doe - 719468);
}

void ef_day_to_ymd(ef_day day, int *y, int *m, int *d)
{
	const int z = day + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
	const unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
	const unsigned mp = (5u * doy + 2u) / 153u;
	const unsigned dd = doy - (153u * mp + 2u) / 5u + 1u;
	const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)yoe + era * 400 + (mm <= 2);
	*m = (int)mm;
	*d = (int)dd;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int ef_date_parse(const char *s, size_t len, ef_day *out)
{
	int y, m, d;
	if (!s || len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > ef_days_in_month(y, m))
		return -1;
	*out = ef_day_from_ymd(y, m, d);
	return 0;
}

int ef_datetime_parse(const char *s, size_t len, ef_day *day, int *secs)
{
	int h, mi, se = 0;
	if (len == 10) {
		if (ef_date_parse(s, len, day))
			return -1;
		*secs = -1;
		return 0;
	}
	if ((len != 16 && len != 19) || s[10] != 'T' || s[13] != ':')
		return -1;
	if (ef_date_parse(s, 10, day))
		return -1;
	if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || h > 23 || mi > 59)
		return -1;
	if (len == 19 && (s[16] != ':' || digits(s + 17, 2, &se) || se > 59))
		return -1;
	*secs = h * 3600 + mi * 60 + se;
	return 0;
}

void ef_date_format(ef_day day, char out[11])
{
	int y, m, d;
	if (day == EF_NO_DAY) {
		out[0] = '\0';
		return;
	}
	ef_day_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

ef_day ef_add_months(ef_day day, int months, enum ef_month_rule rule)
{
	int y, m, d;
	if (day == EF_NO_DAY)
		return EF_NO_DAY;
	ef_day_to_ymd(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	int ny = total >= 0 ? total / 12 : (total - 11) / 12;
	int nm = total - ny * 12 + 1;
	int dim = ef_days_in_month(ny, nm);
	if (d <= dim)
		return ef_day_from_ymd(ny, nm, d);
	if (rule == EF_MONTHS_NEXT_FIRST)
		return ef_day_from_ymd(ny, nm, dim) + 1;
	return ef_day_from_ymd(ny, nm, dim);
}

int ef_months_between(ef_day a, ef_day b)
{
	int ya, ma, da, yb, mb, db;
	if (b < a)
		return -ef_months_between(b, a);
	ef_day_to_ymd(a, &ya, &ma, &da);
	ef_day_to_ymd(b, &yb, &mb, &db);
	int n = (yb - ya) * 12 + (mb - ma);
	while (n > 0 && ef_add_months(a, n, EF_MONTHS_CLAMP) > b)
		n--;
	return n;
}

int ef_age_years(ef_day birth, ef_day on)
{
	int yb, mb, db, yo, mo, dd;
	ef_day_to_ymd(birth, &yb, &mb, &db);
	ef_day_to_ymd(on, &yo, &mo, &dd);
	int age = yo - yb;
	if (mo < mb || (mo == mb && dd < db))
		age--;
	return age;
}

int ef_after_now(ef_day day, int secs, ef_day now_day, int now_sec)
{
	return day > now_day || (day == now_day && secs > now_sec);
}
