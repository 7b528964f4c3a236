/* cmd_review.c — placeholder until "landrec review" lands. */
#include <stdio.h>

#include "cli.h"

int cmd_review(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("landrec: review: not built yet\n", stderr);
    return LR_EXIT_CANNOT_RUN;
}
