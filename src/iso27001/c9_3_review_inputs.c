/* c9_3_review_inputs.c — the inputs of a management review (9.3.2 a–g), compiled from live
   data: every module's review_inputs hook in module order, the change log's counts for the
   period, and for every section with nothing in it the reason why. The engine knows no
   section of the standard: the letters and their titles live here. */
#include "c9_3_review.h"
#include "../base/json.h"
#include "../base/text.h"
#include "../engine/module.h"

#include <stdio.h>
#include <string.h>

static const char *const letters[] = {"a", "b", "c", "d", "e", "f", "g"};

/* Our own words for the seven inputs. */
static const char *const titles[] = {
	"Status of actions from previous management reviews",
	"Changes in external and internal issues relevant to the ISMS",
	"Changes in the needs and expectations of interested parties",
	"Feedback on information security performance",
	"Feedback from interested parties",
	"Results of risk assessment and status of the risk treatment plan",
	"Opportunities for continual improvement",
};

/* The four kinds of performance feedback (d), each stated even when no module gave it. */
static const struct {
	const char *clause, *title, *what;
} performance[] = {
	{"10.2", "Nonconformities and corrective actions", "nonconformities and corrective actions"},
	{"9.1", "Monitoring and measurement results", "monitoring and measurement results"},
	{"9.2", "Audit results", "audit results"},
	{"6.2", "Fulfilment of information security objectives",
	 "fulfilment of information security objectives"},
};

static bool has_clause(const json_t *entries, const char *clause)
{
	size_t i;
	json_t *en;
	json_array_foreach(entries, i, en) {
		const char *cl = json_str(en, "clause");
		size_t n = strlen(clause);
		if (cl && strncmp(cl, clause, n) == 0 && (cl[n] == '\0' || cl[n] == '.' ||
							  cl[n] == ' '))
			return true;
	}
	return false;
}

int review_inputs_compile(struct ctx *c, const char *since, const char *until, json_t **out,
			  struct err *e)
{
	json_t *inputs = json_object(), *changes = NULL, *sections = NULL;
	char note[300];
	int rc = -1;
	*out = NULL;
	for (size_t i = 0; i < COUNT_OF(letters); i++)
		json_object_set_new(inputs, letters[i], json_array());
	if (review_changes(c, since, until, &changes, e) < 0)
		goto cleanup;
	json_object_set(inputs, "changes", changes);
	for (size_t i = 0; i < c->reg->nmodules; i++) {
		const struct module *m = c->reg->modules[i];
		if (m->review_inputs && m->review_inputs(c, since, until, inputs, e) < 0)
			goto cleanup;
	}
	json_t *d = json_object_get(inputs, "d");
	for (size_t i = 0; i < COUNT_OF(performance); i++) {
		if (has_clause(d, performance[i].clause))
			continue;
		snprintf(note, sizeof note, "No module recorded %s for this period.",
			 performance[i].what);
		review_entry_add(inputs, "d", performance[i].clause, performance[i].title, note,
				 NULL);
	}
	sections = json_object();
	for (size_t i = 0; i < COUNT_OF(letters); i++) {
		json_t *entries = json_object_get(inputs, letters[i]);
		json_t *sec = json_build("{s:s, s:s, s:O}", "letter", letters[i], "title", titles[i],
					 "entries", entries);
		if (!json_array_size(entries)) {
			if (i == 0 && !since)
				snprintf(note, sizeof note, "No earlier review: this is the first.");
			else
				snprintf(note, sizeof note,
					 "No module recorded anything for this input in the period.");
			json_object_set_new(sec, "note", json_string(note));
		}
		json_object_set_new(sections, letters[i], sec);
	}
	*out = json_build("{s:{s:s?, s:s}, s:o, s:O}", "period", "since", since, "until", until,
			  "sections", sections, "changes", changes);
	sections = NULL;
	rc = 0;
cleanup:
	json_decref(sections);
	json_decref(changes);
	json_decref(inputs);
	return rc;
}
