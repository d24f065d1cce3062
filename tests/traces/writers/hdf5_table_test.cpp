// Hdf5Table read back with the HDF5 C++ API: column order, member types and every value as given.
#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <cstdlib>

#include "simulator/error.h"
#include "tests/traces/writers/traced_run.h"
#include "traces/writers/h5_output.h"
#include "traces/writers/hdf5_table.h"

using namespace rp;

namespace {

template <typename T>
std::vector<T> numbers(const H5::DataSet& d, const char* member, const H5::PredType& type) {
  std::vector<T> v(static_cast<size_t>(d.getSpace().getSimpleExtentNpoints()));
  H5::CompType t(sizeof(T));
  t.insertMember(member, 0, type);
  d.read(v.data(), t);
  return v;
}

std::vector<std::string> strings(const H5::DataSet& d, const char* member) {
  std::vector<char*> cells(static_cast<size_t>(d.getSpace().getSimpleExtentNpoints()), nullptr);
  H5::StrType s(H5::PredType::C_S1, H5T_VARIABLE);
  s.setCset(H5T_CSET_UTF8);
  H5::CompType t(sizeof(char*));
  t.insertMember(member, 0, s);
  d.read(cells.data(), t);
  std::vector<std::string> out;
  for (char* c : cells) {
    out.emplace_back(c);
    std::free(c);
  }
  return out;
}

}  // namespace

TEST_CASE("Hdf5Table: columns in order, strings variable-length UTF-8, every value as given") {
  const test::ScratchDir dir("table");
  const std::string path = dir.file("t.h5");
  // Values chosen to catch a fixed-length string type (a value longer than the others, an empty one, a non-ASCII
  // one), a narrowed integer (2^40 does not fit in 32 bits) and a lossy float (0.1 has no short binary form).
  const std::vector<std::string> names = {"stem", "", "blocks_0/mbconv_expand_conv_with_a_long_name_0123456789",
                                          "h\xc3\xa9llo"};
  const std::vector<int32_t> small = {-1, 0, 7, 2147483647};
  const std::vector<int64_t> large = {int64_t{1} << 40, -3, 0, 9};
  const std::vector<double> real = {0.1, -0.0, 1e300, 2.5};
  traces::write_h5_atomically(path, [&](H5::H5File& f) {
    traces::Hdf5Table t(4);
    t.add("name", names);
    t.add("small", small);
    t.add("large", large);
    t.add("real", real);
    t.write(f, "table");
  });
  const H5::H5File f(path, H5F_ACC_RDONLY);
  const H5::DataSet d = f.openDataSet("table");
  const H5::CompType type = d.getCompType();
  REQUIRE(type.getNmembers() == 4);
  const std::vector<std::string> order = {"name", "small", "large", "real"};
  for (unsigned i = 0; i < 4; ++i) CHECK(type.getMemberName(i) == order[i]);
  const H5::StrType s = type.getMemberStrType(0);
  CHECK(s.isVariableStr());
  CHECK(s.getCset() == H5T_CSET_UTF8);
  CHECK(type.getMemberIntType(1).getSize() == 4);
  CHECK(type.getMemberIntType(2).getSize() == 8);
  CHECK(type.getMemberFloatType(3).getSize() == 8);
  CHECK(strings(d, "name") == names);
  CHECK(numbers<int32_t>(d, "small", H5::PredType::NATIVE_INT32) == small);
  CHECK(numbers<int64_t>(d, "large", H5::PredType::NATIVE_INT64) == large);
  CHECK(numbers<double>(d, "real", H5::PredType::NATIVE_DOUBLE) == real);
}

TEST_CASE("Hdf5Table: an empty table and a string holding a NUL byte") {
  const test::ScratchDir dir("table-edge");
  const std::string path = dir.file("t.h5");
  traces::write_h5_atomically(path, [](H5::H5File& f) {
    traces::Hdf5Table t(0);
    t.add("name", std::vector<std::string>{});
    t.write(f, "empty");
  });
  CHECK(H5::H5File(path, H5F_ACC_RDONLY).openDataSet("empty").getSpace().getSimpleExtentNpoints() == 0);
  // A C string would end at the NUL: the value would be stored cut short, so the write fails instead.
  CHECK_THROWS_WITH(traces::write_h5_atomically(path,
                                                [](H5::H5File& f) {
                                                  traces::Hdf5Table t(2);
                                                  t.add("name", std::vector<std::string>{"ok", std::string("a\0b", 3)});
                                                  t.write(f, "bad");
                                                }),
                    Catch::Contains("column 'name', row 1: a string holding a NUL byte"));
  CHECK(dir.files() == std::vector<std::string>{"t.h5"});
  CHECK_THROWS_AS(traces::Hdf5Table(2).add("x", std::vector<double>{1.0}), std::logic_error);
}
