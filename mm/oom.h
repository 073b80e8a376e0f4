/* The out-of-memory killer (course section: memory). */
#ifndef MM_OOM_H
#define MM_OOM_H

#include "kernel/types.h"

#define OOM_SCORE_ADJ_MIN (-1000) /* never chosen */
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_MAX_KILLS 4 /* victims one fault may claim before it fails */

enum oom_result {
	OOM_NOTHING,       /* no victim, or memory is not what ran out: fail as before */
	OOM_KILLED_OTHER,  /* another process was killed and is gone: try again */
	OOM_KILLED_CURRENT /* the caller was chosen: SIGKILL is pending, it dies on its way out */
};

/* Memory ran out at a page fault: kill the process whose death frees most. */
enum oom_result oom_kill_one(void);

struct task;
/* /proc/PID/oom_score: Linux's scale, 0..2000 * 2/3 (666 for a small process at adj 0). */
long oom_score(struct task *t);

#endif
