#ifndef STRATA_FEATURES_H
#define STRATA_FEATURES_H

#include <stdio.h>

/* Exit code of "strata-exec --selftest-exec": the exec path through the memfd works. */
#define SELFTEST_EXEC_CODE 42

/* Print "feature <key> <value>" lines and "end" (detected once, then cached). */
void features_print(FILE *out);

#endif
