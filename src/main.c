/* main.c — the isms binary: the CLI over the product registry. */
#include "cli/cli.h"
#include "iso27001/iso.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv, &isms_registry);
}
