/* false: do nothing, unsuccessfully (course section: processes).
 *
 * The exit status 1 is "failure"; try `false || echo failed` in the shell. */
int main(void)
{
	return 1;
}
