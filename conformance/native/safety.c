/* Raw-syscall probes run as root on the live machine. A few syscalls can reach outside the
 * scenario's process group (signals to arbitrary pids, host-global settings, leaving the
 * process group the executor kills, or breaking the executor's own plumbing); probes of those
 * are reported as `skip` and never made. The default request universe (model/universe.ts)
 * contains none of them. */
#include "safety.h"
#include "book.h"
#include "sys.h"

#include <stddef.h>

struct rule {
	unsigned nr;
	int arg;          /* -1: always unsafe; else unsafe unless args[arg] passes `check` */
	int check;        /* 0: args[arg] == 0 (signal 0 only), 1: args[arg] below the executor's descriptors (fd) */
	const char *why;
};

#define SIG "it sends signals to arbitrary processes"
#define HOST "it changes host-global state"
#define PROC "it acts on arbitrary processes"
#define PGID "it moves the task to another process group, which the model follows only through the setpgid op"
#define SID "it leaves the session the executor kills"
#define TASK "it would duplicate the task's command loop"
#define PLUMB "it would close or replace the executor's channel descriptors"

static const struct rule X86_64[] = {
	{62, 1, 0, SIG}, {200, 1, 0, SIG}, {234, 2, 0, SIG}, {129, -1, 0, SIG}, {297, -1, 0, SIG}, {424, -1, 0, SIG},
	{169, -1, 0, HOST}, {246, -1, 0, HOST}, {320, -1, 0, HOST}, {175, -1, 0, HOST}, {313, -1, 0, HOST},
	{176, -1, 0, HOST}, {167, -1, 0, HOST}, {168, -1, 0, HOST}, {170, -1, 0, HOST}, {171, -1, 0, HOST},
	{164, -1, 0, HOST}, {227, -1, 0, HOST}, {305, -1, 0, HOST}, {159, -1, 0, HOST}, {163, -1, 0, HOST},
	{165, -1, 0, HOST}, {166, -1, 0, HOST}, {155, -1, 0, HOST}, {172, -1, 0, HOST}, {173, -1, 0, HOST},
	{103, -1, 0, HOST}, {321, -1, 0, HOST}, {179, -1, 0, HOST}, {298, -1, 0, HOST},
	{248, -1, 0, PROC}, {249, -1, 0, PROC}, {250, -1, 0, PROC},
	{101, -1, 0, PROC}, {311, -1, 0, PROC}, {141, -1, 0, PROC}, {144, -1, 0, PROC}, {203, -1, 0, PROC},
	{251, -1, 0, PROC}, {302, -1, 0, PROC}, {256, -1, 0, PROC}, {279, -1, 0, PROC},
	{109, -1, 0, PGID}, {112, -1, 0, SID},
	{56, -1, 0, TASK}, {57, -1, 0, TASK}, {58, -1, 0, TASK}, {435, -1, 0, TASK},
	{3, 0, 1, PLUMB}, {33, 1, 1, PLUMB}, {292, 1, 1, PLUMB}, {436, 1, 1, PLUMB},
};

static const struct rule I386[] = {
	{37, 1, 0, SIG}, {238, 1, 0, SIG}, {270, 2, 0, SIG}, {178, -1, 0, SIG}, {335, -1, 0, SIG}, {424, -1, 0, SIG},
	{88, -1, 0, HOST}, {283, -1, 0, HOST}, {128, -1, 0, HOST}, {350, -1, 0, HOST}, {129, -1, 0, HOST},
	{87, -1, 0, HOST}, {115, -1, 0, HOST}, {74, -1, 0, HOST}, {121, -1, 0, HOST}, {79, -1, 0, HOST},
	{25, -1, 0, HOST}, {264, -1, 0, HOST}, {343, -1, 0, HOST}, {124, -1, 0, HOST}, {51, -1, 0, HOST},
	{21, -1, 0, HOST}, {22, -1, 0, HOST}, {52, -1, 0, HOST}, {217, -1, 0, HOST}, {110, -1, 0, HOST},
	{101, -1, 0, HOST}, {103, -1, 0, HOST}, {357, -1, 0, HOST}, {131, -1, 0, HOST}, {336, -1, 0, HOST},
	{286, -1, 0, PROC}, {287, -1, 0, PROC}, {288, -1, 0, PROC},
	{26, -1, 0, PROC}, {348, -1, 0, PROC}, {97, -1, 0, PROC}, {156, -1, 0, PROC}, {241, -1, 0, PROC},
	{289, -1, 0, PROC}, {340, -1, 0, PROC}, {294, -1, 0, PROC}, {317, -1, 0, PROC},
	{57, -1, 0, PGID}, {66, -1, 0, SID},
	{2, -1, 0, TASK}, {190, -1, 0, TASK}, {120, -1, 0, TASK}, {435, -1, 0, TASK},
	{6, 0, 1, PLUMB}, {63, 1, 1, PLUMB}, {330, 1, 1, PLUMB}, {436, 1, 1, PLUMB},
};

static const char *lookup(const struct rule *r, size_t n, unsigned nr, const unsigned long long *args, unsigned mask)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].nr != nr) continue;
		if (r[i].arg < 0) return r[i].why;
		unsigned long long v = args[r[i].arg] & mask;
		/* the executor's descriptors: the scenario's detached mounts' (DETACHED_FD), then EXEC_FD on */
		int ok = r[i].check == 0 ? v == 0 : v < (unsigned long long)(EXEC_FD - (S ? S->ndetached : 0));
		return ok ? NULL : r[i].why;
	}
	return NULL;
}

const char *probe_unsafe(unsigned long long nr, unsigned long long arch, const unsigned long long *args)
{
	if (arch == AUDIT_ARCH_I386_) return lookup(I386, sizeof I386 / sizeof I386[0], (unsigned)nr, args, 0xffffffffU);
	/* x32 numbers (bit 30) reach the same handlers */
	return lookup(X86_64, sizeof X86_64 / sizeof X86_64[0], (unsigned)(nr & ~0x40000000ULL), args, 0xffffffffU);
}
