/* argv: prints argc and every argument with its length, in brackets so
 * empty arguments, spaces and UTF-8 are visible, then checks that
 * argv[argc] is NULL.  The exit status is the number of arguments after
 * the program name, so the argument count is also checked that way. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = [%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    return argc - 1;
}
