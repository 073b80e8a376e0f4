/* /dev/null and /dev/zero (course section: files). */
#ifndef DRIVERS_MEMDEV_H
#define DRIVERS_MEMDEV_H

void memdev_init(void);

#endif
