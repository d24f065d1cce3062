#pragma once
// A compound HDF5 dataset built column by column, one row per record, written packed (no padding), columns in the
// order they were added. Types: int32 / int64 (little-endian), float64, and strings as variable-length UTF-8, the
// same string type as every other Ridgepoint table and attribute (h5py 3 reads a string cell of a compound table as
// a Python `bytes` object in an object column: `v.decode()`, or pandas' `.str.decode("utf-8")`).
// pandas.DataFrame(ds[()]) works since every column is a scalar. Write it inside write_hdf5 (h5_seam.h: H5Out::table)
// or write_h5 (h5_output.h). Building a table needs no HDF5; write() and write_attr() live in the HDF5 side
// (hdf5_table_h5.cpp, in the HDF5 module and rp_hdf5_impl), whose callers include H5Cpp.h.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace H5 {
class Group;
}

namespace rp::traces {

class Hdf5Table {
 public:
  // Every column must have `rows` values (checked by add(): std::logic_error otherwise).
  explicit Hdf5Table(size_t rows) : m_rows(rows) {}
  void add(const std::string& name, std::vector<int32_t> values);
  void add(const std::string& name, std::vector<int64_t> values);
  void add(const std::string& name, std::vector<double> values);
  void add(const std::string& name, std::vector<std::string> values);

  // Creates dataset `name` in `parent` (1-D, `rows` rows, contiguous) and writes every row. Throws H5::Exception
  // when HDF5 fails, and for a string holding a NUL byte (it would be stored cut short).
  void write(H5::Group& parent, const std::string& name) const;

 private:
  using Values =
      std::variant<std::vector<int32_t>, std::vector<int64_t>, std::vector<double>, std::vector<std::string>>;
  struct Column {
    std::string name;
    Values values;
  };
  void push(const std::string& name, Values v);

  size_t m_rows;
  std::vector<Column> m_columns;
};

// Scalar attributes on a group (run metadata of the search outputs): a UTF-8 variable-length string, a float64.
void write_attr(H5::Group& g, const std::string& name, const std::string& value);
void write_attr(H5::Group& g, const std::string& name, double value);

}  // namespace rp::traces
