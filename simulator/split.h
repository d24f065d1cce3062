#pragma once
// The one splitter of separated lists ("MB_3_1,SEP_5", a CSV line, an architecture's groups): every call site says
// with SplitOptions which of the readings it needs. A pure function, no state.
#include <string>
#include <vector>

namespace rp {

struct SplitOptions {
  char separator = ',';
  // Strip spaces, tabs and carriage returns around each item.
  bool trim = false;
  // Drop every empty item (after trimming): "a,,b," -> {a, b}; "" -> {}.
  bool skip_empty = false;
  // False: an empty last item (before trimming) is dropped, as std::getline reads: "a,," -> {a, ""}; "" -> {}.
  bool keep_final_empty = true;
};

// `text` cut at every separator: n separators give n + 1 items, empty ones included ("" -> {""}; "a,,b," ->
// {a, "", b, ""}), then trimmed and dropped as `options` say.
std::vector<std::string> split_list(const std::string& text, const SplitOptions& options = {});

// `s` without the spaces, tabs and carriage returns around it (SplitOptions::trim's reading of an item).
std::string trimmed(const std::string& s);

}  // namespace rp
