// cxx-exceptions: C++ exception handling, which needs the unwinder to read
// .eh_frame and restore registers: throw/catch across several frames,
// catching by base class, rethrow with `throw;`, exception_ptr, destructors
// run during unwinding, exceptions from constructors, std::bad_alloc from a
// huge new (the kernel must refuse the mapping), std::out_of_range from
// vector::at, and catch(...) of non-class types.  Diagnostics go to cerr.
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>
#include <exception>
#include <new>

struct Tracer {
    std::string name;
    explicit Tracer(std::string n) : name(std::move(n)) { std::cout << "  +" << name << "\n"; }
    ~Tracer() { std::cout << "  -" << name << "\n"; }
};

struct AppError : std::runtime_error {
    int code;
    AppError(const std::string &m, int c) : std::runtime_error(m), code(c) {}
};
struct ParseError : AppError {
    int line;
    ParseError(const std::string &m, int l) : AppError(m, 2), line(l) {}
};

static int level3(int x)
{
    Tracer t("level3");
    if (x == 1) throw ParseError("bad token", 42);
    if (x == 2) throw 7;
    if (x == 3) throw std::string("a string");
    if (x == 4) throw 2.5;
    return x * 10;
}
static int level2(int x) { Tracer t("level2"); return level3(x) + 1; }
static int level1(int x)
{
    Tracer t("level1");
    try {
        return level2(x);
    } catch (AppError &e) {
        std::cout << "  level1 saw AppError(" << e.what() << "), rethrowing\n";
        throw;
    }
}

struct Fragile {
    Tracer a{"member a"};
    Tracer b{"member b"};
    explicit Fragile(bool fail) { if (fail) throw std::logic_error("constructor failed"); }
};

int main()
{
    for (int x = 0; x <= 4; x++) {
        std::cout << "case " << x << ":\n";
        try {
            int r = level1(x);
            std::cout << "  returned " << r << "\n";
        } catch (ParseError &e) {
            std::cout << "  ParseError: " << e.what() << " code " << e.code << " line " << e.line << "\n";
        } catch (int i) {
            std::cout << "  int " << i << "\n";
        } catch (const std::string &s) {
            std::cout << "  string " << s << "\n";
        } catch (...) {
            std::cout << "  something else\n";
        }
    }

    std::cout << "constructor:\n";
    try {
        Fragile f(true);
    } catch (std::exception &e) {
        std::cout << "  caught " << e.what() << "\n";
    }

    std::cout << "exception_ptr:\n";
    std::exception_ptr saved;
    try {
        throw std::overflow_error("stored for later");
    } catch (...) {
        saved = std::current_exception();
    }
    try {
        std::rethrow_exception(saved);
    } catch (std::overflow_error &e) {
        std::cout << "  rethrown: " << e.what() << "\n";
    }

    std::cout << "library exceptions:\n";
    std::vector<int> v(3);
    try {
        v.at(5) = 1;
    } catch (std::out_of_range &) {
        std::cout << "  out_of_range from vector::at\n";
    }
    try {
        std::size_t huge = std::size_t(1) << 62;
        char *p = new char[huge];
        p[0] = 1;
        std::cout << "  huge allocation succeeded?!\n";
        delete[] p;
    } catch (std::bad_alloc &e) {
        std::cout << "  bad_alloc: " << e.what() << "\n";
    }
    try {
        std::string s("abc");
        s.substr(10);
    } catch (std::out_of_range &) {
        std::cout << "  out_of_range from string::substr\n";
    }

    // many throws in a loop: the unwinder's caches get exercised
    long total = 0;
    for (int i = 0; i < 2000; i++) {
        try {
            if (i % 3 == 0) throw i;
            total += i;
        } catch (int k) {
            total -= k;
        }
    }
    std::cerr << "stderr: loop total " << total << "\n";
    std::cout << "done\n";
    return 0;
}
