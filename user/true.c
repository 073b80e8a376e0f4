/* true: do nothing, successfully (course section: processes).
 *
 * A program's result is its exit status: 0 means success, anything else
 * failure. The shell's && and || and `if` look only at that number. */
int main(void)
{
	return 0;
}
