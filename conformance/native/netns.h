/* The scenarios' private network namespace (netns.c). */
#ifndef STRATA_NETNS_H
#define STRATA_NETNS_H

/* In the executor: a descriptor of the one network namespace the scenarios share, made on
 * first use (loopback up), or -1 when none can be made. */
int netns_shared(void);

/* In a coordinator: enter the shared namespace `fd` (setns), else a new one of its own
 * (unshare, loopback up). 0 on success. */
int netns_enter(int fd);

#endif
