/* fp-convert: float <-> integer conversions.  fcvt.{w,wu,l,lu}.{s,d} are
 * saturating: NaN and +overflow give the maximum, -overflow the minimum
 * (0 for unsigned), all with the invalid flag; in-range inexact results set
 * only NX.  32-bit results are sign-extended into the 64-bit register, even
 * for the unsigned forms.  Also int -> float/double conversions (the *W
 * forms ignore the upper register half) and float <-> double. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <inttypes.h>

static double dfrom(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float ffrom(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/* the memory clobbers keep the compiler from moving conversions whose
   operands/results are volatile across these two */
static unsigned rdflags(void) { unsigned f; __asm__ volatile("frflags %0" : "=r"(f) : : "memory"); return f; }
static void clear(void) { __asm__ volatile("fsflags zero" : : : "memory"); }
static const char *fl(unsigned f)
{
    static char bufs[8][16];
    static unsigned next;
    char *b = bufs[next++ % 8];
    snprintf(b, 16, "%s%s%s%s%s", f & 16 ? "NV" : "", f & 8 ? "DZ" : "",
             f & 4 ? "OF" : "", f & 2 ? "UF" : "", f & 1 ? "NX" : "");
    return f ? b : "-";
}

/* float -> int, rounding towards zero like a C cast */
#define TOI(name, insn, T)                                                       \
    static uint64_t name(T x)                                                    \
    {                                                                            \
        uint64_t r;                                                              \
        __asm__ volatile(insn " %0, %1, rtz" : "=r"(r) : "f"(x));                \
        return r;                                                                \
    }
TOI(cvt_w_d, "fcvt.w.d", double) TOI(cvt_wu_d, "fcvt.wu.d", double)
TOI(cvt_l_d, "fcvt.l.d", double) TOI(cvt_lu_d, "fcvt.lu.d", double)
TOI(cvt_w_s, "fcvt.w.s", float) TOI(cvt_wu_s, "fcvt.wu.s", float)
TOI(cvt_l_s, "fcvt.l.s", float) TOI(cvt_lu_s, "fcvt.lu.s", float)

/* int -> float, rounding per the dynamic mode (round to nearest here) */
#define FROMI(name, insn, T)                                                     \
    static T name(uint64_t x)                                                    \
    {                                                                            \
        T r;                                                                     \
        __asm__ volatile(insn " %0, %1" : "=f"(r) : "r"(x));                     \
        return r;                                                                \
    }
FROMI(cvt_d_w, "fcvt.d.w", double) FROMI(cvt_d_wu, "fcvt.d.wu", double)
FROMI(cvt_d_l, "fcvt.d.l", double) FROMI(cvt_d_lu, "fcvt.d.lu", double)
FROMI(cvt_s_w, "fcvt.s.w", float) FROMI(cvt_s_wu, "fcvt.s.wu", float)
FROMI(cvt_s_l, "fcvt.s.l", float) FROMI(cvt_s_lu, "fcvt.s.lu", float)

static void from_double(const char *label, double x)
{
    uint64_t r[4]; unsigned f[4];
    clear(); r[0] = cvt_w_d(x); f[0] = rdflags();
    clear(); r[1] = cvt_wu_d(x); f[1] = rdflags();
    clear(); r[2] = cvt_l_d(x); f[2] = rdflags();
    clear(); r[3] = cvt_lu_d(x); f[3] = rdflags();
    printf("  %-14s w=%016" PRIx64 " %-4s wu=%016" PRIx64 " %-4s l=%016" PRIx64 " %-4s lu=%016" PRIx64 " %s\n",
           label, r[0], fl(f[0]), r[1], fl(f[1]), r[2], fl(f[2]), r[3], fl(f[3]));
}

static void from_float(const char *label, float x)
{
    uint64_t r[4]; unsigned f[4];
    clear(); r[0] = cvt_w_s(x); f[0] = rdflags();
    clear(); r[1] = cvt_wu_s(x); f[1] = rdflags();
    clear(); r[2] = cvt_l_s(x); f[2] = rdflags();
    clear(); r[3] = cvt_lu_s(x); f[3] = rdflags();
    printf("  %-14s w=%016" PRIx64 " %-4s wu=%016" PRIx64 " %-4s l=%016" PRIx64 " %-4s lu=%016" PRIx64 " %s\n",
           label, r[0], fl(f[0]), r[1], fl(f[1]), r[2], fl(f[2]), r[3], fl(f[3]));
}

static void to_fp(uint64_t x)
{
    double d[4]; float s[4]; unsigned fd[4], fs[4];
    clear(); d[0] = cvt_d_w(x); fd[0] = rdflags();
    clear(); d[1] = cvt_d_wu(x); fd[1] = rdflags();
    clear(); d[2] = cvt_d_l(x); fd[2] = rdflags();
    clear(); d[3] = cvt_d_lu(x); fd[3] = rdflags();
    clear(); s[0] = cvt_s_w(x); fs[0] = rdflags();
    clear(); s[1] = cvt_s_wu(x); fs[1] = rdflags();
    clear(); s[2] = cvt_s_l(x); fs[2] = rdflags();
    clear(); s[3] = cvt_s_lu(x); fs[3] = rdflags();
    printf("  %016" PRIx64 ":\n", x);
    printf("    d.w=%016" PRIx64 " %-2s d.wu=%016" PRIx64 " %-2s d.l=%016" PRIx64 " %-2s d.lu=%016" PRIx64 " %s\n",
           dbits(d[0]), fl(fd[0]), dbits(d[1]), fl(fd[1]), dbits(d[2]), fl(fd[2]), dbits(d[3]), fl(fd[3]));
    printf("    s.w=%08" PRIx32 " %-2s s.wu=%08" PRIx32 " %-2s s.l=%08" PRIx32 " %-2s s.lu=%08" PRIx32 " %s\n",
           fbits(s[0]), fl(fs[0]), fbits(s[1]), fl(fs[1]), fbits(s[2]), fl(fs[2]), fbits(s[3]), fl(fs[3]));
}

int main(void)
{
    const double two63 = 9223372036854775808.0, two64 = 18446744073709551616.0;
    struct { const char *label; double x; } dv[] = {
        { "0", 0.0 }, { "-0", -0.0 }, { "0.5", 0.5 }, { "-0.5", -0.5 }, { "0.9999", 0.9999 },
        { "-1", -1.0 }, { "1.5", 1.5 }, { "-1.5", -1.5 }, { "-2.5", -2.5 },
        { "2^31-1", 2147483647.0 }, { "2^31-0.5", 2147483647.5 }, { "2^31", 2147483648.0 },
        { "-2^31", -2147483648.0 }, { "-2^31-0.5", -2147483648.5 }, { "-2^31-1", -2147483649.0 },
        { "2^32-1", 4294967295.0 }, { "2^32-0.5", 4294967295.5 }, { "2^32", 4294967296.0 },
        { "2^63-1024", two63 - 1024 }, { "2^63", two63 }, { "-2^63", -two63 },
        { "-2^63-2048", -two63 - 2048 }, { "2^64-2048", two64 - 2048 }, { "2^64", two64 },
        { "1e300", 1e300 }, { "-1e300", -1e300 }, { "min subnormal", dfrom(1) },
        { "-min subnormal", dfrom(0x8000000000000001ull) },
        { "inf", dfrom(0x7ff0000000000000ull) }, { "-inf", dfrom(0xfff0000000000000ull) },
        { "qnan", dfrom(0x7ff8000000000000ull) }, { "-qnan", dfrom(0xfff8000000000000ull) },
        { "snan", dfrom(0x7ff0000000000001ull) }, { "-snan", dfrom(0xfff4000000000000ull) },
    };
    puts("[double -> int, rtz]");
    for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++)
        from_double(dv[i].label, dv[i].x);

    struct { const char *label; float x; } fv[] = {
        { "0", 0.0f }, { "-0.75", -0.75f }, { "2.5", 2.5f }, { "-1", -1.0f },
        { "2^31-128", 2147483520.0f }, { "2^31", 2147483648.0f }, { "-2^31", -2147483648.0f },
        { "-2^31-256", -2147483904.0f }, { "2^32", 4294967296.0f },
        { "2^63", 9223372036854775808.0f }, { "-2^63", -9223372036854775808.0f },
        { "2^64", 18446744073709551616.0f }, { "3e38", 3e38f },
        { "inf", ffrom(0x7f800000u) }, { "-inf", ffrom(0xff800000u) },
        { "qnan", ffrom(0x7fc00000u) }, { "-qnan", ffrom(0xffc00000u) }, { "snan", ffrom(0x7f800001u) },
    };
    puts("[float -> int, rtz]");
    for (unsigned i = 0; i < sizeof fv / sizeof fv[0]; i++)
        from_float(fv[i].label, fv[i].x);

    puts("[int -> float/double, rne]");
    static const uint64_t iv[] = {
        0, 1, 0xffffffffffffffffull, 0x000000007fffffffull, 0x0000000080000000ull,
        0x00000000ffffffffull, 0x1234567880000001ull, 0x0000000001000001ull,
        0x0020000000000001ull, 0x0020000000000003ull, 0x7fffffffffffffffull,
        0x8000000000000000ull, 0x8000000000000401ull, 0xfffffffffffff800ull,
        0xfffffffffffffc00ull, 0xffffff7fffffffffull,
    };
    for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++)
        to_fp(iv[i]);

    puts("[C casts]");
    volatile double big = 1e20, neg = -3.99, nan = dfrom(0x7ff8000000000000ull);
    volatile long long ll = -7;
    volatile unsigned long long ull = 0xffffffffffffffffull;
    volatile int a; volatile unsigned b; volatile long c; volatile unsigned long d;
    clear(); a = (int)big; unsigned fa = rdflags();
    clear(); b = (unsigned)neg; unsigned fb = rdflags();
    clear(); c = (long)nan; unsigned fc = rdflags();
    clear(); d = (unsigned long)big; unsigned fdd = rdflags();
    printf("  (int)1e20=%d %s (unsigned)-3.99=%u %s (long)nan=%ld %s (ulong)1e20=%lu %s\n",
           a, fl(fa), b, fl(fb), c, fl(fc), d, fl(fdd));
    volatile double e; volatile float f;
    clear(); e = (double)ll; f = (float)ull; unsigned fe = rdflags();
    printf("  (double)-7=%g (float)UINT64_MAX=%a %s\n", e, (double)f, fl(fe));

    puts("[float <-> double]");
    struct { const char *label; double x; } nv[] = {
        { "1/3", 1.0 / 3.0 }, { "1e39", 1e39 }, { "-1e39", -1e39 }, { "1e-46", 1e-46 },
        { "1e-40", 1e-40 }, { "max float", 3.4028234663852886e38 }, { "max float+", 3.4028235677973366e38 },
        { "0.1", 0.1 }, { "-0", -0.0 },
    };
    for (unsigned i = 0; i < sizeof nv / sizeof nv[0]; i++) {
        volatile double x = nv[i].x;
        clear();
        volatile float y = (float)x;
        unsigned f1 = rdflags();
        clear();
        volatile double z = y;
        unsigned f2 = rdflags();
        printf("  %-10s -> %08" PRIx32 " %-4s -> %016" PRIx64 " %s\n", nv[i].label, fbits(y), fl(f1), dbits(z), fl(f2));
    }
    return 0;
}
