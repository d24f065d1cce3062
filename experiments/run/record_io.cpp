#include "experiments/run/record_io.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>
#include <variant>

#include <nlohmann/json.hpp>

#include "traces/writers/hdf5_table.h"

namespace rp::run {
namespace {

using json = nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
double number(const json& j) { return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>(); }

// A swept value that is a number or a switch, as a double (true 1, false 0).
bool as_number(const std::string& s, double& v) {
  if (s == "true") return v = 1, true;
  if (s == "false") return v = 0, true;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && *end == '\0';
}

class JsonOut : public Columns {
 public:
  json j = json::object();
  void column(const std::string& n, int& v, Where w) override { put(n, v, w); }
  void column(const std::string& n, int64_t& v, Where w) override { put(n, v, w); }
  void column(const std::string& n, double& v, Where w) override {
    if (w != kTable) j[n] = number(v);
  }
  void column(const std::string& n, bool& v, Where w) override { put(n, v, w); }
  void column(const std::string& n, std::string& v, Where w) override { put(n, v, w); }
  void text_or_number(const std::string& n, std::string& v) override { j[n] = v; }
  void prefixed(const std::string& prefix, std::vector<std::pair<std::string, double>>& values) override {
    json o = json::object();
    for (const auto& [k, v] : values) o[k] = number(v);
    j[prefix] = o;
  }

 private:
  template <class V>
  void put(const std::string& n, const V& v, Where w) {
    if (w != kTable) j[n] = v;
  }
};

class JsonIn : public Columns {
 public:
  explicit JsonIn(const json& j) : j_(j) {}
  void column(const std::string& n, int& v, Where w) override { get(n, v, w); }
  void column(const std::string& n, int64_t& v, Where w) override { get(n, v, w); }
  void column(const std::string& n, double& v, Where w) override {
    if (w != kTable) v = number(j_.at(n));
  }
  void column(const std::string& n, bool& v, Where w) override { get(n, v, w); }
  void column(const std::string& n, std::string& v, Where w) override { get(n, v, w); }
  void text_or_number(const std::string& n, std::string& v) override { v = j_.at(n).get<std::string>(); }
  void prefixed(const std::string& prefix, std::vector<std::pair<std::string, double>>& values) override {
    values.clear();
    for (const auto& [k, v] : j_.at(prefix).items()) values.emplace_back(k, number(v));
  }

 private:
  template <class V>
  void get(const std::string& n, V& v, Where w) {
    if (w != kTable) v = j_.at(n).get<V>();
  }
  const json& j_;
};

// The table in two passes over the records: shape (columns, numeric swept values, prefixed names), then values.
class TableOut : public Columns {
 public:
  using Values =
      std::variant<std::vector<int32_t>, std::vector<int64_t>, std::vector<double>, std::vector<std::string>>;
  struct Col {
    std::string name;
    Values values;
    bool text_or_number = false, numeric = true;  // a swept value; numeric while every row's value is
    bool prefixed = false;
    std::set<std::string> names;  // prefixed: every name any row has
  };
  bool filling = false;
  size_t cursor = 0;  // the next column of this row: every record lists its columns in the same order
  std::vector<Col> cols;

  void begin_row() { cursor = 0; }

  void column(const std::string& n, int& v, Where w) override { put<int32_t>(n, v, w); }
  void column(const std::string& n, int64_t& v, Where w) override { put<int64_t>(n, v, w); }
  void column(const std::string& n, double& v, Where w) override { put<double>(n, v, w); }
  void column(const std::string& n, bool& v, Where w) override { put<int32_t>(n, v ? 1 : 0, w); }
  void column(const std::string& n, std::string& v, Where w) override { put<std::string>(n, v, w); }
  void text_or_number(const std::string& n, std::string& v) override {
    Col& c = at(n);
    c.text_or_number = true;
    double d = 0;
    if (!filling)
      c.numeric = c.numeric && as_number(v, d);
    else if (c.numeric)
      std::get<std::vector<double>>(c.values).push_back((as_number(v, d), d));
    else
      std::get<std::vector<std::string>>(c.values).push_back(v);
  }
  void prefixed(const std::string& prefix, std::vector<std::pair<std::string, double>>& values) override {
    Col& c = at(prefix);
    c.prefixed = true;
    if (!filling) {
      for (const auto& kv : values) c.names.insert(kv.first);
      return;
    }
    prefixed_rows[prefix].push_back(std::map<std::string, double>(values.begin(), values.end()));
  }
  void start_filling() {
    filling = true;
    for (Col& c : cols) {
      if (c.text_or_number) c.values = c.numeric ? Values(std::vector<double>{}) : Values(std::vector<std::string>{});
    }
  }
  void write(traces::H5Out& parent, const std::string& name, size_t rows) const;

  std::map<std::string, std::vector<std::map<std::string, double>>> prefixed_rows;

 private:
  // The column `n`: found by position in the fill pass (the list is the same for every record), added in the first.
  Col& at(const std::string& n) {
    if (cursor < cols.size() && cols[cursor].name == n) return cols[cursor++];
    for (size_t i = 0; i < cols.size(); ++i) {
      if (cols[i].name == n) return cols[(cursor = i + 1) - 1];
    }
    cols.push_back({n, std::vector<int32_t>{}, false, true, false, {}});
    cursor = cols.size();
    return cols.back();
  }
  template <class V, class X>
  void put(const std::string& n, const X& v, Where w) {
    if (w == kJournal) return;
    Col& c = at(n);
    if (!filling) {
      c.values = std::vector<V>{};
      return;
    }
    std::get<std::vector<V>>(c.values).push_back(static_cast<V>(v));
  }
};

void TableOut::write(traces::H5Out& parent, const std::string& name, size_t rows) const {
  traces::Hdf5Table t(rows);
  for (const Col& c : cols) {
    if (!c.prefixed) {
      std::visit([&](const auto& v) { t.add(c.name, v); }, c.values);
      continue;
    }
    const auto& per_row =
        prefixed_rows.count(c.name) ? prefixed_rows.at(c.name) : std::vector<std::map<std::string, double>>{};
    for (const std::string& k : c.names) {
      std::vector<double> v;
      for (const auto& r : per_row) v.push_back(r.count(k) ? r.at(k) : std::numeric_limits<double>::quiet_NaN());
      t.add(c.name + k, v);
    }
  }
  parent.table(name, t);
}

class AttributesOut : public Columns {
 public:
  explicit AttributesOut(traces::H5Out& g) : g_(g) {}
  void column(const std::string& n, int& v, Where) override { g_.attr(n, static_cast<double>(v)); }
  void column(const std::string& n, int64_t& v, Where) override { g_.attr(n, static_cast<double>(v)); }
  void column(const std::string& n, double& v, Where) override { g_.attr(n, v); }
  void column(const std::string& n, bool& v, Where) override { g_.attr(n, v ? 1.0 : 0.0); }
  void column(const std::string& n, std::string& v, Where) override { g_.attr(n, v); }
  void text_or_number(const std::string& n, std::string& v) override { g_.attr(n, v); }
  void prefixed(const std::string& prefix, std::vector<std::pair<std::string, double>>& values) override {
    for (const auto& [k, v] : values) g_.attr(prefix + k, v);
  }

 private:
  traces::H5Out& g_;
};

}  // namespace

std::string json_of(const VisitRecord& visit) {
  JsonOut out;
  visit(out, 0);
  return out.j.dump();
}

void read_json(const std::string& line, const VisitRecord& visit) {
  const json j = json::parse(line);
  JsonIn in(j);
  visit(in, 0);
}

void write_table_of(traces::H5Out& parent, const std::string& name, size_t rows, const VisitRecord& visit) {
  TableOut t;
  for (size_t i = 0; i < std::max<size_t>(rows, 1); ++i) {  // no rows: the columns of a default record
    t.begin_row();
    visit(t, i);
  }
  t.start_filling();
  for (size_t i = 0; i < rows; ++i) {
    t.begin_row();
    visit(t, i);
  }
  t.write(parent, name, rows);
}

void write_attributes_of(traces::H5Out& group, const VisitRecord& visit) {
  AttributesOut out(group);
  visit(out, 0);
}

}  // namespace rp::run
