/* The mount probe's setting (model/landlock/mount.ts), in the scenario's private mount
 * namespace, beside the model tree under the work directory:
 *   mnt      a plain directory: where new, bind, move and move_mount put a mount
 *   mnt.src  a plain directory: the bind and open_tree source
 *   mnt.m    a tmpfs mount: what remount, propagation, move, umount, move_mount and
 *            mount_setattr act on
 *   mnt.p    a plain directory, no mount point: pivot_root's new root (EINVAL when allowed,
 *            so the namespace's root never moves)
 * After every mount probe the coordinator resets them (mount_reset): whatever the call did,
 * mnt holds no mount and mnt.m exactly one fresh private tmpfs. */
#define _GNU_SOURCE
#include "book.h"
#include "mounts.h"
#include "chan.h"

#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

static char g_mnt_src[320], g_mnt_m[320], g_mnt_p[320];

static int fresh_tmpfs(const char *dir)
{
	return mount("strata", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k");
}

int mounts_setup(const char *base)
{
	snprintf(g_mnt, sizeof g_mnt, "%.256s/mnt", base);
	snprintf(g_mnt_src, sizeof g_mnt_src, "%.256s/mnt.src", base);
	snprintf(g_mnt_m, sizeof g_mnt_m, "%.256s/mnt.m", base);
	snprintf(g_mnt_p, sizeof g_mnt_p, "%.256s/mnt.p", base);
	const char *dirs[] = {g_mnt, g_mnt_src, g_mnt_m, g_mnt_p};
	for (unsigned k = 0; k < sizeof dirs / sizeof *dirs; k++)
		if (mkdir(dirs[k], 0755) && errno != EEXIST) return -errno;
	g_mounts_broken = 0;
	if (g_mount_ok && fresh_tmpfs(g_mnt_m)) return -errno;
	return 0;
}

void mount_dir_of(int call, char *out, size_t n)
{
	const char *d = call == MC_BIND || call == MC_OPEN_TREE ? g_mnt_src : call == MC_PIVOT_ROOT ? g_mnt_p : g_mnt_m;
	snprintf(out, n, "%s", d);
}

int g_mounts_broken;

void mount_reset(void)
{
	while (umount2(g_mnt, MNT_DETACH) == 0)
		;
	while (umount2(g_mnt_m, MNT_DETACH) == 0)
		;
	/* without its tmpfs the next probes would act on another setting than the model's */
	if (fresh_tmpfs(g_mnt_m)) g_mounts_broken = 1;
}
