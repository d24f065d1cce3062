// Records declared once (simulator/record.h, experiments/run/record_io.h): one column list gives the journal line
// (exact doubles, NaN as null), the HDF5 table (types as declared, data-dependent columns) and the attributes.
#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <cmath>
#include <limits>

#include "experiments/run/record_io.h"
#include "tests/experiments/scratch_dir.h"

using namespace rp;

namespace {

struct Rec {
  int64_t key = 0;
  int stage = 0;
  int64_t macs = 0;
  double value = 0;
  bool ok = true;
  std::string name;
  std::string swept;
  std::vector<std::pair<std::string, double>> busy;
  double computed = 0;
};

void rec_columns(Columns& c, Rec& r) {
  c.column("key", r.key, Columns::kJournal);
  c.column("stage", r.stage);
  c.column("macs", r.macs);
  c.column("value", r.value);
  c.column("ok", r.ok);
  c.column("name", r.name);
  c.text_or_number("swept", r.swept);
  c.prefixed("busy_", r.busy);
  c.column("computed", r.computed, Columns::kTable);
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("record: a journal line reads back exactly, NaN included; table-only columns are not journaled") {
  Rec r{42, 1, 123456789012, 0.1 + 0.2, false, "a \"quoted\" name", "1.5", {{"hbm", kNaN}, {"vector", 1.0 / 3}}, 7};
  const std::string line = run::to_json(r, rec_columns);
  CHECK(line.find("computed") == std::string::npos);
  CHECK(line.find("\"hbm\":null") != std::string::npos);
  const Rec q = run::from_json(line, rec_columns);
  CHECK(q.key == 42);
  CHECK(q.stage == 1);
  CHECK(q.macs == 123456789012);
  CHECK(q.value == 0.1 + 0.2);  // 0.30000000000000004, to the bit
  CHECK_FALSE(q.ok);
  CHECK(q.name == r.name);
  CHECK(q.swept == "1.5");
  REQUIRE(q.busy.size() == 2);
  CHECK(std::isnan(q.busy[0].second));
  CHECK(q.busy[1].second == 1.0 / 3);
  CHECK_THROWS(run::from_json(line.substr(0, line.size() / 2), rec_columns));  // a line cut short by a kill
}

TEST_CASE("record: the table has the declared types, a numeric swept column, the union of prefixed names") {
  const test::Scratch d("record-table");
  const std::vector<Rec> rows = {{0, 1, 10, 0.5, true, "x", "600", {{"hbm", 0.25}}, 1.5},
                                 {1, 2, 20, 0.75, false, "yy", "true", {{"vector", 0.5}}, 2.5}};
  const std::vector<Rec> mixed = {{0, 0, 0, 0, true, "", "fast", {}, 0}, {1, 0, 0, 0, true, "", "2", {}, 0}};
  traces::write_hdf5_atomically(d.file("t.h5"), [&](traces::H5Out& root) {
    run::write_table(root, "rows", rows, rec_columns);
    run::write_table(root, "mixed", mixed, rec_columns);
    run::write_table(root, "empty", std::vector<Rec>{}, rec_columns);
    run::write_attributes(root, rows[0], rec_columns);
  });
  H5::H5File f(d.file("t.h5"), H5F_ACC_RDONLY);
  const H5::CompType t = f.openDataSet("rows").getCompType();
  // key is journal-only; busy_ names in order, each a column; `computed` is a table column.
  const std::vector<std::string> names = {"stage", "macs",     "value",       "ok",      "name",
                                          "swept", "busy_hbm", "busy_vector", "computed"};
  REQUIRE(t.getNmembers() == static_cast<int>(names.size()));
  for (int i = 0; i < t.getNmembers(); ++i)
    CHECK(t.getMemberName(static_cast<unsigned>(i)) == names[static_cast<size_t>(i)]);
  CHECK(t.getMemberDataType(0).getSize() == 4);  // int -> int32
  CHECK(t.getMemberDataType(1).getSize() == 8);  // int64_t -> int64
  CHECK(t.getMemberClass(3) == H5T_INTEGER);     // bool -> int32 0/1
  CHECK(t.getMemberClass(4) == H5T_STRING);
  CHECK(t.getMemberStrType(4).isVariableStr());  // every string column is variable-length UTF-8
  CHECK(t.getMemberClass(5) == H5T_FLOAT);       // "600" and "true" are numbers (true = 1)
  CHECK(f.openDataSet("mixed").getCompType().getMemberClass(5) == H5T_STRING);  // "fast" is not
  CHECK(f.openDataSet("empty").getSpace().getSimpleExtentNpoints() == 0);
  CHECK(f.openDataSet("empty").getCompType().getNmembers() == 7);  // the default record's columns (no busy_)
  struct Pair {
    double hbm, vector;
  };
  H5::CompType busy(sizeof(Pair));
  busy.insertMember("busy_hbm", HOFFSET(Pair, hbm), H5::PredType::NATIVE_DOUBLE);
  busy.insertMember("busy_vector", HOFFSET(Pair, vector), H5::PredType::NATIVE_DOUBLE);
  Pair read[2];
  f.openDataSet("rows").read(read, busy);
  CHECK(read[0].hbm == 0.25);
  CHECK(std::isnan(read[0].vector));  // a row without the unit: NaN
  CHECK(read[1].vector == 0.5);
  CHECK(f.openGroup("/").attrExists("name"));
  CHECK(f.openGroup("/").attrExists("key"));  // attributes carry every column
}
