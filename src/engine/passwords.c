/* passwords.c — the rules a new password must pass: a minimum length, enough different
   characters, not a common password (a small embedded list, matched without case and with
   trailing digits and punctuation ignored), and not the username. */
#include "passwords.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Words that, with a few digits or signs after them, make most guessed passwords of ten or
   more characters. Compared in lower case after trailing digits and punctuation are cut. */
static const char *const common_stems[] = {
	"password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "passwort", "motdepasse",
	"qwerty", "qwertz", "azerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbnm", "qazwsx",
	"1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "letmein", "welcome", "iloveyou", "admin",
	"administrator", "changeme", "secret", "sunshine", "princess", "football", "baseball",
	"dragon", "monkey", "master", "shadow", "superman", "trustno1", "whatever", "starwars",
	"abc", "abcdef", "abcdefgh", "abcdefghij", "test", "tester", "testing", "default",
	"login", "guest", "user", "root", "toor", "isms", "iso27001", "security", "summer",
	"winter", "spring", "autumn", "company", "hello", "freedom", "computer", "internet",
	"michael", "jennifer", "charlie", "jordan", "hunter", "ranger", "soccer", "hockey",
	"killer", "cheese", "cookie", "pokemon", "nothing", "access", "mustang", "samsung",
	"google", "lovely", "flower", "loveme", "welcome1", "zaq1zaq1", "zaq12wsx", "",
};

/* Whole passwords too common to allow that the stems do not catch. */
static const char *const common_whole[] = {
	"1234567890", "0123456789", "0987654321", "1122334455", "1234512345", "1234554321",
	"12345678910", "123456789a", "a123456789", "1234567890a", "123123123123", "qwerty123456",
	"q1w2e3r4t5", "q1w2e3r4t5y6", "1q2w3e4r5t6y", "123qweasdzxc", "qweasdzxc123",
	"correcthorsebatterystaple", "thequickbrownfox", "iloveyou1234", "blink182blink182",
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(list[i], s) == 0)
			return true;
	return false;
}

/* The password in lower case with digits and punctuation cut from its end. */
static void stem_of(const char *password, char *out, size_t size)
{
	size_t n = strlen(password);
	while (n > 0 && (isdigit((unsigned char)password[n - 1]) ||
			 ispunct((unsigned char)password[n - 1])))
		n--;
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)password[i]);
	out[n] = '\0';
}

static size_t distinct_chars(const char *s)
{
	bool seen[256] = {false};
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!seen[*p]) {
			seen[*p] = true;
			n++;
		}
	return n;
}

/* The username alone, or with only digits and punctuation around it. */
static bool is_username(const char *username, const char *password)
{
	size_t ulen = username ? strlen(username) : 0;
	if (ulen == 0)
		return false;
	for (const char *p = password; *p; p++) {
		if (strncasecmp(p, username, ulen) != 0)
			continue;
		bool rest_plain = true;
		for (const char *q = password; *q; q++) {
			if (q == p) {
				q += ulen - 1;
				continue;
			}
			rest_plain = rest_plain && !isalpha((unsigned char)*q);
		}
		if (rest_plain)
			return true;
	}
	return false;
}

int passwords_check(const char *username, const char *password, struct err *e)
{
	char stem[64];
	if (strlen(password) < PASSWORDS_MIN_LENGTH)
		return err_set(e, ERR_INVALID, "password", "Password must have at least %d characters",
			       PASSWORDS_MIN_LENGTH);
	if (distinct_chars(password) < 5)
		return err_set(e, ERR_INVALID, "password",
			       "Password repeats too few characters (at least 5 different ones)");
	stem_of(password, stem, sizeof stem);
	if (in_list(common_stems, sizeof common_stems / sizeof common_stems[0], stem) ||
	    in_list(common_whole, sizeof common_whole / sizeof common_whole[0], password))
		return err_set(e, ERR_INVALID, "password",
			       "Password is one of the most common passwords; choose another");
	if (is_username(username, password))
		return err_set(e, ERR_INVALID, "password",
			       "Password must not be the username");
	return 0;
}
