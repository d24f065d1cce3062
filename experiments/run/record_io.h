#pragma once
// What a record's one column list (simulator/record.h) is turned into: its journal line, its HDF5 table (one row
// per record) and its HDF5 attributes. Doubles round-trip exactly through the journal (shortest exact text);
// NaN and infinities are written as null and read back as NaN.
#include <functional>
#include <string>
#include <vector>

#include "experiments/run/line_journal.h"
#include "simulator/record.h"
#include "traces/writers/h5_seam.h"

namespace rp::run {

// The type-erased forms the templates below call: `visit(columns, i)` runs the column list over record i.
using VisitRecord = std::function<void(Columns&, size_t)>;
std::string json_of(const VisitRecord& visit);
void read_json(const std::string& line, const VisitRecord& visit);  // std::exception on a malformed line
void write_table_of(traces::H5Out& parent, const std::string& name, size_t rows, const VisitRecord& visit);
void write_attributes_of(traces::H5Out& group, const VisitRecord& visit);

// One line of JSON: every column but kTable ones.
template <class T>
std::string to_json(const T& r, ColumnList<T> list) {
  return json_of([&](Columns& c, size_t) { list(c, const_cast<T&>(r)); });
}

// The record of a journal line; throws (std::exception) when a column is missing or has the wrong type, as in a
// line cut short by a kill.
template <class T>
T from_json(const std::string& line, ColumnList<T> list, T r = T{}) {
  read_json(line, [&](Columns& c, size_t) { list(c, r); });
  return r;
}

// The journal's records of this type, in file order. A line that does not read as one (cut short by a kill, or a
// record of another type in the same journal) is skipped: that unit of work is simply done again.
template <class T>
std::vector<T> read_journal(const LineJournal& j, ColumnList<T> list, const T& blank = T{}) {
  std::vector<T> out;
  for (const std::string& line : j.records()) {
    try {
      out.push_back(from_json(line, list, blank));
    } catch (const std::exception&) {}
  }
  return out;
}

// Dataset `name` under `parent`: a compound table of every column but kJournal ones. Throws what the HDF5 module throws (h5_seam.h).
// (write_table_of calls `visit` with an index past the rows once when there are none.)
template <class T>
void write_table(traces::H5Out& parent, const std::string& name, const std::vector<T>& rows, ColumnList<T> list) {
  T none{};  // an empty table still gets its columns, from a default record
  write_table_of(parent, name, rows.size(),
                 [&](Columns& c, size_t i) { list(c, i < rows.size() ? const_cast<T&>(rows[i]) : none); });
}

// Each column as a scalar attribute of `group` (strings UTF-8, every number float64). Throws what the HDF5 module throws (h5_seam.h).
template <class T>
void write_attributes(traces::H5Out& group, const T& r, ColumnList<T> list) {
  write_attributes_of(group, [&](Columns& c, size_t) { list(c, const_cast<T&>(r)); });
}

}  // namespace rp::run
