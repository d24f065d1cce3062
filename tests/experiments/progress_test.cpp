// Progress reporting of long runs (experiments/runner/progress.h).
#include <catch2/catch.hpp>

#include <sstream>

#include "experiments/run/progress.h"

TEST_CASE("progress never shows more points than the total, nor a negative ETA", "[runner][progress]") {
  // 18 points, 2 done before; an MPI estimate of 4 ranks x 5 points = 20 for this run overshoots the 16 left.
  std::ostringstream out;
  rp::run::Progress p(out, 18, 2, false);
  p.update(20);
  CHECK(out.str().find("progress: 18/18 points") != std::string::npos);
  CHECK(out.str().find("ETA 0 s") != std::string::npos);
  CHECK(out.str().find("20/18") == std::string::npos);
  CHECK(out.str().find("ETA -") == std::string::npos);
}
