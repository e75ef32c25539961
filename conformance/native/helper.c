/* strata-task: the image a task execs into (the exec op). No libc: the kernel starts it at
 * _start and the only system calls before it serves commands again are fcntl(2) (its channel
 * back to close-on-exec), rt_sigaction(2) twice (SIGSYS's action, then the handler unless the
 * action was SIG_IGN: task.c:image_trap_install) and write(2) (its hello), so
 * the task's own filters, which exec keeps (fs/exec.c), rarely stop it. glibc's static
 * start-up would make a dozen more (brk, arch_prctl, set_tid_address, rseq, getrandom...).
 * Built -nostdlib -fno-stack-protector (there is no TLS for a canary). */
#include "features.h"
#include "sys.h"
#include "task.h"

#include <stddef.h>

__attribute__((naked, noreturn)) void _start(void)
{
	__asm__ volatile("xor %ebp, %ebp\n\t"
			 "mov %rsp, %rdi\n\t"
			 "and $-16, %rsp\n\t"
			 "call helper_main\n\t"
			 "hlt");
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) a++, b++;
	return *a == *b;
}

__attribute__((used, noreturn)) void helper_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	long code = 111;
	if (argc >= 2 && streq(argv[1], "--selftest-exec")) code = SELFTEST_EXEC_CODE;
	else if (argc >= 3 && streq(argv[1], "--task")) code = task_image_main(argc, argv);
	for (;;) sc1(SYS_exit_group, code);
}

/* What the compiler may call for struct copies and initialisers. */
void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	while (n--) *p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	while (n--) *p++ = *q++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;
	if (p < q) while (n--) *p++ = *q++;
	else while (n--) p[n] = q[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	for (; n--; p++, q++)
		if (*p != *q) return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n]) n++;
	return n;
}
