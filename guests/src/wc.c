/* wc: reads stdin line by line with getline (lines of any length, a last
 * line without a newline, empty input) and prints line, word and byte
 * counts, the longest line, and the lines containing argv[1] if given --
 * a small wc + grep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

int main(int argc, char **argv)
{
    const char *pattern = argc > 1 ? argv[1] : NULL;
    char *line = NULL, *longest = NULL;
    size_t cap = 0, longest_len = 0;
    ssize_t n;
    unsigned long lines = 0, words = 0, bytes = 0, matches = 0;
    int unterminated = 0;

    while ((n = getline(&line, &cap, stdin)) != -1) {
        bytes += n;
        if (line[n - 1] == '\n') {
            lines++;
            line[--n] = 0;
        } else {
            unterminated = 1;
        }
        int in_word = 0;
        for (ssize_t i = 0; i < n; i++) {
            if (isspace((unsigned char)line[i])) in_word = 0;
            else if (!in_word) { in_word = 1; words++; }
        }
        if ((size_t)n > longest_len || !longest) {
            free(longest);
            longest = strdup(line);
            longest_len = n;
        }
        if (pattern && strstr(line, pattern)) {
            matches++;
            printf("%lu:%s\n", lines + unterminated, line);
        }
    }
    printf("%7lu %7lu %7lu\n", lines, words, bytes);
    if (longest) printf("longest line (%zu chars): %s\n", longest_len, longest);
    if (unterminated) fprintf(stderr, "wc: warning: last line has no newline\n");
    if (pattern) fprintf(stderr, "wc: %lu line(s) matched \"%s\"\n", matches, pattern);
    free(line);
    free(longest);
    return 0;
}
