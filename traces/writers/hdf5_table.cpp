#include "traces/writers/hdf5_table.h"

#include <stdexcept>

namespace rp::traces {

void Hdf5Table::push(const std::string& name, Values v) {
  const size_t n = std::visit([](const auto& c) { return c.size(); }, v);
  if (n != m_rows) {
    throw std::logic_error("Hdf5Table: column '" + name + "' has " + std::to_string(n) + " rows, expected " +
                           std::to_string(m_rows));
  }
  m_columns.push_back({name, std::move(v)});
}
void Hdf5Table::add(const std::string& name, std::vector<int32_t> v) { push(name, std::move(v)); }
void Hdf5Table::add(const std::string& name, std::vector<int64_t> v) { push(name, std::move(v)); }
void Hdf5Table::add(const std::string& name, std::vector<double> v) { push(name, std::move(v)); }
void Hdf5Table::add(const std::string& name, std::vector<std::string> v) { push(name, std::move(v)); }

}  // namespace rp::traces
