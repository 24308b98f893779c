// cxx-stl: the C++ standard library -- vector growth/insert/erase,
// std::sort/stable_sort/partial_sort with lambdas, map/set ordering,
// unordered_map (printed in sorted order), string building and searching,
// numeric algorithms, and iostream formatting (setw, setprecision, fixed,
// scientific, hex, showbase, left/right, boolalpha) via cout and
// ostringstream, plus parsing with istringstream.
#include <algorithm>
#include <deque>
#include <iomanip>
#include <iostream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

int main()
{
    // vector
    std::vector<int> v;
    for (int i = 0; i < 1000; i++) v.push_back((i * 7919) % 1009);
    v.insert(v.begin() + 10, 3, -1);
    v.erase(std::remove_if(v.begin(), v.end(), [](int x) { return x % 5 == 0; }), v.end());
    std::sort(v.begin(), v.end());
    auto last = std::unique(v.begin(), v.end());
    std::cout << "vector: size " << v.size() << " unique " << (last - v.begin())
              << " sum " << std::accumulate(v.begin(), v.end(), 0L)
              << " front " << v.front() << " back " << v.back() << "\n";
    std::cout << "lower_bound(500) at " << (std::lower_bound(v.begin(), last, 500) - v.begin())
              << ", binary_search(505) " << std::binary_search(v.begin(), last, 505) << "\n";

    // stable_sort keeps equal keys in input order
    std::vector<std::pair<int, std::string>> people = {
        {3, "carol"}, {1, "alice"}, {3, "bob"}, {2, "dave"}, {1, "erin"}, {2, "frank"}, {3, "grace"}};
    std::stable_sort(people.begin(), people.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    std::cout << "stable_sort:";
    for (auto &p : people) std::cout << " " << p.first << ":" << p.second;
    std::cout << "\n";

    std::vector<double> d = {3.5, -1.0, 2.25, 9.0, 0.5, -7.75, 4.0};
    std::partial_sort(d.begin(), d.begin() + 3, d.end(), std::greater<double>());
    std::cout << "top3: " << d[0] << " " << d[1] << " " << d[2]
              << "  min/max " << *std::min_element(d.begin(), d.end()) << "/" << *std::max_element(d.begin(), d.end())
              << "  inner_product " << std::inner_product(d.begin(), d.end(), d.begin(), 0.0) << "\n";

    // map / set
    std::map<std::string, int> m;
    const char *words[] = {"delta", "alpha", "charlie", "bravo", "alpha", "echo", "delta", "alpha"};
    for (auto w : words) m[w]++;
    std::cout << "map:";
    for (auto &kv : m) std::cout << " " << kv.first << "=" << kv.second;
    std::cout << "\n";
    std::set<int> s(v.begin(), last);
    auto it = s.upper_bound(100);
    std::cout << "set: size " << s.size() << " first>100 " << *it << " count(0) " << s.count(0) << "\n";
    std::multimap<int, char> mm = {{2, 'b'}, {1, 'a'}, {2, 'c'}, {1, 'd'}};
    std::cout << "multimap:";
    for (auto &kv : mm) std::cout << " " << kv.first << kv.second;
    std::cout << "\n";

    // unordered_map
    std::unordered_map<std::string, long> um;
    for (int i = 0; i < 5000; i++) um["key" + std::to_string(i % 731)] += i;
    std::vector<std::pair<std::string, long>> sorted(um.begin(), um.end());
    std::sort(sorted.begin(), sorted.end());
    std::cout << "unordered_map: size " << um.size() << " first " << sorted.front().first << "="
              << sorted.front().second << " last " << sorted.back().first << "=" << sorted.back().second
              << " key77=" << um.at("key77") << " has key999: " << um.count("key999") << "\n";

    std::deque<int> dq;
    for (int i = 0; i < 10; i++) { if (i % 2) dq.push_front(i); else dq.push_back(i); }
    std::cout << "deque:";
    for (int x : dq) std::cout << " " << x;
    std::cout << "\n";

    // strings
    std::string str = "The quick brown fox";
    str += " jumps over the lazy dog";
    std::cout << "string: len " << str.size() << " find(fox) " << str.find("fox")
              << " rfind(o) " << str.rfind('o') << " npos? " << (str.find("cat") == std::string::npos) << "\n";
    std::string up = str;
    std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
    std::cout << up.substr(4, 15) << "|" << str.replace(4, 5, "slow") << "\n";
    std::cout << "stoi " << std::stoi("-1234") << " stol " << std::stol("ff", nullptr, 16)
              << " stod " << std::stod("2.5e3") << " to_string " << std::to_string(3.25) << "\n";

    // iostream formatting
    std::cout << "[" << std::setw(8) << 42 << "][" << std::left << std::setw(8) << 42 << std::right << "]["
              << std::setfill('0') << std::setw(6) << 7 << std::setfill(' ') << "]\n";
    std::cout << std::fixed << std::setprecision(3) << 3.14159265 << " " << std::scientific << 12345.678
              << " " << std::defaultfloat << std::setprecision(6) << 0.1 + 0.2 << " " << 1e-7 << "\n";
    std::cout << std::hex << 255 << " " << std::showbase << 255 << " " << std::oct << 8 << std::dec
              << std::noshowbase << " " << std::boolalpha << true << " " << false << std::noboolalpha << "\n";
    std::ostringstream os;
    os << "pi~" << std::setprecision(10) << 3.14159265358979 << ";e~" << std::setprecision(3) << 2.718281828;
    std::cout << os.str() << " (" << os.str().size() << " chars)\n";

    std::istringstream is("10 20 thirty 40");
    int a, b, c = -1;
    std::string word;
    is >> a >> b >> word >> c;
    std::cout << "parsed " << a << " " << b << " '" << word << "' " << c << " good " << is.good() << "\n";
    std::istringstream bad("12x");
    int n = 0;
    char ch = 0;
    bad >> n >> ch;
    std::cout << "12x -> " << n << " then '" << ch << "'\n";
    return 0;
}
