#!/bin/sh
# Patterns the C tree must not contain, each with the reason; run by `make check`.
#   scripts/lint.sh        exit 0 when clean, 1 naming each offending line
cd "$(dirname "$0")/.." || exit 1
status=0
check() { # PATTERN WHY
	hits=$(grep -rnE "$1" src tests/support tests/unit --include='*.c' --include='*.h' \
		| grep -v '^src/base/json\.[ch]:' | grep -v 'lint: allow')
	if [ -n "$hits" ]; then
		printf 'lint: %s\n%s\n\n' "$2" "$hits" >&2
		status=1
	fi
}
check 'strcmp\((json_str|json_string_value)\(' \
	'a JSON string may be NULL: compare with str_eq (base/text.h)'
check 'strcmp\([^,]+, *(json_str|json_string_value)\(' \
	'a JSON string may be NULL: compare with str_eq (base/text.h)'
check '(^|[^_a-z])json_pack\(' \
	'json_pack may return NULL unnoticed: use json_build (base/json.h)'
check '(^|[^_a-z])(strtoll|strtol|atoi|atol)\(' \
	'parse numbers with text_to_ll (base/text.h): one strictness everywhere'
check '(^|[^_a-z])(sprintf|strcpy|strcat|gets)\(' \
	'unbounded string writes: use snprintf or struct buf'
exit $status
