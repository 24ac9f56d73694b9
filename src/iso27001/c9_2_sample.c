/* c9_2_sample.c — 9.2.2: the audit sample. A sample records its population, the method,
   the size and a seed; the items drawn are derived from those alone (libsodium's
   deterministic generator seeded from the seed, then Fisher–Yates), so anyone can draw it
   again and get the same items, on either store and any machine. */
#include "c9_2_audit.h"
#include "../base/json.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POPULATION_MAX 100000

static const char *const methods[] = {"random", "systematic", "judgemental", NULL};

static const struct field sample_fields[] = {
	{.name = "audit", .label = "Audit", .type = FT_REF, .ref = "audit",
	 .flags = F_REQUIRED | F_INDEX, .help = "The audit the sample serves."},
	{.name = "title", .label = "Sample", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH,
	 .max_len = 200, .help = "What is sampled, e.g. \"Epics delivered in 2026\"."},
	{.name = "population_description", .label = "Population", .type = FT_MARKDOWN,
	 .flags = F_SEARCH,
	 .help = "Where the population comes from and how it was listed (whole, not curated)."},
	{.name = "population", .label = "Population items", .type = FT_JSON, .flags = F_REQUIRED,
	 .help = "Every item of the population, as a list of labels or record ids."},
	{.name = "method", .label = "Method", .type = FT_ENUM, .flags = F_REQUIRED,
	 .values = methods,
	 .help = "Random (drawn from the seed), systematic (every n-th item from a start drawn "
		 "from the seed) or judgemental (the auditor's choice, recorded in the "
		 "population's description)."},
	{.name = "size", .label = "Sample size", .type = FT_INT, .flags = F_REQUIRED, .min = 1,
	 .max = POPULATION_MAX, .help = "How many items are drawn."},
	{.name = "seed", .label = "Seed", .type = FT_INT, .min = 0, .max = 9007199254740991LL,
	 .help = "The number the draw starts from; the same seed gives the same sample. Left "
		 "empty, isms picks one at random and keeps it."},
	{.name = "drawn", .label = "Items drawn", .type = FT_JSON, .flags = F_DERIVED,
	 .help = "The items drawn, in order; derived from population, size and seed."},
};

/* A number in [0, n) from 8 bytes of the stream (n ≤ POPULATION_MAX, so the modulo bias is
   below 1 in 10^13). */
static size_t pick(const unsigned char *b, size_t n)
{
	uint64_t v = 0;
	for (int k = 0; k < 8; k++)
		v = (v << 8) | b[k];
	return (size_t)(v % n);
}

json_t *audit_sample_draw(const json_t *population, long long size, long long seed,
			  const char *method)
{
	size_t n = json_array_size(population), want = size < 0 ? 0 : (size_t)size;
	json_t *out = json_array();
	if (!n)
		return out;
	if (want > n)
		want = n;
	unsigned char key[randombytes_SEEDBYTES] = {0};
	uint64_t s = (uint64_t)seed;
	for (int k = 0; k < 8; k++)
		key[k] = (unsigned char)(s >> (8 * k));
	size_t len = 8 * (n + 1);
	unsigned char *stream = malloc(len);
	size_t *idx = malloc(n * sizeof *idx);
	if (!stream || !idx)
		abort();
	randombytes_buf_deterministic(stream, len, key);
	if (method && strcmp(method, "systematic") == 0) {
		size_t step = n / want, start = pick(stream, step ? step : 1);
		for (size_t i = 0; i < want; i++)
			json_array_append(out, json_array_get(population, (start + i * step) % n));
	} else {
		for (size_t i = 0; i < n; i++)
			idx[i] = i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = pick(stream + 8 * i, i + 1), t = idx[i];
			idx[i] = idx[j];
			idx[j] = t;
		}
		for (size_t i = 0; i < want; i++)
			json_array_append(out, json_array_get(population, idx[i]));
	}
	free(stream);
	free(idx);
	return out;
}

static int sample_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	const json_t *pop = json_object_get(rec, "population");
	size_t i;
	json_t *v;
	if (!json_is_array(pop) || !json_array_size(pop))
		return err_set(e, ERR_INVALID, "population",
			       "population must be a non-empty list of item labels or record ids");
	if (json_array_size(pop) > POPULATION_MAX)
		return err_set(e, ERR_INVALID, "population",
			       "population: at most %d items", POPULATION_MAX);
	json_array_foreach(pop, i, v)
		if (!json_is_string(v) && !json_is_integer(v))
			return err_set(e, ERR_INVALID, "population",
				       "population: item %zu is neither a label nor a record id",
				       i + 1);
	if (json_int(rec, "size") > (long long)json_array_size(pop))
		return err_set(e, ERR_INVALID, "size",
			       "size (%lld) cannot exceed the population (%zu items)",
			       json_int(rec, "size"), json_array_size(pop));
	if (json_is_null(json_object_get(rec, "seed")) || !json_object_get(rec, "seed")) {
		uint64_t s;
		randombytes_buf(&s, sizeof s);
		json_object_set_new(rec, "seed", json_integer((json_int_t)(s & 0x1fffffffffffffULL)));
	}
	return 0;
}

static int sample_decorate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   struct err *e)
{
	(void)c;
	(void)rt;
	(void)e;
	if (strcmp(json_text(rec, "method"), "judgemental") == 0) {
		json_t *all = json_array();
		size_t n = (size_t)json_int(rec, "size");
		for (size_t i = 0; i < n && i < json_array_size(json_object_get(rec, "population"));
		     i++)
			json_array_append(all, json_array_get(json_object_get(rec, "population"), i));
		json_object_set_new(rec, "drawn", all);
		return 0;
	}
	json_object_set_new(rec, "drawn",
			    audit_sample_draw(json_object_get(rec, "population"),
					      json_int(rec, "size"), json_int(rec, "seed"),
					      json_str(rec, "method")));
	return 0;
}

const struct record_type audit_samples_type = {
	.name = "audit_sample",
	.plural = "audit-samples",
	.table = "audit_samples",
	.label = "audit sample",
	.label_plural = "audit samples",
	.clause = "9.2",
	.help = "Samples drawn in audits: population, method, size and the seed that draws the "
		"same items again.",
	.section = "9",
	.title_field = "title",
	.default_sort = "-id",
	.fields = sample_fields,
	.nfields = COUNT_OF(sample_fields),
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS | RB(ROLE_AUDITOR),
	.since = 4,
	.validate = sample_validate,
	.decorate = sample_decorate,
};
