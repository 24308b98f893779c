/* fp-special: F/D special values.  NaN generation is canonical (no payload
 * propagation), sign injection keeps payloads, NaN boxing of singles in the
 * 64-bit registers, fmin/fmax with NaN and +-0, fclass of all ten classes,
 * comparisons with NaN, signed zeros, subnormals, fsqrt, and fused
 * multiply-add where a separate multiply and add would round differently.
 * Every result is printed as raw bits, together with the fflags it raised. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <inttypes.h>

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double dfrom(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static float ffrom(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static unsigned flags(void)
{
    unsigned f;
    __asm__ volatile("frflags %0" : "=r"(f) : : "memory");
    return f;
}
static void clear(void) { __asm__ volatile("fsflags zero" : : : "memory"); }
static const char *fl(unsigned f)
{
    static char bufs[8][16];   /* several calls may appear in one printf */
    static unsigned next;
    char *buf = bufs[next++ % 8];
    snprintf(buf, sizeof bufs[0], "%s%s%s%s%s",
             f & 16 ? "NV" : "", f & 8 ? "DZ" : "", f & 4 ? "OF" : "",
             f & 2 ? "UF" : "", f & 1 ? "NX" : "");
    return f ? buf : "-";
}

#define D2(name, insn)                                                          \
    static double name(double a, double b)                                      \
    {                                                                           \
        double r;                                                               \
        __asm__ volatile(insn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));        \
        return r;                                                               \
    }
#define S2(name, insn)                                                          \
    static float name(float a, float b)                                         \
    {                                                                           \
        float r;                                                                \
        __asm__ volatile(insn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));        \
        return r;                                                               \
    }
D2(fadd_d, "fadd.d") D2(fsub_d, "fsub.d") D2(fmul_d, "fmul.d") D2(fdiv_d, "fdiv.d")
D2(fmin_d, "fmin.d") D2(fmax_d, "fmax.d")
D2(fsgnj_d, "fsgnj.d") D2(fsgnjn_d, "fsgnjn.d") D2(fsgnjx_d, "fsgnjx.d")
S2(fadd_s, "fadd.s") S2(fmul_s, "fmul.s") S2(fdiv_s, "fdiv.s")
S2(fmin_s, "fmin.s") S2(fmax_s, "fmax.s") S2(fsgnjn_s, "fsgnjn.s")

static void show_d(const char *what, double (*op)(double, double), double a, double b)
{
    clear();
    double r = op(a, b);
    unsigned f = flags();
    printf("  %-28s %016" PRIx64 " %-4s %g\n", what, dbits(r), fl(f), r);
}
static void show_s(const char *what, float (*op)(float, float), float a, float b)
{
    clear();
    float r = op(a, b);
    unsigned f = flags();
    printf("  %-28s %08" PRIx32 " %-4s %g\n", what, fbits(r), fl(f), (double)r);
}

static unsigned fclass_d(double x) { uint64_t r; __asm__ volatile("fclass.d %0, %1" : "=r"(r) : "f"(x)); return r; }
static unsigned fclass_s(float x) { uint64_t r; __asm__ volatile("fclass.s %0, %1" : "=r"(r) : "f"(x)); return r; }

#define CMP(name, insn, T)                                                      \
    static uint64_t name(T a, T b)                                              \
    {                                                                           \
        uint64_t r;                                                             \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "f"(a), "f"(b));        \
        return r;                                                               \
    }
CMP(feq_d, "feq.d", double) CMP(flt_d, "flt.d", double) CMP(fle_d, "fle.d", double)
CMP(feq_s, "feq.s", float) CMP(flt_s, "flt.s", float)

static double fmadd_d(double a, double b, double c) { double r; __asm__ volatile("fmadd.d %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c)); return r; }
static double fmsub_d(double a, double b, double c) { double r; __asm__ volatile("fmsub.d %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c)); return r; }
static double fnmadd_d(double a, double b, double c) { double r; __asm__ volatile("fnmadd.d %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c)); return r; }
static double fnmsub_d(double a, double b, double c) { double r; __asm__ volatile("fnmsub.d %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c)); return r; }
static float fmadd_s(float a, float b, float c) { float r; __asm__ volatile("fmadd.s %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c)); return r; }
static float fnmsub_s(float a, float b, float c) { float r; __asm__ volatile("fnmsub.s %0,%1,%2,%3" : "=f"(r) : "f"(a), "f"(b), "f"(c)); return r; }
static double fsqrt_d(double a) { double r; __asm__ volatile("fsqrt.d %0,%1" : "=f"(r) : "f"(a)); return r; }
static float fsqrt_s(float a) { float r; __asm__ volatile("fsqrt.s %0,%1" : "=f"(r) : "f"(a)); return r; }

int main(void)
{
    const double inf = dfrom(0x7ff0000000000000ull), ninf = -inf;
    const double qnan = dfrom(0x7ff8000000000000ull);
    const double pnan = dfrom(0x7ff80000deadbeefull);   /* quiet NaN with payload */
    const double nnan = dfrom(0xfff8000000000123ull);   /* negative quiet NaN */
    const double snan = dfrom(0x7ff0000000000001ull);   /* signalling NaN */
    const double dmin_sub = dfrom(1), dmin_norm = dfrom(0x0010000000000000ull);
    const double dmax = dfrom(0x7fefffffffffffffull);
    const float finf = ffrom(0x7f800000u), fsnan = ffrom(0x7f800001u);
    const float fpnan = ffrom(0x7fc12345u), fmin_sub = ffrom(1);

    puts("[nan generation is canonical]");
    show_d("0/0", fdiv_d, 0.0, 0.0);
    show_d("inf-inf", fsub_d, inf, inf);
    show_d("0*inf", fmul_d, 0.0, inf);
    show_d("payload nan + 1", fadd_d, pnan, 1.0);
    show_d("negative nan * 2", fmul_d, nnan, 2.0);
    show_d("snan + 1", fadd_d, snan, 1.0);
    show_s("float 0/0", fdiv_s, 0.0f, 0.0f);
    show_s("float payload nan + 1", fadd_s, fpnan, 1.0f);
    show_s("float snan * 1", fmul_s, fsnan, 1.0f);
    show_s("float inf*0", fmul_s, finf, 0.0f);
    clear();
    printf("  %-28s %016" PRIx64 " %s\n", "sqrt(-1)", dbits(fsqrt_d(-1.0)), fl(flags()));
    clear();
    printf("  %-28s %08" PRIx32 " %s\n", "float sqrt(-inf)", fbits(fsqrt_s(-finf)), fl(flags()));
    clear();
    volatile double vp = pnan; volatile float fs;
    fs = (float)vp;
    printf("  %-28s %08" PRIx32 " %s\n", "fcvt.s.d payload nan", fbits(fs), fl(flags()));
    clear();
    volatile float vfs = fsnan; volatile double ds = vfs;
    printf("  %-28s %016" PRIx64 " %s\n", "fcvt.d.s snan", dbits(ds), fl(flags()));

    puts("[sign injection keeps payloads]");
    show_d("fsgnj pnan,-1", fsgnj_d, pnan, -1.0);
    show_d("fsgnjn pnan,pnan (neg)", fsgnjn_d, pnan, pnan);
    show_d("fsgnjx nnan,-1", fsgnjx_d, nnan, -1.0);
    show_d("fsgnjx -0,-0 (abs... no)", fsgnjx_d, -0.0, -0.0);
    show_d("fsgnjn snan (no NV)", fsgnjn_d, snan, snan);
    show_s("float fsgnjn fpnan", fsgnjn_s, fpnan, fpnan);

    puts("[nan boxing]");
    {
        uint64_t raw;
        float one = 1.0f;
        __asm__ volatile("fmv.x.d %0, %1" : "=r"(raw) : "f"(one));
        printf("  boxed 1.0f as 64 bits         %016" PRIx64 "\n", raw);
        float r;
        uint64_t bad = 0x000000003f800000ull;   /* upper half not all ones */
        clear();
        __asm__ volatile("fmv.d.x ft0, %1\n fadd.s %0, ft0, ft0" : "=f"(r) : "r"(bad) : "ft0");
        printf("  unboxed 1.0f + itself         %08" PRIx32 " %s\n", fbits(r), fl(flags()));
        uint64_t cls;
        __asm__ volatile("fmv.d.x ft0, %1\n fclass.s %0, ft0" : "=r"(cls) : "r"(bad) : "ft0");
        printf("  fclass.s of unboxed value     %#" PRIx64 "\n", cls);
        uint64_t mv;
        __asm__ volatile("fmv.d.x ft0, %1\n fmv.x.w %0, ft0" : "=r"(mv) : "r"(0x12345678bf800000ull) : "ft0");
        printf("  fmv.x.w low bits, sign-ext    %016" PRIx64 "\n", mv);
        __asm__ volatile("fmv.w.x ft0, %1\n fmv.x.d %0, ft0" : "=r"(mv) : "r"(0xffffffff00000001ull) : "ft0");
        printf("  fmv.w.x boxes                 %016" PRIx64 "\n", mv);
    }

    puts("[fmin/fmax]");
    show_d("fmin(nan, 1)", fmin_d, qnan, 1.0);
    show_d("fmax(1, nan)", fmax_d, 1.0, qnan);
    show_d("fmin(nan, nan)", fmin_d, pnan, nnan);
    show_d("fmin(snan, 1)", fmin_d, snan, 1.0);
    show_d("fmax(snan, snan)", fmax_d, snan, snan);
    show_d("fmin(-0, +0)", fmin_d, -0.0, 0.0);
    show_d("fmin(+0, -0)", fmin_d, 0.0, -0.0);
    show_d("fmax(-0, +0)", fmax_d, -0.0, 0.0);
    show_d("fmax(+0, -0)", fmax_d, 0.0, -0.0);
    show_d("fmin(-inf, inf)", fmin_d, ninf, inf);
    show_s("float fmin(nan, -1)", fmin_s, fpnan, -1.0f);
    show_s("float fmax(-0, +0)", fmax_s, -0.0f, 0.0f);
    show_s("float fmin(+0, -0)", fmin_s, 0.0f, -0.0f);
    show_s("float fmax(snan, 2)", fmax_s, fsnan, 2.0f);

    puts("[fclass]");
    const double cd[] = { ninf, -1.5, -dmin_sub, -0.0, 0.0, dmin_sub, 2.5, inf, snan, qnan, nnan, pnan };
    for (unsigned i = 0; i < sizeof cd / sizeof cd[0]; i++)
        printf("  fclass.d %016" PRIx64 " = 0x%03x\n", dbits(cd[i]), fclass_d(cd[i]));
    const float cs[] = { -finf, -1.5f, -fmin_sub, -0.0f, 0.0f, fmin_sub, 2.5f, finf, fsnan, fpnan };
    for (unsigned i = 0; i < sizeof cs / sizeof cs[0]; i++)
        printf("  fclass.s %08" PRIx32 " = 0x%03x\n", fbits(cs[i]), fclass_s(cs[i]));

    puts("[compare]");
    clear(); uint64_t c1 = feq_d(qnan, qnan); unsigned f1 = flags();
    clear(); uint64_t c2 = flt_d(qnan, 1.0); unsigned f2 = flags();
    clear(); uint64_t c3 = fle_d(1.0, qnan); unsigned f3 = flags();
    clear(); uint64_t c4 = feq_d(snan, 1.0); unsigned f4 = flags();
    clear(); uint64_t c5 = feq_d(-0.0, 0.0); unsigned f5 = flags();
    clear(); uint64_t c6 = flt_d(-0.0, 0.0); unsigned f6 = flags();
    clear(); uint64_t c7 = fle_d(ninf, -dmax); unsigned f7 = flags();
    clear(); uint64_t c8 = feq_s(fpnan, fpnan); unsigned f8 = flags();
    clear(); uint64_t c9 = flt_s(-0.0f, fmin_sub); unsigned f9 = flags();
    printf("  feq(qnan,qnan)=%" PRIu64 " %s  flt(qnan,1)=%" PRIu64 " %s  fle(1,qnan)=%" PRIu64 " %s\n",
           c1, fl(f1), c2, fl(f2), c3, fl(f3));
    printf("  feq(snan,1)=%" PRIu64 " %s  feq(-0,0)=%" PRIu64 " %s  flt(-0,0)=%" PRIu64 " %s\n",
           c4, fl(f4), c5, fl(f5), c6, fl(f6));
    printf("  fle(-inf,-max)=%" PRIu64 " %s  feq.s(nan,nan)=%" PRIu64 " %s  flt.s(-0,minsub)=%" PRIu64 " %s\n",
           c7, fl(f7), c8, fl(f8), c9, fl(f9));

    puts("[signed zero]");
    show_d("-0 + 0", fadd_d, -0.0, 0.0);
    show_d("-0 + -0", fadd_d, -0.0, -0.0);
    show_d("-0 - 0", fsub_d, -0.0, 0.0);
    show_d("1 - 1", fsub_d, 1.0, 1.0);
    show_d("-1 * 0", fmul_d, -1.0, 0.0);
    show_d("1 / -0", fdiv_d, 1.0, -0.0);
    show_d("-1 / inf", fdiv_d, -1.0, inf);
    clear();
    printf("  %-28s %016" PRIx64 " %s\n", "sqrt(-0)", dbits(fsqrt_d(-0.0)), fl(flags()));

    puts("[overflow and subnormals]");
    show_d("max * 2", fmul_d, dmax, 2.0);
    show_d("max + max", fadd_d, dmax, dmax);
    show_d("-max * 2", fmul_d, -dmax, 2.0);
    show_d("minnorm / 2 (exact)", fdiv_d, dmin_norm, 2.0);
    show_d("minnorm / 3", fdiv_d, dmin_norm, 3.0);
    show_d("minsub / 2 (to zero)", fdiv_d, dmin_sub, 2.0);
    show_d("minsub * 0.75", fmul_d, dmin_sub, 0.75);
    show_d("minsub * 1.5", fmul_d, dmin_sub, 1.5);
    show_d("minsub + minsub", fadd_d, dmin_sub, dmin_sub);
    show_d("minnorm - minsub", fsub_d, dmin_norm, dmin_sub);
    show_d("1e-300 * 1e-300", fmul_d, 1e-300, 1e-300);
    show_d("1e300 * 1e300", fmul_d, 1e300, 1e300);
    show_d("1 / 3", fdiv_d, 1.0, 3.0);
    show_s("float minsub / 2", fdiv_s, fmin_sub, 2.0f);
    show_s("float minsub * 3", fmul_s, fmin_sub, 3.0f);
    show_s("float 1e-30 * 1e-20", fmul_s, 1e-30f, 1e-20f);
    show_s("float 3e38 * 10", fmul_s, 3e38f, 10.0f);
    show_s("float 1 + 2^-24", fadd_s, 1.0f, ffrom(0x33800000u));
    show_s("float 1 + 2^-24+", fadd_s, 1.0f, ffrom(0x33800001u));

    puts("[fsqrt]");
    const double sq[] = { 0.0, 1.0, 2.0, 4.0, 1e-310, dmax, inf, 0.25, 3.0 };
    for (unsigned i = 0; i < sizeof sq / sizeof sq[0]; i++) {
        clear();
        double r = fsqrt_d(sq[i]);
        printf("  sqrt(%-12g) = %016" PRIx64 " %s\n", sq[i], dbits(r), fl(flags()));
    }
    const float sqf[] = { 2.0f, 9.0f, 1e-45f, 3.4e38f, 0.1f };
    for (unsigned i = 0; i < sizeof sqf / sizeof sqf[0]; i++) {
        clear();
        float r = fsqrt_s(sqf[i]);
        printf("  sqrtf(%-11g) = %08" PRIx32 " %s\n", (double)sqf[i], fbits(r), fl(flags()));
    }

    puts("[fused multiply-add]");
    const double e = dfrom(0x3cb0000000000000ull);  /* 2^-52 */
    struct { const char *what; double a, b, c; } fm[] = {
        { "(1+e)(1-e) - 1", 1 + e, 1 - e, -1.0 },
        { "(1+e)(1+e) - 1", 1 + e, 1 + e, -1.0 },
        { "0.1*10 - 1", 0.1, 10.0, -1.0 },
        { "max*2 - max", dmax, 2.0, -dmax },
        { "inf*0 + nan", inf, 0.0, qnan },
        { "inf*0 + 1", inf, 0.0, 1.0 },
        { "inf*1 - inf", inf, 1.0, ninf },
        { "1*-0 + 0", 1.0, -0.0, 0.0 },
        { "1*-0 + -0", 1.0, -0.0, -0.0 },
        { "minsub*0.5 + 0", dmin_sub, 0.5, 0.0 },
        { "3*(1/3) - 1", 3.0, 1.0 / 3.0, -1.0 },
    };
    for (unsigned i = 0; i < sizeof fm / sizeof fm[0]; i++) {
        double a = fm[i].a, b = fm[i].b, c = fm[i].c;
        clear(); double r1 = fmadd_d(a, b, c); unsigned g1 = flags();
        clear(); double r2 = fmsub_d(a, b, c); unsigned g2 = flags();
        clear(); double r3 = fnmadd_d(a, b, c); unsigned g3 = flags();
        clear(); double r4 = fnmsub_d(a, b, c); unsigned g4 = flags();
        printf("  %-16s fmadd=%016" PRIx64 " %-4s fmsub=%016" PRIx64 " %-4s\n"
               "  %-16s fnmadd=%016" PRIx64 " %-4s fnmsub=%016" PRIx64 " %-4s\n",
               fm[i].what, dbits(r1), fl(g1), dbits(r2), fl(g2),
               "", dbits(r3), fl(g3), dbits(r4), fl(g4));
    }
    /* single precision: computing in double and rounding once more is wrong here */
    const float fe = ffrom(0x34000000u);  /* 2^-23 */
    struct { const char *what; float a, b, c; } fms[] = {
        { "(1+e)(1-e) - 1", 1 + fe, 1 - fe, -1.0f },
        { "rounds up", ffrom(0x3f800001u), ffrom(0x3f800001u), ffrom(0xb3000000u) },
        { "double-rounding", ffrom(0x3f800800u), ffrom(0x3f800800u), ffrom(0x17800000u) },
        { "0.1f*10 - 1", 0.1f, 10.0f, -1.0f },
        { "big cancel", 16777215.0f, 16777215.0f, -281474943156225.0f },
    };
    for (unsigned i = 0; i < sizeof fms / sizeof fms[0]; i++) {
        clear(); float r1 = fmadd_s(fms[i].a, fms[i].b, fms[i].c); unsigned g1 = flags();
        clear(); float r2 = fnmsub_s(fms[i].a, fms[i].b, fms[i].c); unsigned g2 = flags();
        printf("  float %-16s fmadd=%08" PRIx32 " %-4s fnmsub=%08" PRIx32 " %-4s\n",
               fms[i].what, fbits(r1), fl(g1), fbits(r2), fl(g2));
    }
    return 0;
}
