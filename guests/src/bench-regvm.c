/* bench-regvm: a register-machine bytecode interpreter in the style of Lua's
 * and CPython's: 32-bit instructions (opcode, A, B, C or a 16-bit operand),
 * a register window per call frame, and threaded dispatch through GCC's
 * labels-as-values (one indirect jump at the end of every handler, so the
 * host sees many indirect jumps with hard-to-predict targets).  It runs
 * three programs assembled at start-up with scale n = argv[1] (default 15):
 * the longest Collatz chain below 1000*n, a sieve of primes below 8000*n
 * in the machine's memory, and recursive fib(argv[2]) (default 24).  Prints each result
 * and the number of bytecode steps executed. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

enum {
    HALT, LOADK, MOV, ADD, SUB, MUL, AND, SHRI, ADDI, LT, LTI, EQI,
    JMP, JZ, JNZ, LOADM, STOREM, CALL, RET, NOPS
};

/* A: bits 8..15, B: 16..23, C: 24..31 (C signed for ADDI/LTI/EQI/SHRI);
 * BX: bits 16..31, a constant index or an absolute jump target. */
#define INS(op, a, b, c) ((uint32_t)(op) | (uint32_t)(a) << 8 | (uint32_t)(b) << 16 | (uint32_t)(uint8_t)(c) << 24)
#define INSX(op, a, bx) ((uint32_t)(op) | (uint32_t)(a) << 8 | (uint32_t)(bx) << 16)

static uint32_t code[256];
static int64_t konst[16];
static int ncode, nkonst;

static int emit(uint32_t ins) { code[ncode] = ins; return ncode++; }
static int k(int64_t v) { konst[nkonst] = v; return nkonst++; }
/* Points the jump at `at` to the current end of the code. */
static void patch(int at) { code[at] = (code[at] & 0xffff) | (uint32_t)ncode << 16; }

static int64_t regs[1 << 12];
static int64_t *mem;
static long steps;

static int64_t run(int entry)
{
    static void *const handlers[NOPS] = {
        &&op_halt, &&op_loadk, &&op_mov, &&op_add, &&op_sub, &&op_mul, &&op_and, &&op_shri,
        &&op_addi, &&op_lt, &&op_lti, &&op_eqi, &&op_jmp, &&op_jz, &&op_jnz, &&op_loadm,
        &&op_storem, &&op_call, &&op_ret,
    };
    struct { int pc; int64_t *base; } frames[256];
    int fp = 0, pc = entry;
    int64_t *r = regs;
    uint32_t i;
#define A ((i >> 8) & 0xff)
#define B ((i >> 16) & 0xff)
#define C ((i >> 24) & 0xff)
#define SC ((int8_t)(i >> 24))
#define BX (i >> 16)
#define NEXT do { i = code[pc++]; steps++; goto *handlers[i & 0xff]; } while (0)
    NEXT;
op_halt: return r[A];
op_loadk: r[A] = konst[BX]; NEXT;
op_mov: r[A] = r[B]; NEXT;
op_add: r[A] = r[B] + r[C]; NEXT;
op_sub: r[A] = r[B] - r[C]; NEXT;
op_mul: r[A] = r[B] * r[C]; NEXT;
op_and: r[A] = r[B] & r[C]; NEXT;
op_shri: r[A] = r[B] >> C; NEXT;
op_addi: r[A] = r[B] + SC; NEXT;
op_lt: r[A] = r[B] < r[C]; NEXT;
op_lti: r[A] = r[B] < SC; NEXT;
op_eqi: r[A] = r[B] == SC; NEXT;
op_jmp: pc = BX; NEXT;
op_jz: if (r[A] == 0) pc = BX; NEXT;
op_jnz: if (r[A] != 0) pc = BX; NEXT;
op_loadm: r[A] = mem[r[B]]; NEXT;
op_storem: mem[r[B]] = r[A]; NEXT;
    /* The callee's window starts at the caller's register A: its r0 is the
     * argument on entry and the result on return. */
op_call: frames[fp].pc = pc; frames[fp].base = r; fp++; r += A; pc = BX; NEXT;
op_ret: fp--; pc = frames[fp].pc; r = frames[fp].base; NEXT;
}

/* r0 = limit; longest chain of x -> x/2 or 3x+1 down to 1 for 1 <= i < limit:
 * returns its start * 1000 + its length. */
static int collatz(void)
{
    int entry = ncode;
    emit(INSX(LOADK, 1, k(1)));            /* r1 = i */
    emit(INSX(LOADK, 2, k(0)));            /* r2 = best start */
    emit(INSX(LOADK, 3, k(0)));            /* r3 = best length */
    emit(INSX(LOADK, 9, k(3)));
    emit(INSX(LOADK, 10, k(1000)));
    emit(INSX(LOADK, 11, k(1)));
    int outer = emit(INS(LT, 4, 1, 0));    /* r4 = i < limit */
    int exit = emit(INSX(JZ, 4, 0));
    emit(INS(MOV, 5, 1, 0));               /* r5 = x */
    emit(INSX(LOADK, 6, k(0)));            /* r6 = length */
    int inner = emit(INS(EQI, 7, 5, 1));
    int done = emit(INSX(JNZ, 7, 0));
    emit(INS(AND, 7, 5, 11));              /* r7 = x & 1 */
    emit(INS(SHRI, 8, 5, 1));              /* r8 = x >> 1 */
    emit(INS(ADDI, 6, 6, 1));
    int even = emit(INSX(JZ, 7, 0));       /* patched below, after the odd case */
    emit(INS(MUL, 5, 5, 9));               /* odd: x = 3x + 1 */
    emit(INS(ADDI, 5, 5, 1));
    emit(INSX(JMP, 0, inner));
    patch(even);
    emit(INS(MOV, 5, 8, 0));
    emit(INSX(JMP, 0, inner));
    patch(done);
    emit(INS(LT, 7, 3, 6));
    int worse = emit(INSX(JZ, 7, 0));
    emit(INS(MOV, 3, 6, 0));
    emit(INS(MOV, 2, 1, 0));
    patch(worse);
    emit(INS(ADDI, 1, 1, 1));
    emit(INSX(JMP, 0, outer));
    patch(exit);
    emit(INS(MUL, 0, 2, 10));
    emit(INS(ADD, 0, 0, 3));
    emit(INS(HALT, 0, 0, 0));
    return entry;
}

/* r0 = limit; sieve of Eratosthenes in mem[0..limit): returns the prime count. */
static int sieve(void)
{
    int entry = ncode;
    emit(INSX(LOADK, 1, k(0)));            /* r1 = i: clear the flags */
    emit(INSX(LOADK, 2, k(0)));
    int clear = emit(INS(LT, 3, 1, 0));
    int cleared = emit(INSX(JZ, 3, 0));
    emit(INS(STOREM, 2, 1, 0));
    emit(INS(ADDI, 1, 1, 1));
    emit(INSX(JMP, 0, clear));
    patch(cleared);
    emit(INSX(LOADK, 1, k(2)));            /* r1 = i, r4 = count, r2 = 1 (the mark) */
    emit(INSX(LOADK, 4, k(0)));
    emit(INSX(LOADK, 2, k(1)));
    int outer = emit(INS(LT, 3, 1, 0));
    int exit = emit(INSX(JZ, 3, 0));
    emit(INS(LOADM, 3, 1, 0));
    int composite = emit(INSX(JNZ, 3, 0));
    emit(INS(ADDI, 4, 4, 1));
    emit(INS(MUL, 5, 1, 1));               /* r5 = j = i*i */
    int mark = emit(INS(LT, 3, 5, 0));
    int marked = emit(INSX(JZ, 3, 0));
    emit(INS(STOREM, 2, 5, 0));
    emit(INS(ADD, 5, 5, 1));
    emit(INSX(JMP, 0, mark));
    patch(marked);
    patch(composite);
    emit(INS(ADDI, 1, 1, 1));
    emit(INSX(JMP, 0, outer));
    patch(exit);
    emit(INS(MOV, 0, 4, 0));
    emit(INS(HALT, 0, 0, 0));
    return entry;
}

/* fib(r0) by double recursion through CALL/RET; the driver halts with it. */
static int fib(void)
{
    int driver = ncode;
    int call = emit(INSX(CALL, 0, 0));
    emit(INS(HALT, 0, 0, 0));
    int entry = ncode;
    code[call] = INSX(CALL, 0, entry);
    emit(INS(LTI, 1, 0, 2));
    int small = emit(INSX(JNZ, 1, 0));
    emit(INS(ADDI, 1, 0, -1));
    emit(INSX(CALL, 1, entry));            /* r1 = fib(n - 1) */
    emit(INS(ADDI, 2, 0, -2));
    emit(INSX(CALL, 2, entry));            /* r2 = fib(n - 2) */
    emit(INS(ADD, 0, 1, 2));
    patch(small);
    emit(INS(RET, 0, 0, 0));
    return driver;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 15;
    int f = argc > 2 ? atoi(argv[2]) : 24;
    int pc_collatz = collatz(), pc_sieve = sieve(), pc_fib = fib();
    mem = malloc(sizeof *mem * 8000 * (size_t)n);
    regs[0] = 1000 * n;
    int64_t c = run(pc_collatz);
    printf("collatz(%d): start %lld, length %lld\n", 1000 * n, (long long)(c / 1000), (long long)(c % 1000));
    regs[0] = 8000 * n;
    printf("primes below %d: %lld\n", 8000 * n, (long long)run(pc_sieve));
    regs[0] = f;
    printf("fib(%d) = %lld\n", f, (long long)run(pc_fib));
    printf("%ld bytecode steps, %d instructions\n", steps, ncode);
    return 0;
}
