/* The leak scanner: /proc/kmemleak (course section: memory debugging). */
#ifndef KERNEL_DEBUG_KMEMLEAK_H
#define KERNEL_DEBUG_KMEMLEAK_H

void kmemleak_init(void);
/* A scan, reported to the kernel log (when init exits). */
void kmemleak_scan_to_log(void);

#endif
