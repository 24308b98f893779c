/* bench-syscalls: argv[1] cheap syscalls (default 1000000), getppid() through
 * syscall(2) in a loop, so the run is dominated by the syscall path (entry,
 * dispatch, exit, return to user) rather than by user code.  Prints the count
 * and the sum of the results.  tools/bench-engines.mjs measures what utrace
 * engines add to each syscall with it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long sum = 0;
    for (long i = 0; i < n; i++)
        sum += syscall(SYS_getppid);
    printf("%ld getppid calls, sum %ld\n", n, sum);
    return 0;
}
