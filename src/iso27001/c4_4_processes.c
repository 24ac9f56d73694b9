/* c4_4_processes.c — 4.4: the ISMS processes and how they interact. */
#include "c4_context.h"
#include "../base/json.h"

#include <stdio.h>
#include <string.h>

static const struct field process_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT,
	 .flags = F_REQUIRED | F_UNIQUE | F_SEARCH, .max_len = 200,
	 .help = "The process, e.g. \"Risk management\" or \"Internal audit\"."},
	{.name = "purpose", .label = "Purpose", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What the process achieves for the ISMS."},
	{.name = "owner", .label = "Owner", .type = FT_REF, .ref = "person",
	 .help = "Who is accountable for the process."},
	{.name = "inputs", .label = "Inputs", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it takes in, and from where."},
	{.name = "outputs", .label = "Outputs", .type = FT_MARKDOWN, .flags = F_SEARCH,
	 .help = "What it produces, and for whom."},
	{.name = "related", .label = "Related processes", .type = FT_REFS, .ref = "process",
	 .flags = F_SET_NULL, .help = "Processes this one feeds or depends on."},
};

const struct record_type processes_type = {
	.name = "process",
	.plural = "processes",
	.table = "processes",
	.label = "ISMS process",
	.label_plural = "ISMS processes",
	.clause = "4.4",
	.help = "The processes that make up the ISMS and how they interact.",
	.section = "4",
	.title_field = "name",
	.default_sort = "name",
	.fields = process_fields,
	.nfields = sizeof process_fields / sizeof process_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = EDITORS,
	.since = 1,
};

static const struct record_type *const c4_4_types[] = {
	&processes_type,
};

const struct module c4_4_module = {
	.clause = "4.4",
	.title = "The ISMS and its processes",
	.file = __FILE__,
	.types = c4_4_types,
	.ntypes = COUNT_OF(c4_4_types),
};
