/*
 * mapping: shared, file-backed and private mappings (course section:
 * shared memory, "mmap file communication").
 *
 * The point under test is which frames a mapping shows: a MAP_SHARED
 * mapping of a file shows the file's own pages, so it is coherent with
 * read() and write() and with every other process's shared mapping of the
 * file, both ways; a MAP_PRIVATE mapping shows them too until the first
 * write, which copies the page (copy on write) so the file never changes;
 * MAP_SHARED|MAP_ANONYMOUS memory stays the same frames across fork, even
 * pages first touched after it. Around that: the errnos of mmap on files
 * (EBADF, EACCES, ENODEV, EINVAL, EEXIST, EOPNOTSUPP), SIGBUS beyond the
 * end of the file, partial munmap and mprotect of file mappings (the offset
 * of each piece must stay right), msync, madvise(MADV_DONTNEED) on each
 * kind of memory, MAP_POPULATE, PROT_EXEC of a file, faults outside every
 * region (bad-input catalogue 9, with faults.c), and no leaks.
 * memory.c covers anonymous private mappings and brk.
 *
 * Its parts, one concept a file: file_maps.c, protections.c, mremap.c; main.c keeps the shared
 * helpers and runs them all.
 */
#include "mapping.h"

int main(void)
{
	t_begin("mapping");
	test_leaks(); /* first: the rest must not disturb its counts */
	warm_up();
	t_group("errors", test_errors);
	t_group("file coherence", test_file_coherence);
	t_group("file between processes", test_file_between_processes);
	t_group("private copy on write", test_private_cow);
	t_group("SIGBUS", test_sigbus);
	t_group("split", test_split);
	t_group("shared anonymous", test_shared_anonymous);
	t_group("/dev/zero", test_dev_zero);
	t_group("msync and madvise", test_msync_madvise);
	t_group("PROT_EXEC and MAP_FIXED", test_exec_and_fixed);
	t_group("outside every region", test_outside_regions);
	t_group("mprotect of present pages", test_protect_present);
	t_group("the brk heap", test_heap);
	t_group("mremap", test_mremap);
	t_group("mremap duplicate", test_mremap_duplicate);
	return t_end();
}
