// The one edit-distance helper behind every "did you mean" (simulator/suggest.h). Distances derived by hand.
#include <catch2/catch.hpp>

#include "simulator/suggest.h"

using rp::did_you_mean;
using rp::edit_distance;
using rp::nearest;

TEST_CASE("edit distance: insertions, deletions, substitutions and adjacent swaps cost 1") {
  CHECK(edit_distance("", "abc") == 3);               // three insertions
  CHECK(edit_distance("kitten", "sitting") == 3);     // k->s, e->i, + g
  CHECK(edit_distance("simualte", "simulate") == 1);  // "al" <-> "la": one swap
  CHECK(edit_distance("acel", "accel") == 1);         // one insertion
  CHECK(edit_distance("sweeep", "sweep") == 1);       // one deletion
  // Optimal string alignment edits no substring twice: "ca" -> "abc" is 3 (not Damerau's 2 via "ac").
  CHECK(edit_distance("ca", "abc") == 3);
}

TEST_CASE("nearest: a typo away only, nearest first, at most count") {
  const std::vector<std::string> keys = {"matrix_unit.cols", "matrix_unit.rows", "hbm.row_bytes", "precision"};
  // "rowz" -> "rows" is 1; -> "cols" 3 (r->c, w->l, z->s); the limit for 16 characters is 16 / 3 = 5.
  CHECK(nearest("matrix_unit.rowz", keys, 3, true) == std::vector<std::string>{"matrix_unit.rows", "matrix_unit.cols"});
  // A word without a dot also matches the last part of a key: "rows" is 0 from matrix_unit.rows' "rows".
  CHECK(nearest("rows", keys, 1, true) == std::vector<std::string>{"matrix_unit.rows"});
  // Nothing is within max(2, 9 / 3) = 3 of "bandwidth": no suggestion rather than a far one.
  CHECK(nearest("bandwidth", keys, 3, true).empty());
  // Without close_only every candidate is ranked (ties in the candidates' order).
  CHECK(nearest("xyz", {"b", "a"}, 2, false) == std::vector<std::string>{"b", "a"});
}

TEST_CASE("did_you_mean: the message part, empty when nothing is close") {
  CHECK(did_you_mean("simualte", {"models", "simulate", "compare"}) == "did you mean simulate?");
  CHECK(did_you_mean("acel", {"accel", "batch", "set"}, 3, "--") == "did you mean --accel?");
  CHECK(did_you_mean("tpuv9", {"a100", "tpuv2", "tpuv3"}) == "did you mean tpuv2 or tpuv3?");
  CHECK(did_you_mean("zzzzzz", {"models", "simulate"}).empty());
}
