/* fp-round: rounding modes and exception flags.  The same operations run
 * under each dynamic mode set with fesetround (including libm rint/lrint,
 * strtod and printf, which honour the mode), then with every static rm
 * field (rne rtz rdn rup rmm) in inline asm, which must override the
 * dynamic mode.  Flags are read with fetestexcept and with frcsr. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <inttypes.h>
#include <fenv.h>
#include <math.h>

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static const struct { int mode; const char *name; } modes[] = {
    { FE_TONEAREST, "nearest" }, { FE_UPWARD, "upward" },
    { FE_DOWNWARD, "downward" }, { FE_TOWARDZERO, "towardzero" },
};

static const char *excepts(void)
{
    static char buf[64];
    buf[0] = 0;
    if (fetestexcept(FE_INVALID)) strcat(buf, " invalid");
    if (fetestexcept(FE_DIVBYZERO)) strcat(buf, " divbyzero");
    if (fetestexcept(FE_OVERFLOW)) strcat(buf, " overflow");
    if (fetestexcept(FE_UNDERFLOW)) strcat(buf, " underflow");
    if (fetestexcept(FE_INEXACT)) strcat(buf, " inexact");
    return buf[0] ? buf : " none";
}

static void dynamic_modes(void)
{
    volatile double one = 1.0, three = 3.0, two = 2.0, big = 1e308, tiny = 1e-320;
    volatile float fone = 1.0f, fthree = 3.0f;
    static const double ties[] = { 0.5, 1.5, 2.5, -0.5, -2.5, 2.6, -2.6 };

    for (unsigned m = 0; m < 4; m++) {
        if (fesetround(modes[m].mode) != 0)
            printf("fesetround(%s) failed\n", modes[m].name);
        printf("[%s] fegetround ok=%d\n", modes[m].name, fegetround() == modes[m].mode);
        volatile double r;
        volatile float f;
        r = one / three;   printf("  1/3      %016" PRIx64 "\n", dbits(r));
        r = -one / three;  printf("  -1/3     %016" PRIx64 "\n", dbits(r));
        r = two / three;   printf("  2/3      %016" PRIx64 "\n", dbits(r));
        r = sqrt(two);     printf("  sqrt(2)  %016" PRIx64 "\n", dbits(r));
        r = big * 10;      printf("  1e308*10 %016" PRIx64 "\n", dbits(r));
        r = -big * 10;     printf("  -1e308*10 %016" PRIx64 "\n", dbits(r));
        r = tiny / 1e10;   printf("  tiny/1e10 %016" PRIx64 "\n", dbits(r));
        r = one - one;     printf("  1-1      %016" PRIx64 "\n", dbits(r));
        r = fma(one / three, three, -one); printf("  fma      %016" PRIx64 "\n", dbits(r));
        f = fone / fthree; printf("  1/3f     %08" PRIx32 "\n", fbits(f));
        f = (float)(one / three); printf("  (float)  %08" PRIx32 "\n", fbits(f));
        f = sqrtf(fthree); printf("  sqrtf(3) %08" PRIx32 "\n", fbits(f));
        printf("  rint/lrint/nearbyint:");
        for (unsigned i = 0; i < sizeof ties / sizeof ties[0]; i++)
            printf(" %g->%g/%ld/%g", ties[i], rint(ties[i]), lrint(ties[i]), nearbyint(ties[i]));
        printf("\n  round/trunc/floor/ceil of -2.5: %g %g %g %g\n",
               round(-2.5), trunc(-2.5), floor(-2.5), ceil(-2.5));
        printf("  strtod(0.1)=%016" PRIx64 " strtod(1e-400)=%016" PRIx64 " strtof(0.1)=%08" PRIx32 "\n",
               dbits(strtod("0.1", NULL)), dbits(strtod("-1e-400", NULL)), fbits(strtof("0.1", NULL)));
        printf("  printf: %.2f %.2f %.0f %.3e %.1f\n", 2.675, -2.675, 0.5, 1.0 / 3.0, 0.25);
        /* fcsr has frm in bits 7:5 */
        unsigned csr;
        __asm__ volatile("frcsr %0" : "=r"(csr));
        printf("  frm field=%u\n", (csr >> 5) & 7);
    }
    fesetround(FE_TONEAREST);
}

/* one asm template per static rounding mode */
#define RM_OPS(rm)                                                                      \
    static void ops_##rm(double a, double b, float fa, float fb)                        \
    {                                                                                   \
        double add, div, sq, fm; float fdiv, fcv; uint64_t w, l, lu, wf;                 \
        __asm__ volatile("fadd.d %0, %1, %2, " #rm : "=f"(add) : "f"(a), "f"(b));      \
        __asm__ volatile("fdiv.d %0, %1, %2, " #rm : "=f"(div) : "f"(a), "f"(b));      \
        __asm__ volatile("fsqrt.d %0, %1, " #rm : "=f"(sq) : "f"(a));                  \
        __asm__ volatile("fmadd.d %0, %1, %2, %1, " #rm : "=f"(fm) : "f"(a), "f"(b));  \
        __asm__ volatile("fdiv.s %0, %1, %2, " #rm : "=f"(fdiv) : "f"(fa), "f"(fb));   \
        __asm__ volatile("fcvt.s.d %0, %1, " #rm : "=f"(fcv) : "f"(a));                \
        __asm__ volatile("fcvt.w.d %0, %1, " #rm : "=r"(w) : "f"(a));                  \
        __asm__ volatile("fcvt.l.d %0, %1, " #rm : "=r"(l) : "f"(b));                  \
        __asm__ volatile("fcvt.lu.d %0, %1, " #rm : "=r"(lu) : "f"(a));                \
        __asm__ volatile("fcvt.w.s %0, %1, " #rm : "=r"(wf) : "f"(fa));                \
        printf("  %s add=%016" PRIx64 " div=%016" PRIx64 " sqrt=%016" PRIx64            \
               " fma=%016" PRIx64 "\n      fdiv.s=%08" PRIx32 " fcvt.s.d=%08" PRIx32    \
               " w=%" PRId64 " l=%" PRId64 " lu=%" PRIu64 " w.s=%" PRId64 "\n",          \
               #rm, dbits(add), dbits(div), dbits(sq), dbits(fm), fbits(fdiv),          \
               fbits(fcv), (int64_t)w, (int64_t)l, lu, (int64_t)wf);                    \
    }
RM_OPS(rne) RM_OPS(rtz) RM_OPS(rdn) RM_OPS(rup) RM_OPS(rmm)

static void static_modes(void)
{
    static const struct { double a, b; float fa, fb; } in[] = {
        { 2.5, -1.5, 2.5f, 3.0f },
        { -2.5, 3.0, -2.5f, 3.0f },
        { 3.5, 7.0, 0.5f, -3.0f },
        { 1.0000000000000002, 1e-17, -1.5f, 7.0f },
        { 1e300, -1e300, 1e30f, 1e-30f },
    };
    /* the dynamic mode is set to upward; static bits must win */
    fesetround(FE_UPWARD);
    for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
        printf("[static rm] a=%.17g b=%.17g fa=%.9g fb=%.9g\n", in[i].a, in[i].b, (double)in[i].fa, (double)in[i].fb);
        ops_rne(in[i].a, in[i].b, in[i].fa, in[i].fb);
        ops_rtz(in[i].a, in[i].b, in[i].fa, in[i].fb);
        ops_rdn(in[i].a, in[i].b, in[i].fa, in[i].fb);
        ops_rup(in[i].a, in[i].b, in[i].fa, in[i].fb);
        ops_rmm(in[i].a, in[i].b, in[i].fa, in[i].fb);
    }
    fesetround(FE_TONEAREST);
}

static void flag_tests(void)
{
    volatile double zero = 0.0, one = 1.0, three = 3.0, big = 1e308, tiny = 1e-308, m1 = -1.0;
    volatile double dmin = 2.2250738585072014e-308;
    volatile double r;

    puts("[flags]");
    feclearexcept(FE_ALL_EXCEPT);
    printf("  cleared:%s\n", excepts());
    r = one + one;           printf("  1+1:%s\n", excepts());
    r = one / three;         printf("  1/3:%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = one / zero;          printf("  1/0:%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;         printf("  0/0:%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = big * big;           printf("  big*big:%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny * tiny;         printf("  tiny*tiny:%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny / 4;            printf("  1e-308/4:%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = dmin / 4;            printf("  DBL_MIN/4 (exact subnormal):%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(m1);            printf("  sqrt(-1):%s\n", excepts());
    feclearexcept(FE_ALL_EXCEPT);
    r = log(zero);           printf("  log(0):%s r=%g\n", excepts(), r);
    feclearexcept(FE_ALL_EXCEPT);
    r = exp(1000.0);         printf("  exp(1000):%s r=%g\n", excepts(), r);
    feclearexcept(FE_ALL_EXCEPT);
    volatile int i = (int)(big);
    printf("  (int)1e308:%s i=%d\n", excepts(), i);
    /* flags accumulate until cleared */
    feclearexcept(FE_ALL_EXCEPT);
    r = one / three; r = one / zero; r = big * 10;
    printf("  accumulated:%s\n", excepts());
    feclearexcept(FE_INEXACT);
    printf("  after clearing inexact:%s\n", excepts());
    fexcept_t saved;
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_UNDERFLOW | FE_INVALID);
    printf("  raised underflow|invalid:%s\n", excepts());
    fesetexceptflag(&saved, FE_ALL_EXCEPT);
    printf("  restored:%s\n", excepts());
    unsigned csr;
    __asm__ volatile("frcsr %0" : "=r"(csr));
    printf("  fcsr=%#x\n", csr);
    /* writing fcsr sets both fields; fsrm swaps the mode */
    unsigned old;
    __asm__ volatile("fscsr %0, %1" : "=r"(old) : "r"(0x3fu | 0xf00u));
    __asm__ volatile("frcsr %0" : "=r"(csr));
    printf("  fscsr old=%#x new=%#x round=%d\n", old, csr, fegetround() == FE_TOWARDZERO);
    __asm__ volatile("fsrmi %0, 2" : "=r"(old));
    printf("  fsrmi old=%u downward=%d\n", old, fegetround() == FE_DOWNWARD);
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    (void)r;
}

int main(void)
{
    dynamic_modes();
    static_modes();
    flag_tests();
    return 0;
}
