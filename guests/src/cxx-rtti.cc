// cxx-rtti: run-time type information -- virtual dispatch, typeid of
// objects through base pointers (names are the mangled Itanium ABI names),
// dynamic_cast downcasts that succeed or give nullptr, reference casts that
// throw std::bad_cast, cross-casts under multiple inheritance, virtual
// inheritance, and dynamic_cast<void*> to the most-derived object.
#include <iostream>
#include <typeinfo>
#include <memory>
#include <vector>
#include <string>

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }
};
struct Rect : Shape {
    double w, h;
    Rect(double w_, double h_) : w(w_), h(h_) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};
struct Square final : Rect {
    explicit Square(double s) : Rect(s, s) {}
    std::string name() const override { return "square"; }
};
struct Circle : Shape {
    double r;
    explicit Circle(double r_) : r(r_) {}
    double area() const override { return 3.0 * r * r; }
};

struct Printable { virtual ~Printable() = default; virtual std::string print() const = 0; };
struct Labelled : Rect, Printable {
    Labelled() : Rect(2, 5) {}
    std::string print() const override { return "labelled " + name(); }
};

struct Base { virtual ~Base() = default; int b = 1; };
struct Left : virtual Base { int l = 2; };
struct Right : virtual Base { int r = 3; };
struct Diamond : Left, Right { int d = 4; };

// out of line so the cast is done at run time, not folded by the compiler
__attribute__((noinline)) static Left *to_left(Base *b) { return dynamic_cast<Left *>(b); }

int main()
{
    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.emplace_back(new Rect(3, 4));
    shapes.emplace_back(new Square(5));
    shapes.emplace_back(new Circle(2));
    shapes.emplace_back(new Labelled);

    for (auto &s : shapes) {
        const Shape &ref = *s;
        std::cout << s->name() << ": area " << s->area() << ", typeid " << typeid(ref).name();
        if (auto *r = dynamic_cast<Rect *>(s.get())) std::cout << ", is a Rect w=" << r->w;
        if (dynamic_cast<Square *>(s.get())) std::cout << ", is a Square";
        if (dynamic_cast<Circle *>(s.get())) std::cout << ", is a Circle";
        if (auto *p = dynamic_cast<Printable *>(s.get())) std::cout << ", cross-cast: " << p->print();
        void *whole = dynamic_cast<void *>(s.get());
        std::cout << ", void* cast is " << (whole == static_cast<void *>(s.get()) ? "same" : "adjusted") << "\n";
    }

    std::cout << "typeid(int)==typeid(const int): " << (typeid(int) == typeid(const int)) << "\n";
    std::cout << "typeid(Rect)==typeid(Square): " << (typeid(Rect) == typeid(Square)) << "\n";
    std::cout << "static types: " << typeid(Shape *).name() << " " << typeid(std::string).name() << "\n";

    try {
        Circle c(1);
        Shape &s = c;
        Rect &r = dynamic_cast<Rect &>(s);
        std::cout << "unexpected " << r.w << "\n";
    } catch (std::bad_cast &e) {
        std::cout << "bad_cast caught\n";
    }

    Labelled lab;
    Printable *pp = &lab;
    Shape *back = dynamic_cast<Shape *>(pp);
    std::cout << "Printable -> Shape: " << (back ? back->name() : "null")
              << ", address differs: " << (static_cast<void *>(back) != static_cast<void *>(pp)) << "\n";

    Diamond dm;
    Base *bp = &dm;
    Left *lp = dynamic_cast<Left *>(bp);
    Right *rp = dynamic_cast<Right *>(bp);
    Diamond *dp = dynamic_cast<Diamond *>(rp);
    std::cout << "diamond: l=" << (lp ? lp->l : -1) << " r=" << (rp ? rp->r : -1)
              << " d=" << (dp ? dp->d : -1) << " shared base b=" << lp->b + rp->b << "\n";

    Base plain;
    std::cout << "Base -> Left on a plain Base: " << (to_left(&plain) ? "non-null" : "null") << "\n";
    Shape *none = nullptr;
    std::cout << "dynamic_cast of nullptr: " << (dynamic_cast<Rect *>(none) ? "non-null" : "null") << "\n";
    try {
        std::cout << typeid(*none).name() << "\n";
    } catch (std::bad_typeid &) {
        std::cout << "bad_typeid caught\n";
    }
    return 0;
}
