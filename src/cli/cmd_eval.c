/* cmd_eval.c — placeholder until "landrec eval" lands. */
#include <stdio.h>

#include "cli.h"

int cmd_eval(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("landrec: eval: not built yet\n", stderr);
    return LR_EXIT_CANNOT_RUN;
}
