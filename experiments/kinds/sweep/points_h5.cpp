#include "experiments/kinds/sweep/points_h5.h"

#include <H5Cpp.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "simulator/error.h"
#include "traces/writers/output_file.h"

namespace rp::run {
namespace {

bool to_number(const std::string& s, double& v) {
  if (s == "true") return v = 1, true;
  if (s == "false") return v = 0, true;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return !s.empty() && *end == '\0';
}

// A column of the compound table: either a double or a variable-length string, 8 bytes each in the row buffer.
struct Column {
  std::string name;
  bool numeric;
};

}  // namespace

void write_points_h5(const std::string& path, const Experiment& e, const std::map<int64_t, Row>& rows,
                     const std::string& version) {
  std::vector<Column> cols = {{"point", true}, {"accelerator", false}, {"model", false}};
  std::vector<bool> param_numeric(e.params.size(), true);
  for (const auto& [i, r] : rows) {
    for (size_t p = 0; p < r.values.size() && p < param_numeric.size(); ++p) {
      double v;
      if (!to_number(r.values[p], v)) param_numeric[p] = false;
    }
  }
  for (size_t p = 0; p < e.params.size(); ++p) cols.push_back({e.params[p], param_numeric[p]});
  cols.push_back({"status", false});
  const std::vector<std::string> figures = sweep_fields();
  for (const auto& m : figures) cols.push_back({m, true});
  std::set<std::string> units;
  for (const auto& [i, r] : rows) {
    for (const auto& [k, v] : r.busy) units.insert(k);
  }
  for (const auto& u : units) cols.push_back({"busy_" + u, true});

  const size_t width = 8 * cols.size();
  std::vector<unsigned char> buf(width * rows.size());
  std::vector<std::string> strings;  // keeps the char* targets alive
  strings.reserve(rows.size() * (4 + e.params.size()));
  size_t row_i = 0;
  for (const auto& [idx, r] : rows) {
    unsigned char* base = buf.data() + row_i++ * width;
    size_t c = 0;
    auto put_num = [&](double v) { std::memcpy(base + 8 * c++, &v, 8); };
    auto put_str = [&](const std::string& s) {
      strings.push_back(s);
      const char* p = strings.back().c_str();
      std::memcpy(base + 8 * c++, &p, 8);
    };
    put_num(static_cast<double>(r.point));
    put_str(r.accelerator);
    put_str(r.model);
    for (size_t p = 0; p < e.params.size(); ++p) {
      double v = 0;
      if (param_numeric[p]) {
        to_number(r.values[p], v);
        put_num(v);
      } else {
        put_str(r.values[p]);
      }
    }
    put_str(r.status);
    for (size_t f = 0; f < figures.size(); ++f) put_num(f < r.figures.size() ? r.figures[f] : 0.0);
    for (const auto& u : units) {
      double v = std::numeric_limits<double>::quiet_NaN();
      for (const auto& [k, b] : r.busy) {
        if (k == u) v = b;
      }
      put_num(v);
    }
  }

  traces::OutputFile out(path);  // written as PATH.tmp, flushed and renamed: a kill never leaves half a table
  try {
    H5::Exception::dontPrint();
    H5::H5File f(out.tmp_path(), H5F_ACC_TRUNC);
    H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
    str.setCset(H5T_CSET_UTF8);
    H5::CompType type(width);
    for (size_t c = 0; c < cols.size(); ++c) {
      if (cols[c].numeric) type.insertMember(cols[c].name, 8 * c, H5::PredType::NATIVE_DOUBLE);
      else type.insertMember(cols[c].name, 8 * c, str);
    }
    const hsize_t n = rows.size();
    H5::DataSpace space(1, &n);
    H5::DataSet ds = f.createDataSet("points", type, space);
    if (n > 0) ds.write(buf.data(), type);

    H5::Group meta = f.createGroup("meta");
    std::ifstream in(e.file);
    std::stringstream text;
    text << in.rdbuf();
    H5::DataSpace scalar(H5S_SCALAR);
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"experiment_yaml", text.str()}, {"experiment", e.canonical}, {"tool_version", version}, {"kind", e.kind}}) {
      H5::Attribute a = meta.createAttribute(k, str, scalar);
      const char* p = v.c_str();
      a.write(str, &p);
    }
    f.close();
  } catch (const H5::Exception& ex) {
    throw SimulationError("cannot write " + path + ": " + ex.getDetailMsg());
  }
  out.commit();
}

}  // namespace rp::run
