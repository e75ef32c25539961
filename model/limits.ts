// Every numeric limit of the model, in one place (cf. security/landlock/limits.h,
// include/uapi/linux/filter.h, kernel/seccomp.c). Nobody else writes these numbers.

/** BPF_MAXINSNS: a classic program has 1..4096 instructions (bpf_check_classic). */
export const BPF_MAXINSNS = 4096;
/** MAX_INSNS_PER_PATH: sum over the chain of (eBPF len + 4), kernel/seccomp.c. */
export const MAX_INSNS_PER_PATH = 32768;
/** Per-filter overhead counted by seccomp_attach_filter for every existing filter. */
export const SECCOMP_PATH_OVERHEAD = 4;
/** sizeof(struct seccomp_data). */
export const SECCOMP_DATA_SIZE = 64;
/** SECCOMP_RET_DATA / errno cap (MAX_ERRNO) applied to RET_ERRNO data. */
export const MAX_ERRNO = 4095;
/** BPF_MEMWORDS: scratch memory words of the classic machine. */
export const BPF_MEMWORDS = 16;

/** LANDLOCK_MAX_NUM_LAYERS (5.19+; 64 before). security/landlock/limits.h */
export const LANDLOCK_MAX_NUM_LAYERS = 16;
/** Highest Landlock ABI the model knows (ABI 8 = RESTRICT_SELF_TSYNC, Linux 7.0). */
export const LANDLOCK_ABI_MAX = 8;
/** Highest TCP port accepted by landlock_add_rule (net.c: port > U16_MAX → EINVAL). */
export const LANDLOCK_PORT_MAX = 65535;

/** First fd number handed out in a task's table (0,1,2 are stdio). */
export const FIRST_FD = 3;
