/* epoll (course section: the integrated event system). */
#ifndef KERNEL_EPOLL_H
#define KERNEL_EPOLL_H

struct file;

/* The file is going away: remove it from every epoll set (kernel/fs/file.c). */
void epoll_file_closed(struct file *f);

#endif
