/* attachments.c — evidence files: the attachment record type, uploads stored once per
   content, reading a file back, and the rules that keep files that are part of approved
   evidence: a file cannot be changed or deleted while the record it belongs to is in a
   frozen state, or while a frozen record lists it in a field named "attachments". */
#include "attachments.h"
#include "../base/text.h"
#include "record_internal.h"
#include "sniff.h"
#include "../base/json.h"
#include "../base/sec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#define FILENAME_MAX_BYTES 255
#define MEDIA_TYPE_MAX 127

static const struct field attachment_fields[] = {
	{.name = "record_type", .label = "Attached to (type)", .type = FT_TEXT,
	 .flags = F_READONLY | F_REQUIRED | F_INDEX, .max_len = 64,
	 .help = "The kind of record the file belongs to, by its plural name, e.g. risks."},
	{.name = "record_id", .label = "Attached to (id)", .type = FT_INT,
	 .flags = F_READONLY | F_REQUIRED | F_INDEX,
	 .help = "The id of the record the file belongs to."},
	{.name = "filename", .label = "File name", .type = FT_TEXT,
	 .flags = F_READONLY | F_REQUIRED | F_SEARCH, .max_len = FILENAME_MAX_BYTES,
	 .help = "The name the file was uploaded with, without any folder."},
	{.name = "description", .label = "Description", .type = FT_TEXT, .flags = F_SEARCH,
	 .max_len = 1000, .help = "What the file shows, e.g. \"Backup restore test, March\"."},
	{.name = "media_type", .label = "Declared type", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = MEDIA_TYPE_MAX,
	 .help = "The media type the uploader's software claimed for the file."},
	{.name = "sniffed_type", .label = "Detected type", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = MEDIA_TYPE_MAX,
	 .help = "The media type isms found by looking at the file's first bytes."},
	{.name = "size", .label = "Size (bytes)", .type = FT_INT, .flags = F_READONLY,
	 .help = "How many bytes the file holds."},
	{.name = "sha256", .label = "SHA-256", .type = FT_TEXT, .flags = F_READONLY | F_INDEX,
	 .max_len = 64,
	 .help = "The file's SHA-256 hash: the same content always has the same hash, and isms "
		 "verify checks the stored bytes against it."},
	{.name = "uploaded_by", .label = "Uploaded by", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 64, .help = "The account that uploaded the file."},
	{.name = "uploaded_at", .label = "Uploaded at", .type = FT_TEXT, .flags = F_READONLY,
	 .max_len = 40, .help = "When the file was uploaded (UTC)."},
};

/* The type of the record a file belongs to, or NULL if this binary does not know it. */
static const struct record_type *owner_type(const struct ctx *c, const json_t *att)
{
	const char *plural = json_str(att, "record_type");
	const struct record_type *rt = plural ? registry_find(c->reg, plural) : NULL;
	return rt && strcmp(rt->plural, plural) == 0 ? rt : NULL;
}

static int check_owner_write(const struct ctx *c, const struct record_type *owner, struct err *e)
{
	if (!owner || !record_can_write(c, owner))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "your role may not change %s, so it may not add, change or delete "
			       "their files",
			       owner ? owner->label_plural : "that kind of record");
	return 0;
}

/* ERR_CONFLICT naming rec (of rt) and its state when it is frozen; why continues the
   sentence with what that means for the file. */
static int refuse_if_frozen(const struct record_type *rt, const json_t *rec, const char *why,
			    struct err *e)
{
	if (record_check_frozen(rt, rec, e) == 0)
		return 0;
	return err_set(e, ERR_CONFLICT, NULL, "%s %s is %s%s", rt->label, record_title(rt, rec),
		       json_str(rec, rt->state_field), why);
}

/* Refuses (ERR_CONFLICT) when the file is part of frozen evidence. A record that no longer
   exists holds nothing. */
static int check_not_evidence(struct ctx *c, const json_t *att, struct err *e)
{
	const struct record_type *owner = owner_type(c, att);
	struct store_rows *r = NULL;
	json_t *refs = json_array(), *rec = NULL, *ref;
	int rc, ret = -1;
	size_t i;
	if (owner && record_load(c, owner, json_int(att, "record_id"), &rec, e) < 0) {
		if (e->code != ERR_NOT_FOUND)
			goto out;
		err_clear(e);
	}
	if (rec && refuse_if_frozen(owner, rec,
				    ", and this file is part of it as evidence: it cannot be changed "
				    "or deleted",
				    e) < 0)
		goto out;
	struct store_val p[] = {SVS(attachments_type.name), SVI(json_int(att, "id"))};
	if (store_query(c->store,
			"SELECT from_type, from_id FROM record_links WHERE to_type = $1 AND "
			"to_id = $2 AND field = 'attachments' ORDER BY from_type, from_id",
			p, 2, &r, e) < 0)
		goto out;
	while ((rc = store_next(r, e)) > 0)
		json_array_append_new(refs, json_build("[s,I]", store_text(r, 0),
						      (json_int_t)store_int(r, 1)));
	if (rc < 0)
		goto out;
	json_array_foreach(refs, i, ref) {
		const struct record_type *rt = registry_find(c->reg, json_string_value(json_array_get(ref, 0)));
		json_decref(rec);
		rec = NULL;
		if (!rt || record_load(c, rt, json_integer_value(json_array_get(ref, 1)), &rec, e) < 0)
			goto out;
		if (refuse_if_frozen(rt, rec,
				     " and lists this file as evidence: it cannot be changed or deleted",
				     e) < 0)
			goto out;
	}
	ret = 0;
out:
	store_rows_free(r);
	json_decref(rec);
	json_decref(refs);
	return ret;
}

/* Only the description can change, by whoever may change the record the file belongs to,
   and not while it is part of frozen evidence. Creating goes through attachments_add. */
static int attachment_validate(struct ctx *c, const struct record_type *rt, json_t *rec,
			       const json_t *old, struct err *e)
{
	(void)rt;
	(void)rec;
	if (!old || c->system)
		return 0;
	if (check_owner_write(c, owner_type(c, old), e) < 0)
		return -1;
	return check_not_evidence(c, old, e);
}

/* Also drops the stored bytes when no other attachment shares them; the transaction undoes
   that if the delete fails later. */
static int attachment_before_delete(struct ctx *c, const struct record_type *rt,
				    const json_t *rec, struct err *e)
{
	(void)rt;
	if (check_owner_write(c, owner_type(c, rec), e) < 0 || check_not_evidence(c, rec, e) < 0)
		return -1;
	struct store_val p[] = {SVS(json_str(rec, "sha256")), SVI(json_int(rec, "id"))};
	return store_exec(c->store,
			  "DELETE FROM blobs WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM "
			  "attachments WHERE sha256 = $1 AND id <> $2)",
			  p, 2, e);
}

const struct record_type attachments_type = {
	.name = "attachment",
	.plural = "attachments",
	.table = "attachments",
	.label = "evidence file",
	.label_plural = "evidence files",
	.attached_type_field = "record_type",
	.attached_id_field = "record_id",
	.clause = "7.5.3",
	.help = "Files kept as documented information and evidence, each attached to one record: "
		"a signed report, a screenshot, an export. The bytes are stored once per content "
		"and checked by isms verify.",
	.section = "7",
	.title_field = "filename",
	.default_sort = "-id",
	.fields = attachment_fields,
	.nfields = sizeof attachment_fields / sizeof attachment_fields[0],
	.read_roles = ROLES_ANY,
	/* Per file, the write roles of the record it belongs to apply (validate, before_delete). */
	.write_roles = ROLES_ANY,
	.since = 1,
	.create_hint = "evidence files are added by uploading one to its record: POST "
		       "/api/v1/<type>/<id>/attachments (or isms attach TYPE ID FILE)",
	.validate = attachment_validate,
	.before_delete = attachment_before_delete,
};

bool attachments_accepts(const struct registry *reg, const struct record_type *rt)
{
	unsigned everyone = (1u << reg->nroles) - 1;
	return (rt->read_roles & everyone) == everyone && !rt->create_hint;
}

int attachments_limit(const char *mib, const char *what, size_t *bytes, struct err *e)
{
	long long n = ATTACHMENTS_DEFAULT_MIB;
	if (mib) {
		if (!text_to_ll(mib, 1, ATTACHMENTS_MAX_MIB, &n))
			return err_set(e, ERR_USAGE, what,
				       "%s takes the largest upload in MiB, a whole number from 1 to "
				       "%d, not \"%s\"",
				       what, ATTACHMENTS_MAX_MIB, mib);
	}
	*bytes = (size_t)n * 1024 * 1024;
	return 0;
}

/* Whether s (UTF-8) holds a bidirectional formatting character: U+061C, U+200E, U+200F,
   U+202A..U+202E or U+2066..U+2069. "invoice\u202Efdp.exe" shows as "invoiceexe.pdf". */
static bool has_bidi_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (p[0] == 0xd8 && p[1] == 0x9c)
			return true;
		if (p[0] != 0xe2 || !p[1] || !p[2])
			continue;
		if (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae)))
			return true;
		if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			return true;
	}
	return false;
}

/* The last path segment of name, checked: 1 to 255 bytes of UTF-8 without control or
   text direction characters, and not "." or "..". */
static int clean_filename(const char *name, char out[FILENAME_MAX_BYTES + 1], struct err *e)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strlen(base);
	if (n == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return err_set(e, ERR_INVALID, "filename", "give the file a name");
	if (n > FILENAME_MAX_BYTES)
		return err_set(e, ERR_INVALID, "filename",
			       "the file name is longer than %d bytes; shorten it",
			       FILENAME_MAX_BYTES);
	for (const unsigned char *p = (const unsigned char *)base; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return err_set(e, ERR_INVALID, "filename",
				       "the file name holds control characters");
	if (has_bidi_control(base))
		return err_set(e, ERR_INVALID, "filename",
			       "the file name holds a text direction control character (such as "
			       "right-to-left override), which can disguise its extension");
	json_t *s = json_string(base);
	if (!s)
		return err_set(e, ERR_INVALID, "filename", "the file name is not valid UTF-8");
	json_decref(s);
	memcpy(out, base, n + 1);
	return 0;
}

/* "Text/Plain; charset=x" -> "text/plain"; absent -> application/octet-stream. */
static int clean_media_type(const char *in, char out[MEDIA_TYPE_MAX + 1], struct err *e)
{
	size_t n = 0, slashes = 0;
	while (in && (*in == ' ' || *in == '\t'))
		in++;
	for (; in && *in && *in != ';' && *in != ' ' && *in != '\t'; in++) {
		char ch = (char)tolower((unsigned char)*in);
		if (n >= MEDIA_TYPE_MAX || !(isalnum((unsigned char)ch) || strchr("/!#$&^_.+-", ch)))
			return err_set(e, ERR_INVALID, "media_type",
				       "the declared media type is not of the form type/subtype");
		slashes += ch == '/';
		out[n++] = ch;
	}
	out[n] = '\0';
	if (n == 0) {
		snprintf(out, MEDIA_TYPE_MAX + 1, "application/octet-stream");
		return 0;
	}
	if (slashes != 1 || out[0] == '/' || out[n - 1] == '/')
		return err_set(e, ERR_INVALID, "media_type",
			       "the declared media type is not of the form type/subtype");
	return 0;
}

int attachments_add(struct ctx *c, const struct record_type *owner, long long owner_id,
		    const struct attachment_upload *up, json_t **out, struct err *e)
{
	char filename[FILENAME_MAX_BYTES + 1], media[MEDIA_TYPE_MAX + 1], hash[SEC_HASH_HEX];
	json_t *rec = NULL, *input = NULL;
	int ret = -1;
	*out = NULL;
	if (!attachments_accepts(c->reg, owner))
		return err_set(e, ERR_INVALID, NULL, "files cannot be attached to %s",
			       owner->label_plural);
	if (check_owner_write(c, owner, e) < 0 || record_get(c, owner, owner_id, &rec, e) < 0)
		return -1;
	if (refuse_if_frozen(owner, rec,
			     ": it is kept as evidence as it was, so no file can be added to it now",
			     e) < 0)
		goto out;
	if (clean_filename(up->filename, filename, e) < 0 ||
	    clean_media_type(up->media_type, media, e) < 0)
		goto out;
	sec_sha256_hex(up->data, up->len, hash);
	struct store_val p[] = {SVS(hash), SVI((long long)up->len), SVB(up->data, up->len)};
	if (store_exec(c->store,
		       "INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3) "
		       "ON CONFLICT (sha256) DO NOTHING",
		       p, 3, e) < 0)
		goto out;
	input = json_build("{s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s?}", "record_type",
			  owner->plural, "record_id", (json_int_t)owner_id, "filename", filename,
			  "media_type", media, "sniffed_type", sniff_media_type(up->data, up->len),
			  "size", (json_int_t)up->len, "sha256", hash, "uploaded_by",
			  c->actor.username, "uploaded_at", c->now, "description", up->description);
	bool was = c->system; /* isms writes the read-only fields; the actor is still logged */
	c->system = true;
	ret = record_create(c, &attachments_type, input, out, e);
	c->system = was;
out:
	json_decref(input);
	json_decref(rec);
	return ret;
}

int attachments_read(struct ctx *c, long long id, json_t **rec, struct buf *content,
		     struct err *e)
{
	struct store_rows *r = NULL;
	int rc, ret = -1;
	if (record_get(c, &attachments_type, id, rec, e) < 0)
		return -1;
	const struct record_type *owner = owner_type(c, *rec);
	if (!owner || !record_can_read(c, owner)) {
		err_set(e, ERR_FORBIDDEN, NULL, "your role may not read %s",
			owner ? owner->label_plural : "that kind of record");
		goto out;
	}
	struct store_val p[] = {SVS(json_str(*rec, "sha256"))};
	if (store_query(c->store, "SELECT content FROM blobs WHERE sha256 = $1", p, 1, &r, e) < 0 ||
	    (rc = store_next(r, e)) < 0)
		goto out;
	if (rc == 0) {
		err_set(e, ERR_STORE, NULL,
			"the content of %s is missing from the store; run isms verify",
			json_str(*rec, "filename"));
		goto out;
	}
	size_t len;
	const void *bytes = store_blob(r, 0, &len);
	buf_append(content, bytes, len);
	ret = 0;
out:
	store_rows_free(r);
	if (ret < 0) {
		json_decref(*rec);
		*rec = NULL;
	}
	return ret;
}
