/* math: libm functions and strtod.  Elementary functions (sin cos tan exp
 * log pow atan2 ...) in double and float over a spread of arguments,
 * including huge sin arguments (argument reduction), special values and
 * errno/ERANGE reporting; frexp/ldexp/modf/fmod/remainder; strtod of
 * decimal, hex, inf/nan, subnormal and overflowing inputs.  Results are
 * printed with %a so every bit is compared. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <errno.h>
#include <string.h>

typedef double (*fn1)(double);
typedef float (*fn1f)(float);

static void table1(const char *name, fn1 f, const double *xs, int n)
{
    printf("%s:", name);
    for (int i = 0; i < n; i++) printf(" %a", f(xs[i]));
    putchar('\n');
}

static void table1f(const char *name, fn1f f, const float *xs, int n)
{
    printf("%s:", name);
    for (int i = 0; i < n; i++) printf(" %a", (double)f(xs[i]));
    putchar('\n');
}

int main(void)
{
    static const double args[] = { 0.0, 0.5, 1.0, 2.0, 3.14159, 10.0, 100.5, 1e-8, -0.75, -7.25 };
    const int na = sizeof args / sizeof args[0];

    puts("[double]");
    table1("sin", sin, args, na);
    table1("cos", cos, args, na);
    table1("tan", tan, args, na);
    table1("exp", exp, args, na);
    table1("expm1", expm1, args, na);
    table1("exp2", exp2, args, na);
    table1("atan", atan, args, na);
    table1("sinh", sinh, args, na);
    table1("tanh", tanh, args, na);
    table1("cbrt", cbrt, args, na);
    table1("erf", erf, args, na);
    table1("floor", floor, args, na);
    table1("ceil", ceil, args, na);
    static const double pos[] = { 1e-300, 1e-8, 0.5, 1.0, 2.0, 2.718281828459045, 10.0, 1e10, 1e300 };
    const int np = sizeof pos / sizeof pos[0];
    table1("log", log, pos, np);
    table1("log2", log2, pos, np);
    table1("log10", log10, pos, np);
    table1("log1p", log1p, pos, np);
    table1("sqrt", sqrt, pos, np);
    table1("asin", asin, args, 4);
    table1("acos", acos, args, 4);
    table1("tgamma", tgamma, pos + 2, 5);
    table1("lgamma", lgamma, pos + 2, 5);

    puts("[pow]");
    static const double pb[] = { 2.0, 10.0, 0.5, 1.0001, -2.0, 0.0, -0.0 };
    static const double pe[] = { 0.5, 3.0, -1.0, 10000.0, 1.0 / 3.0, -2.0 };
    for (unsigned i = 0; i < sizeof pb / sizeof pb[0]; i++) {
        printf("pow(%g, .):", pb[i]);
        for (unsigned j = 0; j < sizeof pe / sizeof pe[0]; j++) printf(" %a", pow(pb[i], pe[j]));
        putchar('\n');
    }
    printf("atan2: %a %a %a %a %a\n", atan2(1, 1), atan2(-1, -1), atan2(0.0, -0.0), atan2(-0.0, -1), atan2(1, 0));
    printf("hypot: %a %a fmod: %a %a remainder: %a %a\n", hypot(3, 4), hypot(1e300, 1e300),
           fmod(10.5, 3), fmod(-10.5, 3), remainder(10.5, 3), remainder(11.5, 3));

    puts("[argument reduction]");
    static const double big[] = { 1e6, 1e15, 1e22, 1e300, 1.7976931348623157e308 };
    for (unsigned i = 0; i < sizeof big / sizeof big[0]; i++)
        printf("sin(%g)=%a cos=%a\n", big[i], sin(big[i]), cos(big[i]));

    puts("[float]");
    static const float fargs[] = { 0.0f, 0.5f, 1.0f, 2.0f, 3.14159f, 10.0f, 100.5f, -0.75f };
    const int nf = sizeof fargs / sizeof fargs[0];
    table1f("sinf", sinf, fargs, nf);
    table1f("cosf", cosf, fargs, nf);
    table1f("expf", expf, fargs, nf);
    table1f("logf", logf, fargs + 1, nf - 2);
    table1f("sqrtf", sqrtf, fargs, nf - 1);
    printf("powf: %a %a %a\n", (double)powf(2.0f, 0.5f), (double)powf(10.0f, 7.0f), (double)powf(1.5f, 60.0f));

    puts("[special values and errno]");
    struct { const char *what; double v; } sp[5];
    errno = 0; sp[0].what = "log(0)";     sp[0].v = log(0.0);
    int e0 = errno;
    errno = 0; sp[1].what = "log(-1)";    sp[1].v = log(-1.0);
    int e1 = errno;
    errno = 0; sp[2].what = "exp(710)";   sp[2].v = exp(710.0);
    int e2 = errno;
    errno = 0; sp[3].what = "pow(0,-1)";  sp[3].v = pow(0.0, -1.0);
    int e3 = errno;
    errno = 0; sp[4].what = "exp(-800)";  sp[4].v = exp(-800.0);
    int e4 = errno;
    int es[5] = { e0, e1, e2, e3, e4 };
    for (int i = 0; i < 5; i++)
        printf("%-10s = %-6g errno=%s\n", sp[i].what, sp[i].v,
               es[i] == ERANGE ? "ERANGE" : es[i] == EDOM ? "EDOM" : es[i] ? "other" : "0");
    printf("pow(-8,1/3)=%g pow(nan,0)=%g pow(1,nan)=%g sqrt(-0)=%g fabs(-nan)=%g\n",
           pow(-8, 1.0 / 3), pow(NAN, 0), pow(1, NAN), sqrt(-0.0), fabs(-NAN));
    printf("isnan %d isinf %d signbit(-0) %d fpclassify(1e-310)==FP_SUBNORMAL %d\n",
           isnan(NAN), isinf(-INFINITY), signbit(-0.0) != 0, fpclassify(1e-310) == FP_SUBNORMAL);

    puts("[decompose]");
    int ex;
    double fr = frexp(1234.5, &ex);
    double ip, fp = modf(-3.75, &ip);
    printf("frexp(1234.5) = %a * 2^%d, ldexp(1,-1074) = %a, ldexp(1,1024) = %g\n",
           fr, ex, ldexp(1, -1074), ldexp(1, 1024));
    printf("modf(-3.75) = %g + %g, scalbn(3,4)=%g ilogb(1e-310)=%d logb(8)=%g\n",
           ip, fp, scalbn(3, 4), ilogb(1e-310), logb(8));
    printf("nextafter(1,2)=%a nextafter(0,-1)=%a copysign(3,-0.0)=%g\n",
           nextafter(1, 2), nextafter(0, -1), copysign(3, -0.0));
    printf("round(2.5)=%g round(-2.5)=%g trunc(-2.7)=%g lround(-2.5)=%ld llrint(2.5)=%lld\n",
           round(2.5), round(-2.5), trunc(-2.7), lround(-2.5), llrint(2.5));

    puts("[strtod]");
    static const char *strs[] = {
        "0", "-0", "3.14159", "  42abc", "1e10", "1E-5", "-2.5e+3", ".5", "5.", "0x1.8p1",
        "0x.1p4", "inf", "-Infinity", "nan", "NaN(123)", "1e400", "-1e400", "1e-320", "1e-400",
        "2.2250738585072011e-308", "4.9406564584124654e-324", "2.4703282292062328e-324",
        "2.4703282292062327e-324", "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
        "0.1000000000000000055511151231257827021181583404541015625", "junk", "",
    };
    for (unsigned i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        char *end;
        errno = 0;
        double v = strtod(strs[i], &end);
        int e = errno;
        printf("  strtod(\"%.30s\") = %a consumed %td%s\n", strs[i], v, end - strs[i], e == ERANGE ? " ERANGE" : "");
    }
    printf("  strtof(\"1e-46\")=%a strtof(\"3.4028236e38\")=%a atof(\"-1.5\")=%g\n",
           (double)strtof("1e-46", NULL), (double)strtof("3.4028236e38", NULL), atof("-1.5"));
    return 0;
}
