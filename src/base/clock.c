/* clock.c — UTC timestamps and date validation. */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

void clock_format(time_t t, int ms, char out[CLOCK_TS_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(out, CLOCK_TS_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, CLOCK_TS_LEN - n, ".%03uZ", (unsigned)ms % 1000u);
}

void clock_now(char out[CLOCK_TS_LEN])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	clock_format(ts.tv_sec, (int)(ts.tv_nsec / 1000000), out);
}

double clock_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool date_prefix(const char *s, int *y, int *m, int *d)
{
	if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return false;
	*y = num(s, 4);
	*m = num(s + 5, 2);
	*d = num(s + 8, 2);
	return *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

bool clock_valid_date(const char *s)
{
	int y, m, d;
	return strlen(s) == 10 && date_prefix(s, &y, &m, &d);
}

bool clock_sane_date(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && date_prefix(s, &y, &m, &d) && y >= CLOCK_YEAR_MIN &&
	       y <= CLOCK_YEAR_MAX;
}

void clock_add_days(const char *date, long long days, char out[11])
{
	int y, m, d;
	struct tm tm = {.tm_year = 70, .tm_mday = 1};
	if (date && strlen(date) == 10 && date_prefix(date, &y, &m, &d)) {
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
	}
	time_t t = timegm(&tm) + (time_t)(days * 86400);
	gmtime_r(&t, &tm);
	unsigned y4 = (unsigned)(tm.tm_year + 1900) % 10000u, m2 = (unsigned)tm.tm_mon % 12u + 1u,
		 d2 = (unsigned)tm.tm_mday % 32u;
	snprintf(out, 11, "%04u-%02u-%02u", y4, m2, d2);
}

bool clock_parse_rfc3339(const char *s, char out[CLOCK_TS_LEN])
{
	int y, mo, d;
	if (strlen(s) < 20 || !date_prefix(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't'))
		return false;
	const char *p = s + 11;
	if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) || p[5] != ':' || !digits(p + 6, 2))
		return false;
	int hh = num(p, 2), mi = num(p + 3, 2), ss = num(p + 6, 2), ms = 0;
	if (hh > 23 || mi > 59 || ss > 60)
		return false;
	p += 8;
	if (*p == '.') {
		p++;
		int n = 0;
		while (isdigit((unsigned char)*p)) {
			if (n < 3)
				ms = ms * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0)
			return false;
		for (; n < 3; n++)
			ms *= 10;
	}
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		if (!digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2) || num(p + 1, 2) > 23 ||
		    num(p + 4, 2) > 59)
			return false;
		off = (num(p + 1, 2) * 60L + num(p + 4, 2)) * 60L * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mi;
	tm.tm_sec = ss;
	time_t t = timegm(&tm) - off;
	clock_format(t, ms, out);
	return true;
}

void clock_add_months(const char *date, long long months, char out[11])
{
	int y = 0, m = 1, d = 1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!date || sscanf(date, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
		y = 0, m = 1, d = 1;
	long long total = (long long)y * 12 + (m - 1) + months;
	if (total < 0)
		total = 0;
	y = (int)(total / 12 % 10000);
	m = (int)(total % 12) + 1;
	int max = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d > max ? max : d < 1 ? 1 : d);
}
