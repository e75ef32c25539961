#ifndef STRATA_SAFETY_H
#define STRATA_SAFETY_H

/* NULL if a raw probe of syscall `nr` (arch AUDIT_ARCH_*) with `args` is safe to make on the
 * host, else why it is not. */
const char *probe_unsafe(unsigned long long nr, unsigned long long arch, const unsigned long long *args);

#endif
