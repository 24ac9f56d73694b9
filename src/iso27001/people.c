/* people.c — the staff directory that owners and role holders refer to. */
#include "people.h"

static const struct field people_fields[] = {
	{.name = "name", .label = "Name", .type = FT_TEXT, .flags = F_REQUIRED | F_SEARCH | F_INDEX,
	 .max_len = 200, .help = "The person's full name as colleagues know it."},
	{.name = "email", .label = "Email", .type = FT_EMAIL, .flags = F_UNIQUE | F_SEARCH,
	 .max_len = 254, .help = "Work email address; unique across the directory."},
	{.name = "department", .label = "Department", .type = FT_TEXT, .flags = F_SEARCH | F_INDEX,
	 .max_len = 200, .help = "Organizational unit the person belongs to."},
	{.name = "job_title", .label = "Job title", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 200, .help = "Position, e.g. \"Head of Infrastructure\"."},
	{.name = "manager", .label = "Manager", .type = FT_REF, .ref = "person",
	 .help = "The person this one reports to."},
	{.name = "active", .label = "Active", .type = FT_BOOL, .def = "true",
	 .help = "Clear this when the person leaves; leavers stay in the directory so that past "
		 "records still name them."},
};

static int people_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			   const json_t *old, struct err *e)
{
	(void)c;
	(void)rt;
	(void)old;
	json_t *id = json_object_get(rec, "id"), *manager = json_object_get(rec, "manager");
	if (id && json_is_integer(manager) && json_integer_value(manager) == json_integer_value(id))
		return err_set(e, ERR_INVALID, "manager", "Manager: a person cannot manage themselves");
	return 0;
}

const struct record_type people_type = {
	.name = "person",
	.plural = "people",
	.table = "people",
	.label = "person",
	.label_plural = "people",
	.clause = "7.1",
	.help = "The staff directory: everyone who owns, holds a role in or is covered by the "
		"ISMS.",
	.section = "7",
	.title_field = "name",
	.default_sort = "name",
	.fields = people_fields,
	.nfields = sizeof people_fields / sizeof people_fields[0],
	.read_roles = ROLES_ALL,
	.write_roles = RB(ROLE_ADMIN) | RB(ROLE_ISMS_MANAGER),
	.since = 1,
	.validate = people_validate,
};

static const struct record_type *const people_types[] = {
	&people_type,
};

const struct module people_module = {
	.clause = NULL,
	.title = "Staff directory",
	.file = __FILE__,
	.types = people_types,
	.ntypes = COUNT_OF(people_types),
};
