// The one list splitter (simulator/split.h) in each reading its call sites need; every expected list by hand.
#include <catch2/catch.hpp>

#include "simulator/split.h"

using rp::split_list;
using rp::SplitOptions;
using V = std::vector<std::string>;

TEST_CASE("split_list: n separators give n + 1 items, empty ones included (architecture texts)") {
  CHECK(split_list("a,b") == V{"a", "b"});
  CHECK(split_list("") == V{""});
  CHECK(split_list("a,,b,") == V{"a", "", "b", ""});
  CHECK(split_list(",a") == V{"", "a"});
  CHECK(split_list(" a , b") == V{" a ", " b"});  // spaces are kept unless trimmed
  SplitOptions underscore;
  underscore.separator = '_';
  CHECK(split_list("MB_3_1,SEP", underscore) == V{"MB", "3", "1,SEP"});
}

TEST_CASE("split_list: as std::getline reads, an empty last item is dropped (corpus.csv, HURRICANE ops)") {
  SplitOptions o;
  o.keep_final_empty = false;
  CHECK(split_list("a,b,", o) == V{"a", "b"});
  CHECK(split_list("a,,", o) == V{"a", ""});  // only the last one
  CHECK(split_list("", o) == V{});
  CHECK(split_list(",", o) == V{""});
  CHECK(split_list("a,,b", o) == V{"a", "", "b"});
}

TEST_CASE("split_list: trimmed items, every one kept (measurement CSV lines)") {
  SplitOptions o;
  o.trim = true;
  CHECK(split_list(" tpuv3 ,\tefficientnet-b0 , 8.71\r", o) == V{"tpuv3", "efficientnet-b0", "8.71"});
  CHECK(split_list("a, ,", o) == V{"a", "", ""});
  CHECK(split_list("  ", o) == V{""});
}

TEST_CASE("split_list: empty items skipped (hurricane space --pool / --ops)") {
  SplitOptions o;
  o.skip_empty = true;
  CHECK(split_list("SEP_3,,MB_3_1,", o) == V{"SEP_3", "MB_3_1"});
  CHECK(split_list("", o) == V{});
  CHECK(split_list(",,", o) == V{});
  o.trim = true;
  CHECK(split_list(" , a ,", o) == V{"a"});  // trimmed first, then skipped
}
