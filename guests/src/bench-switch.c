/* bench-switch: a state machine over a large switch, as in a lexer or a
 * protocol decoder: a character-at-a-time tokenizer for C-like text whose
 * state is one `switch` of 30 cases (identifiers, decimal, hex and floating
 * numbers with exponents, strings and characters with escapes, line and
 * block comments, one- to three-character operators), with a nested switch
 * over the character in the start state and keywords told apart by a switch
 * on length and first letter.  The text (argv[1] KiB, default 256) is
 * generated from a fixed seed; it is lexed argv[2] times (default 40).
 * Prints the count of each token kind and a hash of the token sequence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

enum kind { T_IDENT, T_KEYWORD, T_INT, T_HEX, T_FLOAT, T_STRING, T_CHAR, T_OP, T_COMMENT, T_BAD, NKINDS };
static const char *const kind_name[NKINDS] = {
    "ident", "keyword", "int", "hex", "float", "string", "char", "op", "comment", "bad",
};

enum state {
    S_START, S_IDENT, S_ZERO, S_HEX, S_DEC, S_DOT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPDIG,
    S_STR, S_STR_ESC, S_CHR, S_CHR_ESC, S_SLASH, S_LINE, S_BLOCK, S_BLOCK_STAR,
    S_LT, S_LTLT, S_GT, S_GTGT, S_PLUS, S_MINUS, S_AMP, S_PIPE, S_EQ_LIKE, S_STAR, S_DOTDOT, S_HASH,
};

static uint64_t rng = 88172645463325252u;
static unsigned next_random(void)
{
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (unsigned)(rng >> 20);
}

/* Appends one pseudo-random token and a separator to out; returns the new length. */
static size_t gen_token(char *out, size_t at)
{
    static const char *const pieces[] = {
        "if", "else", "while", "for", "return", "int", "char", "struct", "static", "const", "sizeof", "break",
        "count", "buf", "next_item", "_tmp", "x1", "node", "len", "ptr", "value", "q", "state", "table",
        "0", "1", "42", "1000", "0x7f", "0XdeadBEEF", "3.14", "1e10", "2.5e-3", ".5", "6.02E+23", "017",
        "\"hello\"", "\"a\\n\\tb\"", "\"\\\"q\\\"\"", "'x'", "'\\n'", "'\\''", "// note\n", "/* block * text */",
        "+", "++", "+=", "-", "--", "->", "-=", "*", "*=", "/", "/=", "%", "<", "<<", "<<=", "<=", ">", ">>",
        ">>=", ">=", "=", "==", "!", "!=", "&", "&&", "&=", "|", "||", "|=", "^", "~", "?", ":", ";", ",",
        "(", ")", "{", "}", "[", "]", ".", "...", "#define", "@",
    };
    static const char seps[] = "  \n\t ";
    const char *p = pieces[next_random() % (sizeof pieces / sizeof *pieces)];
    size_t len = strlen(p);
    memcpy(out + at, p, len);
    at += len;
    out[at++] = seps[next_random() % 5];
    return at;
}

static enum kind word_kind(const char *s, size_t len)
{
    switch (len) {
    case 2: if (s[0] == 'i' && s[1] == 'f') return T_KEYWORD; break;
    case 3:
        if (memcmp(s, "int", 3) == 0 || memcmp(s, "for", 3) == 0) return T_KEYWORD;
        break;
    case 4:
        switch (s[0]) {
        case 'e': if (memcmp(s, "else", 4) == 0) return T_KEYWORD; break;
        case 'c': if (memcmp(s, "char", 4) == 0) return T_KEYWORD; break;
        }
        break;
    case 5:
        switch (s[0]) {
        case 'w': if (memcmp(s, "while", 5) == 0) return T_KEYWORD; break;
        case 'c': if (memcmp(s, "const", 5) == 0) return T_KEYWORD; break;
        case 'b': if (memcmp(s, "break", 5) == 0) return T_KEYWORD; break;
        }
        break;
    case 6:
        switch (s[0]) {
        case 'r': if (memcmp(s, "return", 6) == 0) return T_KEYWORD; break;
        case 's':
            if (memcmp(s, "struct", 6) == 0 || memcmp(s, "static", 6) == 0 || memcmp(s, "sizeof", 6) == 0) return T_KEYWORD;
            break;
        }
        break;
    }
    return T_IDENT;
}

static long counts[NKINDS];
static uint64_t hash;

static void emit(enum kind k, const char *start, const char *end)
{
    if (k == T_IDENT) k = word_kind(start, (size_t)(end - start));
    counts[k]++;
    hash = (hash ^ (uint64_t)k) * 0x100000001b3u + (uint64_t)(end - start);
}

static int is_ident(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'); }
static int is_hex(int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static void lex(const char *text, size_t n)
{
    enum state s = S_START;
    const char *start = text;
    /* `again` re-examines the current character in the start state after a
     * token that ends without consuming it; the terminating NUL flushes the last token. */
    for (const char *p = text; p <= text + n; p++) {
        int c = (unsigned char)*p;
    again:
        switch (s) {
        case S_START:
            start = p;
            switch (c) {
            case ' ': case '\t': case '\n': case '\r': case 0: break;
            case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g': case 'h': case 'i':
            case 'j': case 'k': case 'l': case 'm': case 'n': case 'o': case 'p': case 'q': case 'r':
            case 's': case 't': case 'u': case 'v': case 'w': case 'x': case 'y': case 'z': case '_':
            case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': case 'G': case 'H': case 'I':
            case 'J': case 'K': case 'L': case 'M': case 'N': case 'O': case 'P': case 'Q': case 'R':
            case 'S': case 'T': case 'U': case 'V': case 'W': case 'X': case 'Y': case 'Z':
                s = S_IDENT; break;
            case '0': s = S_ZERO; break;
            case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
                s = S_DEC; break;
            case '.': s = S_DOT; break;
            case '"': s = S_STR; break;
            case '\'': s = S_CHR; break;
            case '/': s = S_SLASH; break;
            case '<': s = S_LT; break;
            case '>': s = S_GT; break;
            case '+': s = S_PLUS; break;
            case '-': s = S_MINUS; break;
            case '&': s = S_AMP; break;
            case '|': s = S_PIPE; break;
            case '=': case '!': case '%': case '^': s = S_EQ_LIKE; break;
            case '*': s = S_STAR; break;
            case '#': s = S_HASH; break;
            case '(': case ')': case '{': case '}': case '[': case ']': case ';': case ',':
            case '?': case ':': case '~':
                emit(T_OP, p, p + 1); break;
            default: emit(T_BAD, p, p + 1); break;
            }
            break;
        case S_IDENT: if (!is_ident(c)) { emit(T_IDENT, start, p); s = S_START; goto again; } break;
        case S_ZERO:
            if (c == 'x' || c == 'X') s = S_HEX;
            else if (c >= '0' && c <= '9') s = S_DEC;
            else if (c == '.') s = S_FRAC;
            else { emit(T_INT, start, p); s = S_START; goto again; }
            break;
        case S_HEX: if (!is_hex(c)) { emit(T_HEX, start, p); s = S_START; goto again; } break;
        case S_DEC:
            if (c == '.') s = S_FRAC;
            else if (c == 'e' || c == 'E') s = S_EXP;
            else if (c < '0' || c > '9') { emit(T_INT, start, p); s = S_START; goto again; }
            break;
        case S_DOT:
            if (c >= '0' && c <= '9') s = S_FRAC;
            else if (c == '.') s = S_DOTDOT;
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_FRAC:
            if (c == 'e' || c == 'E') s = S_EXP;
            else if (c < '0' || c > '9') { emit(T_FLOAT, start, p); s = S_START; goto again; }
            break;
        case S_EXP:
            if (c == '+' || c == '-') s = S_EXPSIGN;
            else if (c >= '0' && c <= '9') s = S_EXPDIG;
            else { emit(T_BAD, start, p); s = S_START; goto again; }
            break;
        case S_EXPSIGN:
            if (c >= '0' && c <= '9') s = S_EXPDIG;
            else { emit(T_BAD, start, p); s = S_START; goto again; }
            break;
        case S_EXPDIG: if (c < '0' || c > '9') { emit(T_FLOAT, start, p); s = S_START; goto again; } break;
        case S_STR:
            if (c == '\\') s = S_STR_ESC;
            else if (c == '"') { emit(T_STRING, start, p + 1); s = S_START; }
            else if (c == '\n' || c == 0) { emit(T_BAD, start, p); s = S_START; }
            break;
        case S_STR_ESC: s = S_STR; break;
        case S_CHR:
            if (c == '\\') s = S_CHR_ESC;
            else if (c == '\'') { emit(T_CHAR, start, p + 1); s = S_START; }
            break;
        case S_CHR_ESC: s = S_CHR; break;
        case S_SLASH:
            if (c == '/') s = S_LINE;
            else if (c == '*') s = S_BLOCK;
            else if (c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_LINE: if (c == '\n' || c == 0) { emit(T_COMMENT, start, p); s = S_START; } break;
        case S_BLOCK: if (c == '*') s = S_BLOCK_STAR; break;
        case S_BLOCK_STAR:
            if (c == '/') { emit(T_COMMENT, start, p + 1); s = S_START; }
            else if (c != '*') s = S_BLOCK;
            break;
        case S_LT:
            if (c == '<') s = S_LTLT;
            else if (c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_GT:
            if (c == '>') s = S_GTGT;
            else if (c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_LTLT: case S_GTGT:
            if (c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_PLUS:
            if (c == '+' || c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_MINUS:
            if (c == '-' || c == '=' || c == '>') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_AMP:
            if (c == '&' || c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_PIPE:
            if (c == '|' || c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_EQ_LIKE: case S_STAR:
            if (c == '=') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        case S_DOTDOT:
            if (c == '.') { emit(T_OP, start, p + 1); s = S_START; }
            else { emit(T_BAD, start, p); s = S_START; goto again; }
            break;
        case S_HASH:
            if (!is_ident(c)) { emit(T_OP, start, p); s = S_START; goto again; }
            break;
        }
    }
}

int main(int argc, char **argv)
{
    size_t kib = argc > 1 ? (size_t)atol(argv[1]) : 256;
    int reps = argc > 2 ? atoi(argv[2]) : 40;
    size_t cap = kib * 1024, n = 0;
    char *text = malloc(cap + 64);
    while (n < cap) n = gen_token(text, n);
    text[n] = 0;
    for (int r = 0; r < reps; r++) lex(text, n);
    printf("%zu bytes lexed %d times\n", n, reps);
    for (int k = 0; k < NKINDS; k++) printf("%s %ld\n", kind_name[k], counts[k]);
    printf("token hash %llu\n", (unsigned long long)hash);
    return 0;
}
