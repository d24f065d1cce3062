#include "simulator/split.h"

#include <utility>

namespace rp {

std::string trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string> split_list(const std::string& text, const SplitOptions& options) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(options.separator, start);
    items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (!options.keep_final_empty && items.back().empty()) items.pop_back();
  std::vector<std::string> out;
  for (std::string& item : items) {
    if (options.trim) item = trimmed(item);
    if (!options.skip_empty || !item.empty()) out.push_back(std::move(item));
  }
  return out;
}

}  // namespace rp
