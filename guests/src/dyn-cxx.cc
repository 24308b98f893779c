// A dynamically linked C++ program: libstdc++.so.6, libgcc_s.so.1 (exception unwinding across
// shared objects), libm and libc, all loaded by the dynamic loader from the sysroot.
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

static int parse(const std::string &s) {
  std::size_t used = 0;
  int v = std::stoi(s, &used);
  if (used != s.size()) throw std::invalid_argument("trailing characters in '" + s + "'");
  return v;
}

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, int> counts;
  for (const auto &a : args) counts[a]++;
  for (const auto &[word, n] : counts) std::cout << word << ": " << n << "\n";

  std::vector<int> numbers;
  for (const auto &a : args) {
    try {
      numbers.push_back(parse(a));
    } catch (const std::exception &e) {
      std::cout << "not a number: " << a << " (" << e.what() << ")\n";
    }
  }
  std::sort(numbers.begin(), numbers.end());
  std::ostringstream out;
  for (int n : numbers) out << n << ' ';
  std::cout << "sorted: " << out.str() << "\n";
  try {
    throw std::runtime_error("thrown through libstdc++ and libgcc_s");
  } catch (const std::runtime_error &e) {
    std::cout << "caught: " << e.what() << std::endl;
  }
  return numbers.empty() ? 1 : 0;
}
