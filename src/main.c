/* main.c — the isms binary: the CLI over the product registry. */
#include "cli/cli.h"
#include "iso27001/iso.h"

int main(int argc, char **argv)
{
	const struct registry *reg = iso_registry();
	return reg ? cli_main(argc, argv, reg) : 1;
}
