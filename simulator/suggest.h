#pragma once
// "Did you mean ...?": the one edit-distance helper behind every suggestion for a name a user typed (commands,
// options, accelerator keys, experiment keys and kinds, models, CSV columns). Pure functions, no state.
#include <cstddef>
#include <string>
#include <vector>

namespace rp {

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two adjacent characters
// cost 1 each ("simualte" is 1 from "simulate").
size_t edit_distance(const std::string& a, const std::string& b);

// Up to `count` of `candidates` nearest to `word`, nearest first (ties in the candidates' order). A word without a
// '.' is also matched against the last dotted part of each candidate ("rows" is 0 from "matrix_unit.rows"). With
// `close_only`, only candidates a typo away are kept: distance <= max(2, |word| / 3).
std::vector<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates, size_t count,
                                 bool close_only);

// "did you mean a?" / "did you mean a, b or c?" over the close candidates (at most `count`, each written after
// `prefix`, e.g. "--" for options); "" when none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates, size_t count = 3,
                         const std::string& prefix = "");

}  // namespace rp
