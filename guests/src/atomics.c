/* atomics: the A extension.  Every AMO in .w and .d form (plus .aq/.rl/.aqrl
 * variants) via inline asm, printing the old value (.w results are
 * sign-extended) and the new memory; LR/SC success and failure cases; and
 * C11 <stdatomic.h> operations on 8/16/32/64-bit objects. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdatomic.h>

#define AMO_W(fn, insn)                                                       \
    static void t_##fn(uint32_t init, uint64_t src)                     \
    {                                                                     \
        volatile uint32_t mem = init;                                     \
        uint64_t old;                                                     \
        __asm__ volatile(insn " %0, %2, (%1)"                            \
                         : "=r"(old) : "r"(&mem), "r"(src) : "memory");   \
        printf("  %-14s mem=%08" PRIx32 " src=%016" PRIx64                \
               " -> old=%016" PRIx64 " mem=%08" PRIx32 "\n",              \
               insn, init, src, old, mem);                               \
    }
#define AMO_D(fn, insn)                                                       \
    static void t_##fn(uint64_t init, uint64_t src)                     \
    {                                                                     \
        volatile uint64_t mem = init;                                     \
        uint64_t old;                                                     \
        __asm__ volatile(insn " %0, %2, (%1)"                            \
                         : "=r"(old) : "r"(&mem), "r"(src) : "memory");   \
        printf("  %-14s mem=%016" PRIx64 " src=%016" PRIx64               \
               " -> old=%016" PRIx64 " mem=%016" PRIx64 "\n",             \
               insn, init, src, old, mem);                               \
    }

AMO_W(amoswap_w, "amoswap.w")
AMO_W(amoadd_w, "amoadd.w")
AMO_W(amoxor_w, "amoxor.w")
AMO_W(amoand_w, "amoand.w")
AMO_W(amoor_w, "amoor.w")
AMO_W(amomin_w, "amomin.w")
AMO_W(amomax_w, "amomax.w")
AMO_W(amominu_w, "amominu.w")
AMO_W(amomaxu_w, "amomaxu.w")
AMO_W(amoadd_w_aq, "amoadd.w.aq")
AMO_W(amoswap_w_rl, "amoswap.w.rl")
AMO_W(amomaxu_w_aqrl, "amomaxu.w.aqrl")
AMO_D(amoswap_d, "amoswap.d")
AMO_D(amoadd_d, "amoadd.d")
AMO_D(amoxor_d, "amoxor.d")
AMO_D(amoand_d, "amoand.d")
AMO_D(amoor_d, "amoor.d")
AMO_D(amomin_d, "amomin.d")
AMO_D(amomax_d, "amomax.d")
AMO_D(amominu_d, "amominu.d")
AMO_D(amomaxu_d, "amomaxu.d")
AMO_D(amoor_d_aq, "amoor.d.aq")
AMO_D(amomin_d_rl, "amomin.d.rl")
AMO_D(amoxor_d_aqrl, "amoxor.d.aqrl")

static void amo_w_tests(void)
{
    static const uint32_t mems[] = { 0x00000005u, 0x80000000u, 0xfffffffeu };
    static const uint64_t srcs[] = { 0x7ull, 0xffffffff80000001ull, 0x12345678fffffffdull };
    puts("[amo .w]");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            uint32_t m = mems[i];
            uint64_t s = srcs[j];
            t_amoswap_w(m, s); t_amoadd_w(m, s); t_amoxor_w(m, s); t_amoand_w(m, s);
            t_amoor_w(m, s); t_amomin_w(m, s); t_amomax_w(m, s);
            t_amominu_w(m, s); t_amomaxu_w(m, s);
        }
    t_amoadd_w_aq(0x7fffffffu, 1);
    t_amoswap_w_rl(0xdeadbeefu, 0x1234567890abcdefull);
    t_amomaxu_w_aqrl(0x7fffffffu, 0x80000000ull);
}

static void amo_d_tests(void)
{
    static const uint64_t vals[] = { 5, 0x8000000000000000ull, 0xfffffffffffffffeull };
    static const uint64_t srcs[] = { 7, 0x7fffffffffffffffull, 0xffffffff00000000ull };
    puts("[amo .d]");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            uint64_t m = vals[i], s = srcs[j];
            t_amoswap_d(m, s); t_amoadd_d(m, s); t_amoxor_d(m, s); t_amoand_d(m, s);
            t_amoor_d(m, s); t_amomin_d(m, s); t_amomax_d(m, s);
            t_amominu_d(m, s); t_amomaxu_d(m, s);
        }
    t_amoor_d_aq(0xf0f0, 0x0f0f);
    t_amomin_d_rl(3, 0x8000000000000000ull);
    t_amoxor_d_aqrl(~0ull, 0x5555555555555555ull);
}

static void lrsc_tests(void)
{
    volatile uint64_t a = 100, b = 200;
    volatile uint32_t w = 0x80000001u;
    uint64_t loaded, fail1, fail2, ok, tmp;

    puts("[lr/sc]");
    /* successful pair: increment a */
    __asm__ volatile("1: lr.d %0, (%2)\n"
                     "   addi %1, %0, 1\n"
                     "   sc.d %1, %1, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(loaded), "=&r"(ok) : "r"(&a) : "memory");
    printf("  lr.d/sc.d loop: loaded=%" PRIu64 " sc=%" PRIu64 " a=%" PRIu64 "\n", loaded, ok, a);

    /* lr.w sign-extends; sc.w.rl stores the low 32 bits */
    __asm__ volatile("1: lr.w.aq %0, (%2)\n"
                     "   sc.w.rl %1, %3, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(loaded), "=&r"(ok) : "r"(&w), "r"(0xaaaaaaaa00000007ull) : "memory");
    printf("  lr.w: loaded=%016" PRIx64 " sc=%" PRIu64 " w=%08" PRIx32 "\n", loaded, ok, w);

    /* sc to an address other than the reserved one fails, and any sc
       clears the reservation so a following sc to the reserved one fails too */
    __asm__ volatile("lr.d %0, (%3)\n"
                     "sc.d %1, %5, (%4)\n"
                     "sc.d %2, %5, (%3)\n"
                     : "=&r"(tmp), "=&r"(fail1), "=&r"(fail2)
                     : "r"(&a), "r"(&b), "r"(999ull) : "memory");
    printf("  sc other addr: %s, then sc reserved addr: %s, a=%" PRIu64 " b=%" PRIu64 "\n",
           fail1 ? "failed" : "succeeded", fail2 ? "failed" : "succeeded", a, b);
}

static void c11_tests(void)
{
    _Atomic int8_t c = 120;
    _Atomic uint16_t h = 0xfff0;
    _Atomic int32_t i = 0x7ffffffe;
    _Atomic uint64_t l = 1;
    atomic_flag flag = ATOMIC_FLAG_INIT;

    puts("[c11]");
    int8_t oc = atomic_fetch_add(&c, 10);
    printf("  int8  fetch_add: old=%d new=%d\n", oc, atomic_load(&c));
    uint16_t oh = atomic_fetch_add(&h, 0x20);
    printf("  u16   fetch_add: old=%#x new=%#x\n", oh, atomic_load(&h));
    oh = atomic_fetch_or(&h, 0x8001);
    printf("  u16   fetch_or: old=%#x new=%#x\n", oh, atomic_load(&h));
    int32_t oi = atomic_fetch_add(&i, 3);
    printf("  int32 fetch_add: old=%d new=%d\n", oi, atomic_load(&i));
    oi = atomic_fetch_sub_explicit(&i, 5, memory_order_relaxed);
    printf("  int32 fetch_sub: old=%d new=%d\n", oi, atomic_load(&i));
    oi = atomic_fetch_xor(&i, -1);
    printf("  int32 fetch_xor: old=%d new=%d\n", oi, atomic_load(&i));
    oi = atomic_fetch_and(&i, 0xff);
    printf("  int32 fetch_and: old=%d new=%d\n", oi, atomic_load(&i));
    uint64_t ol = atomic_exchange(&l, 0xfedcba9876543210ull);
    printf("  u64   exchange: old=%" PRIx64 " new=%" PRIx64 "\n", ol, atomic_load(&l));

    uint64_t expect = 5;
    int okc = atomic_compare_exchange_strong(&l, &expect, 6);
    printf("  u64   cas(5->6): %s, expected now %" PRIx64 "\n", okc ? "ok" : "fail", expect);
    okc = atomic_compare_exchange_strong(&l, &expect, 6);
    printf("  u64   cas(actual->6): %s, value %" PRIu64 "\n", okc ? "ok" : "fail", atomic_load(&l));
    int8_t ec = 0;
    okc = atomic_compare_exchange_strong(&c, &ec, 1);
    printf("  int8  cas(0->1): %s, expected now %d\n", okc ? "ok" : "fail", ec);
    uint16_t eh = atomic_load(&h);
    while (!atomic_compare_exchange_weak(&h, &eh, (uint16_t)(eh * 3)))
        ;
    printf("  u16   cas loop *3: %#x\n", atomic_load(&h));

    int first = atomic_flag_test_and_set(&flag);
    int second = atomic_flag_test_and_set(&flag);
    atomic_flag_clear(&flag);
    int third = atomic_flag_test_and_set(&flag);
    printf("  flag: %d %d %d\n", first, second, third);

    /* a counter bumped many times with every ordering */
    _Atomic long counter = 0;
    for (int k = 0; k < 1000; k++) {
        atomic_fetch_add_explicit(&counter, k, memory_order_relaxed);
        atomic_fetch_sub_explicit(&counter, 1, memory_order_acq_rel);
        atomic_fetch_add_explicit(&counter, 2, memory_order_seq_cst);
    }
    atomic_thread_fence(memory_order_seq_cst);
    printf("  counter=%ld\n", atomic_load(&counter));
}

int main(void)
{
    amo_w_tests();
    amo_d_tests();
    lrsc_tests();
    c11_tests();
    return 0;
}
