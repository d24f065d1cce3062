#pragma once
// Records declared once. A record type (a NAS sample, a LACS grid point, a sweep row, a run's summary) lists its
// columns in one function next to its struct, `void columns(Columns& c, T& r)`, in table order:
//   c.column("step", r.step); c.column("arch", r.arch); ...
// From that one list come the record's journal line, its HDF5 table and, for a summary record, HDF5 attributes
// (experiments/run/record_io.h); nothing else lists the fields again. The function takes T& so the same list
// reads a record back from its journal line.
//
// Column types: int (int32 in HDF5), int64_t, double, bool (int32 0/1 in HDF5), std::string (variable-length
// UTF-8), and two for tables whose columns depend on the data:
//  - text_or_number: a value as written (a sweep's swept value): a float64 column when every row's value is a
//    number or true/false (1/0), else a string column;
//  - prefixed: a named set of doubles (a busy fraction per unit kind): one float64 column "<prefix><name>" per
//    name any row has, in name order, NaN where a row lacks it.
// Where: kBoth (default); kJournal (a journal key, e.g. an evaluation index, that is not a table column); kTable
// (a table column computed when writing, not journaled).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rp {

class Columns {
 public:
  enum Where { kBoth, kJournal, kTable };
  virtual ~Columns() = default;
  virtual void column(const std::string& name, int& value, Where where = kBoth) = 0;
  virtual void column(const std::string& name, int64_t& value, Where where = kBoth) = 0;
  virtual void column(const std::string& name, double& value, Where where = kBoth) = 0;
  virtual void column(const std::string& name, bool& value, Where where = kBoth) = 0;
  virtual void column(const std::string& name, std::string& value, Where where = kBoth) = 0;
  virtual void text_or_number(const std::string& name, std::string& value) = 0;
  virtual void prefixed(const std::string& prefix, std::vector<std::pair<std::string, double>>& values) = 0;
};

template <class T>
using ColumnList = void (*)(Columns&, T&);

}  // namespace rp
