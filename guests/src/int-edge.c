/* int-edge: RV64IM integer corner cases, using inline asm so each exact
 * instruction is exercised: wrap-around, shifts by 31/32/63/64 (only the low
 * 5 or 6 bits of the amount count), sign extension of the *W forms,
 * div/rem by zero and INT64_MIN / -1, and mulh/mulhsu/mulhu on extremes. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

#define OP(name)                                                          \
    static uint64_t op_##name(uint64_t a, uint64_t b)                     \
    {                                                                     \
        uint64_t r;                                                       \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); \
        return r;                                                         \
    }

OP(add) OP(sub) OP(addw) OP(subw)
OP(sll) OP(srl) OP(sra) OP(sllw) OP(srlw) OP(sraw)
OP(slt) OP(sltu)
OP(mul) OP(mulh) OP(mulhsu) OP(mulhu) OP(mulw)
OP(div) OP(divu) OP(rem) OP(remu)
OP(divw) OP(divuw) OP(remw) OP(remuw)

typedef uint64_t (*binop)(uint64_t, uint64_t);

static const uint64_t vals[] = {
    0, 1, 2, 0x7f, 0x80000000ull, 0x7fffffffull, 0xffffffffull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0xfffffffffffffffeull, 0x123456789abcdef0ull,
};
#define NVALS (sizeof vals / sizeof vals[0])

static void table(const char *name, binop f)
{
    /* fold every result into a checksum, and print the interesting ones */
    uint64_t sum = 0;
    for (unsigned i = 0; i < NVALS; i++)
        for (unsigned j = 0; j < NVALS; j++)
            sum = sum * 31 + f(vals[i], vals[j]);
    printf("%-7s sum=%016" PRIx64 "\n", name, sum);
}

static void show(const char *what, uint64_t v)
{
    printf("  %-36s = %016" PRIx64 " (%" PRId64 ")\n", what, v, (int64_t)v);
}

int main(void)
{
    const uint64_t MIN = 0x8000000000000000ull, M1 = ~0ull;

    puts("[overflow]");
    show("add MAX+1", op_add(0x7fffffffffffffffull, 1));
    show("sub MIN-1", op_sub(MIN, 1));
    show("addw 0x7fffffff+1", op_addw(0x7fffffff, 1));
    show("addw upper bits ignored", op_addw(0x1234567800000001ull, 0xff00000000000001ull));
    show("subw 0x80000000-1", op_subw(0x80000000ull, 1));
    show("mulw 0x10000*0x10000", op_mulw(0x10000, 0x10000));
    show("mulw 0x7fffffff*2", op_mulw(0x7fffffff, 2));
    show("mul MIN*-1", op_mul(MIN, M1));

    puts("[shifts]");
    uint64_t x = 0x8123456789abcdefull;
    static const int amounts[] = { 0, 1, 31, 32, 33, 63, 64, 65 };
    for (unsigned k = 0; k < sizeof amounts / sizeof amounts[0]; k++) {
        int s = amounts[k];
        printf("  shamt %2d: sll=%016" PRIx64 " srl=%016" PRIx64 " sra=%016" PRIx64
               " sllw=%016" PRIx64 " srlw=%016" PRIx64 " sraw=%016" PRIx64 "\n",
               s, op_sll(x, s), op_srl(x, s), op_sra(x, s),
               op_sllw(x, s), op_srlw(x, s), op_sraw(x, s));
    }
    /* shift amount register with junk in the upper bits */
    show("sll by 0xffffffffffffff41", op_sll(1, 0xffffffffffffff41ull));
    show("sraw by 0x...25", op_sraw(0x80000000ull, 0xabcdef25ull));
    uint64_t r;
    __asm__ volatile("slli %0, %1, 63" : "=r"(r) : "r"(3ull));   show("slli 3,63", r);
    __asm__ volatile("srai %0, %1, 63" : "=r"(r) : "r"(MIN));    show("srai MIN,63", r);
    __asm__ volatile("srli %0, %1, 63" : "=r"(r) : "r"(MIN));    show("srli MIN,63", r);
    __asm__ volatile("slliw %0, %1, 31" : "=r"(r) : "r"(3ull));  show("slliw 3,31", r);
    __asm__ volatile("sraiw %0, %1, 31" : "=r"(r) : "r"(0x80000000ull)); show("sraiw 0x80000000,31", r);
    __asm__ volatile("srliw %0, %1, 0" : "=r"(r) : "r"(0xfffffffffull)); show("srliw x,0 (sext)", r);
    __asm__ volatile("addiw %0, %1, 0" : "=r"(r) : "r"(0x00000000ffffffffull)); show("sext.w 0xffffffff", r);
    __asm__ volatile("addiw %0, %1, -1" : "=r"(r) : "r"(0x80000000ull)); show("addiw 0x80000000,-1", r);
    __asm__ volatile("lui %0, 0x80000" : "=r"(r));                show("lui 0x80000 (sext)", r);
    __asm__ volatile("sltiu %0, %1, -1" : "=r"(r) : "r"(5ull));   show("sltiu 5,-1", r);
    __asm__ volatile("slti %0, %1, -1" : "=r"(r) : "r"(5ull));    show("slti 5,-1", r);
    __asm__ volatile("xori %0, %1, -1" : "=r"(r) : "r"(5ull));    show("xori 5,-1 (not)", r);
    __asm__ volatile("andi %0, %1, -16" : "=r"(r) : "r"(M1));     show("andi -1,-16", r);

    puts("[division]");
    show("div 7/0", op_div(7, 0));
    show("divu 7/0", op_divu(7, 0));
    show("rem 7%0", op_rem(7, 0));
    show("remu 7%0", op_remu(7, 0));
    show("div MIN/-1", op_div(MIN, M1));
    show("rem MIN%-1", op_rem(MIN, M1));
    show("div -7/2", op_div(-7ull, 2));
    show("rem -7%2", op_rem(-7ull, 2));
    show("div 7/-2", op_div(7, -2ull));
    show("rem 7%-2", op_rem(7, -2ull));
    show("divu -7/2", op_divu(-7ull, 2));
    show("divw 7/0", op_divw(7, 0));
    show("divuw 7/0", op_divuw(7, 0));
    show("remw 7%0", op_remw(0x1234567800000007ull, 0));
    show("remuw 0x80000007%0", op_remuw(0x80000007ull, 0));
    show("divw INT32_MIN/-1", op_divw(0x80000000ull, M1));
    show("remw INT32_MIN%-1", op_remw(0x80000000ull, M1));
    show("divuw 0xfffffffe/1 (sext)", op_divuw(0xfffffffeull, 1));
    show("divw upper bits ignored", op_divw(0xffffffff00000064ull, 0x1234567800000007ull));

    puts("[multiply high]");
    show("mulh MIN*MIN", op_mulh(MIN, MIN));
    show("mulh MIN*-1", op_mulh(MIN, M1));
    show("mulh -1*-1", op_mulh(M1, M1));
    show("mulhu -1*-1", op_mulhu(M1, M1));
    show("mulhsu -1*-1", op_mulhsu(M1, M1));
    show("mulhsu MIN*-1", op_mulhsu(MIN, M1));
    show("mulhsu 1*-1", op_mulhsu(1, M1));
    show("mulhsu MAX*-1", op_mulhsu(0x7fffffffffffffffull, M1));
    show("mulhu x*y", op_mulhu(0x123456789abcdef0ull, 0xfedcba9876543210ull));
    show("mulh x*y", op_mulh(0x123456789abcdef0ull, 0xfedcba9876543210ull));
    show("mulhsu x*y", op_mulhsu(0xfedcba9876543210ull, 0x123456789abcdef0ull));

    puts("[tables]");
    table("add", op_add); table("sub", op_sub); table("addw", op_addw); table("subw", op_subw);
    table("sll", op_sll); table("srl", op_srl); table("sra", op_sra);
    table("sllw", op_sllw); table("srlw", op_srlw); table("sraw", op_sraw);
    table("slt", op_slt); table("sltu", op_sltu);
    table("mul", op_mul); table("mulh", op_mulh); table("mulhsu", op_mulhsu);
    table("mulhu", op_mulhu); table("mulw", op_mulw);
    table("div", op_div); table("divu", op_divu); table("rem", op_rem); table("remu", op_remu);
    table("divw", op_divw); table("divuw", op_divuw); table("remw", op_remw); table("remuw", op_remuw);
    return 0;
}
