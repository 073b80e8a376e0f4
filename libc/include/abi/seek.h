/* lseek's whence, also struct flock's l_whence (Linux's values). */
#ifndef ABI_SEEK_H
#define ABI_SEEK_H

#define SEEK_SET 0	/* from the start of the file */
#define SEEK_CUR 1	/* from the current position */
#define SEEK_END 2	/* from the end of the file */
#define SEEK_DATA 3	/* to the next byte that is not in a hole */
#define SEEK_HOLE 4	/* to the next hole (the end of the file is one) */

#endif
