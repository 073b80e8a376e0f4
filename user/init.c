/* init: placeholder first version for bring-up (replaced below). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("init: pid %d, argc %d, argv[0] %s\n", getpid(), argc, argv[0]);
	return 0;
}
