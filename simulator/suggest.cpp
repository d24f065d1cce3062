#include "simulator/suggest.h"

#include <algorithm>
#include <utility>

namespace rp {

size_t edit_distance(const std::string& a, const std::string& b) {
  // d[i][j]: distance between the first i characters of a and the first j of b; three rows suffice for swaps.
  std::vector<size_t> two(b.size() + 1), one(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) one[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], two[j - 2] + 1);
    }
    std::swap(two, one);
    std::swap(one, cur);
  }
  return one[b.size()];
}

namespace {

size_t distance_to(const std::string& word, const std::string& candidate) {
  size_t d = edit_distance(word, candidate);
  const size_t dot = candidate.rfind('.');
  if (word.find('.') == std::string::npos && dot != std::string::npos) {
    d = std::min(d, edit_distance(word, candidate.substr(dot + 1)));
  }
  return d;
}

}  // namespace

std::vector<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates, size_t count,
                                 bool close_only) {
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& c : candidates) {
    const size_t d = distance_to(word, c);
    if (!close_only || d <= limit) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && out.size() < count; ++i) {
    if (std::find(out.begin(), out.end(), scored[i].second) == out.end()) out.push_back(scored[i].second);
  }
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates, size_t count,
                         const std::string& prefix) {
  const auto near = nearest(word, candidates, count, true);
  if (near.empty()) return "";
  std::string s = "did you mean ";
  for (size_t i = 0; i < near.size(); ++i) {
    s += (i == 0 ? "" : i + 1 == near.size() ? " or " : ", ") + prefix + near[i];
  }
  return s + "?";
}

}  // namespace rp
