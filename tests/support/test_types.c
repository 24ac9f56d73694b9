/* test_types.c — the isms-test binary: the product plus the test-only widget type, for the
   black-box API tests of generic behaviour (every field type, references, workflows). */
#include "../../src/cli/cli.h"
#include "widget.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv, widget_registry());
}
