/* The mount probe's directories and their reset (mounts.c). */
#ifndef STRATA_MOUNTS_H
#define STRATA_MOUNTS_H
#include <stddef.h>

/* Make the directories under the work directory `base` (and mnt.m's tmpfs when the scenario
 * has its own mount namespace); sets g_mnt. 0 or -errno. */
int mounts_setup(const char *base);
/* The directory a call acts on besides g_mnt (s2 of the probe). */
void mount_dir_of(int call, char *out, size_t n);
/* Undo whatever a mount probe did; on failure g_mounts_broken is set, and later mount probes
 * are skipped with the reason. */
void mount_reset(void);
extern int g_mounts_broken;
#endif
