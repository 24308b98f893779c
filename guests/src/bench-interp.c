/* bench-interp: a tiny stack-machine bytecode interpreter (a switch in a
 * loop: indirect jumps, unpredictable branches, an explicit call stack)
 * running three programs with n = argv[1] (default 26): a loop summing
 * squares 1000*n times, recursive fib(n), and an n x n nested loop. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JMP, JZ, CALL, RET, ARG, HALT };

typedef struct { int op; int64_t arg; } Insn;

static int64_t run(const Insn *code, int64_t arg, long *steps)
{
    int64_t stack[4096], vars[8] = { 0 };
    struct { int pc; int64_t arg; } frames[1024];
    int sp = 0, fp = 0, pc = 0;
    for (;;) {
        Insn in = code[pc++];
        ++*steps;
        switch (in.op) {
        case PUSH: stack[sp++] = in.arg; break;
        case LOAD: stack[sp++] = vars[in.arg]; break;
        case STORE: vars[in.arg] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JMP: pc = (int)in.arg; break;
        case JZ: if (stack[--sp] == 0) pc = (int)in.arg; break;
        case CALL:   /* the argument is popped; the result is left on the stack */
            frames[fp].pc = pc; frames[fp].arg = arg; fp++;
            arg = stack[--sp];
            pc = (int)in.arg;
            break;
        case RET:
            if (fp == 0) return stack[sp - 1];
            fp--; pc = frames[fp].pc; arg = frames[fp].arg;
            break;
        case ARG: stack[sp++] = arg; break;
        case HALT: return stack[sp - 1];
        }
    }
}

/* sum = 0; for (i = 0; i < arg*1000; i++) sum = (sum + i*i) % 1000003 */
static const Insn loop[] = {
    /*  0 */ { PUSH, 0 }, { STORE, 0 }, { PUSH, 0 }, { STORE, 1 },
    /*  4 */ { LOAD, 1 }, { ARG, 0 }, { PUSH, 1000 }, { MUL, 0 }, { LT, 0 }, { JZ, 23 },
    /* 10 */ { LOAD, 0 }, { LOAD, 1 }, { LOAD, 1 }, { MUL, 0 }, { ADD, 0 },
    /* 15 */ { PUSH, 1000003 }, { MOD, 0 }, { STORE, 0 },
    /* 18 */ { LOAD, 1 }, { PUSH, 1 }, { ADD, 0 }, { STORE, 1 }, { JMP, 4 },
    /* 23 */ { LOAD, 0 }, { HALT, 0 },
};

/* fib(arg) = arg < 2 ? arg : fib(arg-1) + fib(arg-2) */
static const Insn fib[] = {
    /*  0 */ { ARG, 0 }, { PUSH, 2 }, { LT, 0 }, { JZ, 6 },
    /*  4 */ { ARG, 0 }, { RET, 0 },
    /*  6 */ { ARG, 0 }, { PUSH, 1 }, { SUB, 0 }, { CALL, 0 },
    /* 10 */ { ARG, 0 }, { PUSH, 2 }, { SUB, 0 }, { CALL, 0 },
    /* 14 */ { ADD, 0 }, { RET, 0 },
};

/* t = 0; for (i = 1; i < arg; i++) for (j = 1; j < arg; j++) t = (t*3 + i*j) % (2^31-1) */
static const Insn nested[] = {
    /*  0 */ { PUSH, 0 }, { STORE, 2 }, { PUSH, 1 }, { STORE, 0 },
    /*  4 */ { LOAD, 0 }, { ARG, 0 }, { LT, 0 }, { JZ, 34 },
    /*  8 */ { PUSH, 1 }, { STORE, 1 },
    /* 10 */ { LOAD, 1 }, { ARG, 0 }, { LT, 0 }, { JZ, 29 },
    /* 14 */ { LOAD, 2 }, { PUSH, 3 }, { MUL, 0 }, { LOAD, 0 }, { LOAD, 1 }, { MUL, 0 }, { ADD, 0 },
    /* 21 */ { PUSH, 2147483647 }, { MOD, 0 }, { STORE, 2 },
    /* 24 */ { LOAD, 1 }, { PUSH, 1 }, { ADD, 0 }, { STORE, 1 }, { JMP, 10 },
    /* 29 */ { LOAD, 0 }, { PUSH, 1 }, { ADD, 0 }, { STORE, 0 }, { JMP, 4 },
    /* 34 */ { LOAD, 2 }, { HALT, 0 },
};

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 26;
    long steps = 0;
    printf("loop(%d) = %lld\n", n, (long long)run(loop, n, &steps));
    printf("fib(%d) = %lld\n", n, (long long)run(fib, n, &steps));
    printf("nested(%d) = %lld\n", n * 10, (long long)run(nested, n * 10, &steps));
    printf("%ld bytecode steps\n", steps);
    return 0;
}
