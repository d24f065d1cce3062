// The LACS records (lacs/grid_search.h point_columns, lacs/family.h member_columns, lacs/zoo_references.h
// zoo_columns) through experiments/run/record_io.h: a point's journal line reads back exactly (NaN included, its
// index under "i"), a line cut short by a kill is refused, and the HDF5 tables keep the previous build's columns and
// types (docs/lacs.md; strings are now variable-length).
#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiments/run/record_io.h"
#include "lacs/family.h"
#include "lacs/zoo_references.h"

using namespace rp;

namespace {

// "name type, name type, ..." of the members of a compound dataset; type: f64, f32, i64, i32, str (variable-length)
// or fixed-str.
std::string columns_of(const H5::DataSet& d) {
  const H5::CompType t = d.getCompType();
  std::string out;
  for (unsigned i = 0; i < static_cast<unsigned>(t.getNmembers()); ++i) {
    std::string kind = "str";
    if (t.getMemberClass(i) == H5T_FLOAT) kind = t.getMemberFloatType(i).getSize() == 8 ? "f64" : "f32";
    if (t.getMemberClass(i) == H5T_INTEGER) kind = t.getMemberIntType(i).getSize() == 8 ? "i64" : "i32";
    if (t.getMemberClass(i) == H5T_STRING && !t.getMemberStrType(i).isVariableStr()) kind = "fixed-str";
    out += (i ? ", " : "") + t.getMemberName(i) + " " + kind;
  }
  return out;
}

}  // namespace

TEST_CASE("a journaled point reads back exactly, NaN included, with its index under 'i'") {
  lacs::PointResult p;
  p.index = 42;
  p.t = {1.15, 1.1 + 1e-15, 0.1 + 0.2};  // doubles that need 17 digits
  p.stage = 1;
  p.accuracy = 80.123456789012345;
  p.latency_ms = std::numeric_limits<double>::quiet_NaN();
  p.reward = 1.0 / 3.0;
  p.flops_ratio = 1.9044000000000003;
  p.feasible = false;
  p.status = "outside the FLOPs budget: \"quoted\"";
  p.resolution = 256;
  p.layers = 23;
  p.params = 123456789012;
  p.macs = 987654321;
  const std::string line = run::to_json(p, lacs::point_columns);
  const auto j = nlohmann::json::parse(line);
  CHECK(j.at("i") == 42);
  CHECK(j.at("latency_ms").is_null());
  const lacs::PointResult q = run::from_json(line, lacs::point_columns);
  CHECK(q.index == 42);
  CHECK((q.t.alpha == p.t.alpha && q.t.beta == p.t.beta && q.t.gamma == p.t.gamma));
  CHECK(q.accuracy == p.accuracy);
  CHECK(std::isnan(q.latency_ms));
  CHECK(q.reward == p.reward);
  CHECK(q.flops_ratio == p.flops_ratio);
  CHECK(q.status == p.status);
  CHECK((q.stage == 1 && !q.feasible && q.resolution == 256 && q.layers == 23));
  CHECK((q.params == p.params && q.macs == p.macs));
}

TEST_CASE("a journal line cut short by a kill is refused (the point is evaluated again)") {
  lacs::PointResult p;
  const std::string line = run::to_json(p, lacs::point_columns);
  CHECK_THROWS(run::from_json(line.substr(0, line.size() / 2), lacs::point_columns));
  CHECK_THROWS(run::from_json("{\"i\": 2, \"alpha\": 1.0}", lacs::point_columns));  // columns missing
}

TEST_CASE("the /grid, /family and /zoo tables keep the previous build's columns and types") {
  const std::string path = std::string(RP_BINARY_DIR) + "/lacs-record-test.h5";
  traces::write_hdf5_atomically(path, [&](traces::H5Out& root) {
    run::write_table(root, "grid", std::vector<lacs::PointResult>(2), lacs::point_columns);
    run::write_table(root, "family", std::vector<lacs::Member>(1), lacs::member_columns);
    run::write_table(root, "zoo", std::vector<lacs::ZooReference>(3), lacs::zoo_columns);
  });
  H5::H5File f(path, H5F_ACC_RDONLY);
  // The index is a journal key only: not a column of /grid.
  CHECK(columns_of(f.openDataSet("grid")) ==
        "alpha f64, beta f64, gamma f64, stage i32, feasible i32, status str, accuracy f64, latency_ms f64, "
        "reward f64, flops_ratio f64, resolution i32, layers i32, params i64, macs i64, accuracy_source str");
  CHECK(columns_of(f.openDataSet("family")) ==
        "family str, alpha f64, beta f64, gamma f64, phi i32, depth f64, width f64, resolution i32, layers i32, "
        "params i64, macs i64, latency_ms f64, accuracy f64, feasible i32, status str, yaml str, extrapolated i32, "
        "accuracy_source str");
  CHECK(
      columns_of(f.openDataSet("zoo")) ==
      "family str, name str, level i32, latency_ms f64, macs i64, params i64, published_top1 f64, surrogate_top1 f64");
  CHECK(f.openDataSet("grid").getSpace().getSimpleExtentNpoints() == 2);
}
