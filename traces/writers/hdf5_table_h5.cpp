// The HDF5 half of hdf5_table.h (Hdf5Table::write, write_attr): compiled into the HDF5 module and rp_hdf5_impl.
#include <H5Cpp.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "traces/writers/hdf5_table.h"

namespace rp::traces {

namespace {

// The file (and memory) type of a column, and its size in bytes.
std::unique_ptr<H5::DataType> column_type(const std::vector<int32_t>&) {
  return std::make_unique<H5::IntType>(H5::PredType::STD_I32LE);
}
std::unique_ptr<H5::DataType> column_type(const std::vector<int64_t>&) {
  return std::make_unique<H5::IntType>(H5::PredType::STD_I64LE);
}
std::unique_ptr<H5::DataType> column_type(const std::vector<double>&) {
  return std::make_unique<H5::FloatType>(H5::PredType::IEEE_F64LE);
}
std::unique_ptr<H5::DataType> column_type(const std::vector<std::string>&) {
  auto t = std::make_unique<H5::StrType>(H5::PredType::C_S1, H5T_VARIABLE);
  t->setCset(H5T_CSET_UTF8);
  return t;
}

template <typename T>
void copy_cell(const std::vector<T>& v, size_t row, char* dst, size_t) {
  std::memcpy(dst, &v[row], sizeof(T));
}
void copy_cell(const std::vector<std::string>& v, size_t row, char* dst, size_t) {
  const char* p = v[row].c_str();  // variable-length: the cell holds a pointer to the value, alive during write()
  std::memcpy(dst, &p, sizeof p);
}

// A C string ends at its first NUL: a value holding one would be written cut short, so it is refused.
template <typename T>
void check_cells(const std::string&, const std::vector<T>&) {}
void check_cells(const std::string& column, const std::vector<std::string>& v) {
  for (size_t r = 0; r < v.size(); ++r) {
    if (v[r].find('\0') != std::string::npos) {
      throw H5::DataSetIException("Hdf5Table::write",
                                  "column '" + column + "', row " + std::to_string(r) +
                                      ": a string holding a NUL byte cannot be stored as a variable-length string");
    }
  }
}

}  // namespace

void Hdf5Table::write(H5::Group& parent, const std::string& name) const {
  std::vector<std::unique_ptr<H5::DataType>> types;
  std::vector<size_t> offsets;
  size_t row_size = 0;
  for (const auto& c : m_columns) {
    types.push_back(std::visit([](const auto& v) { return column_type(v); }, c.values));
    offsets.push_back(row_size);
    row_size += types.back()->getSize();
  }
  H5::CompType row(std::max<size_t>(row_size, 1));
  for (size_t i = 0; i < m_columns.size(); ++i) row.insertMember(m_columns[i].name, offsets[i], *types[i]);

  std::vector<char> buf(m_rows * row_size, 0);
  for (size_t i = 0; i < m_columns.size(); ++i) {
    std::visit([&](const auto& v) { check_cells(m_columns[i].name, v); }, m_columns[i].values);
    const size_t size = types[i]->getSize();
    std::visit(
        [&](const auto& v) {
          for (size_t r = 0; r < m_rows; ++r) copy_cell(v, r, buf.data() + r * row_size + offsets[i], size);
        },
        m_columns[i].values);
  }
  const hsize_t dims[1] = {m_rows};
  H5::DataSet ds = parent.createDataSet(name, row, H5::DataSpace(1, dims));
  if (m_rows > 0) ds.write(buf.data(), row);
}

void write_attr(H5::Group& g, const std::string& name, const std::string& value) {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  g.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, value);
}

void write_attr(H5::Group& g, const std::string& name, double value) {
  g.createAttribute(name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

}  // namespace rp::traces
