// cxx-wordfreq: reads all of stdin with std::getline/iostream, splits it
// into lower-cased words, counts them in an unordered_map and prints the
// most frequent (ties broken alphabetically), plus line/word/char totals.
// An optional argument limits how many words are listed (default 10).
#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

int main(int argc, char **argv)
{
    std::size_t limit = argc > 1 ? std::stoul(argv[1]) : 10;
    std::unordered_map<std::string, int> freq;
    std::string line;
    std::size_t lines = 0, words = 0, chars = 0;
    while (std::getline(std::cin, line)) {
        lines++;
        chars += line.size() + 1;
        std::string w;
        for (char c : line + " ") {
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
                w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else if (!w.empty()) {
                freq[w]++;
                words++;
                w.clear();
            }
        }
    }
    std::vector<std::pair<std::string, int>> v(freq.begin(), freq.end());
    std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::cout << lines << " lines, " << words << " words, " << chars << " chars, "
              << v.size() << " distinct\n";
    for (std::size_t i = 0; i < v.size() && i < limit; i++)
        std::cout << v[i].second << "\t" << v[i].first << "\n";
    if (v.empty()) std::cerr << "cxx-wordfreq: no words on stdin\n";
    return 0;
}
