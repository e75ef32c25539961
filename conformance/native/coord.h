/* The per-scenario coordinator: a child of the executor in its own process group. It builds
 * the model file system under `base`/root, starts the initial task, sends every op to the
 * task it names and writes one result line per op to `out` (the reply grammar of
 * conformance/protocol.md), in op order. It never installs a filter or a domain itself. */
#ifndef STRATA_COORD_H
#define STRATA_COORD_H

#include "proto.h"

/* `netns_fd`: the shared network namespace to enter for a scenario with option netns (netns.c),
 * or -1 (then a new one is made). */
int coord_main(const struct scenario *sc, const char *base, int out, int netns_fd);

#endif
