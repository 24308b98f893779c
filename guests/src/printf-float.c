/* printf-float: floating-point formatting -- %f %e %g %a (and upper-case
 * forms), precision and widths, rounding of ties at the printed precision,
 * very large/small/subnormal values, inf/nan/-0, %Lf of long double (128-bit
 * quad on riscv64, done in software) and a digit-exact round trip through
 * strtod of %.17g. */
#include <stdio.h>
#include <stdlib.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

int main(void)
{
    static const double v[] = {
        0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123456.789, 1e-5, 1e21, 1e22,
        6.02214076e23, 1.7976931348623157e308, 2.2250738585072014e-308, 4.9406564584124654e-324,
        0.5, 2.5, 1e100, 3.0e-310, 299792458.0, -273.15,
    };
    puts("[f e g a]");
    for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("%-24.17g|%f|%e|%g|%a\n", v[i], v[i], v[i], v[i], v[i]);

    puts("[precision and width]");
    double pi = 3.14159265358979323846;
    printf("[%.0f] [%.1f] [%.2f] [%.10f] [%.20f]\n", pi, pi, pi, pi, pi);
    printf("[%10.3f] [%-10.3f] [%+.3f] [% .3f] [%010.3f] [%#.0f]\n", pi, pi, pi, pi, -pi, pi);
    printf("[%.0e] [%.3e] [%15.3E] [%-15.3e] [%#.0e]\n", pi, pi * 1e10, pi, -pi, pi);
    printf("[%.0g] [%.1g] [%.3g] [%#.3g] [%G] [%g] [%g]\n", pi, pi, pi, 1.0, 1e-10, 100000.0, 1000000.0);
    printf("[%a] [%A] [%.3a] [%.0a] [%a]\n", pi, pi, pi, pi, 1.0);
    printf("[%*.*f] [%-*.*e]\n", 12, 4, pi, 14, 2, pi);

    puts("[rounding at the printed precision]");
    static const double ties[] = { 0.125, 0.375, 2.5, 3.5, 0.05, 0.15, 0.25, 0.35, 1.005, 1.015, 1e15 + 0.5 };
    for (unsigned i = 0; i < sizeof ties / sizeof ties[0]; i++)
        printf("  %.17g -> %.2f %.1f %.0f %.1e\n", ties[i], ties[i], ties[i], ties[i], ties[i]);

    puts("[specials]");
    double inf = INFINITY, nan = NAN;
    printf("[%f] [%F] [%e] [%g] [%a] [%5.1f] [%-6f|]\n", inf, -inf, inf, -inf, inf, inf, inf);
    printf("[%f] [%F] [%e] [%g] [%+f]\n", nan, nan, -nan, nan, nan);
    printf("[%f] [%e] [%g] [%a] [%+.2f]\n", -0.0, -0.0, -0.0, -0.0, -0.0);
    printf("float promoted: %.9g %a %f\n", (double)0.1f, (double)FLT_MAX, (double)FLT_MIN);

    puts("[big and exact]");
    printf("%.0f\n", 1e300);
    printf("%.0f\n", DBL_MAX);
    printf("%.60f\n", 0.1);
    printf("%.40e\n", DBL_MIN);
    printf("%.0f %.0f %.0f\n", 9007199254740993.0, 18446744073709551616.0, 123456789012345678.0);

    puts("[long double]");
    long double ld = 1.0L / 3.0L;
    printf("%.30Lf\n%.25Le\n%La\n", ld, ld, ld);
    printf("%Lg %Lg\n", LDBL_MAX, LDBL_MIN);

    puts("[round trip]");
    unsigned ok = 0;
    double x = 1.0;
    for (int i = 0; i < 200; i++) {
        char buf[40];
        x = x * 1.37 + 0.001;
        if (i % 17 == 0) x = 1.0 / x;
        snprintf(buf, sizeof buf, "%.17g", x);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &x, sizeof x) == 0) ok++;
        if (i % 40 == 0) printf("  %s\n", buf);
    }
    printf("  %u/200 exact\n", ok);
    return 0;
}
