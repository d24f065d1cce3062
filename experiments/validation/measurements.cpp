#include "experiments/validation/measurements.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include "simulator/error.h"
#include "simulator/split.h"
#include "simulator/suggest.h"
#include "traces/yaml/yaml_map.h"
#include "traces/zoo/zoo.h"

namespace rp::validation {
namespace {

constexpr size_t kMaxRows = 100000;  // a measurements file is a few dozen rows; this stops a wrong file early

// A measurements CSV line's fields, every one (an empty last field too), trimmed.
std::vector<std::string> measurement_fields(const std::string& line) {
  SplitOptions o;
  o.trim = true;
  return split_list(line, o);
}

std::string directory_of(const std::string& file) {
  const size_t slash = file.rfind('/');
  return slash == std::string::npos ? "" : file.substr(0, slash + 1);
}

// A model naming a file (as traces::build_model decides) relative to the CSV's directory.
std::string resolve_model(const std::string& model, const std::string& dir) {
  auto ends = [&](const char* suf) {
    const std::string s(suf);
    return model.size() >= s.size() && model.compare(model.size() - s.size(), s.size(), s) == 0;
  };
  const bool file = ends(".yaml") || ends(".yml") || model.find('/') != std::string::npos;
  return file && !model.empty() && model[0] != '/' ? dir + model : model;
}

// The column positions of the header; UsageError for an unknown, repeated or missing column.
std::map<std::string, size_t> read_header(const std::vector<std::string>& fields, const std::string& where) {
  std::map<std::string, size_t> at;
  const auto& known = measurement_columns();
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& c = fields[i];
    if (std::find(known.begin(), known.end(), c) == known.end()) {
      const std::string hint = did_you_mean(c, known);
      throw UsageError(where + ": unknown column " + traces::quoted_key(c) + (hint.empty() ? "" : "; " + hint) +
                       " (columns: " + measurement_columns_synopsis() + ")");
    }
    if (at.count(c)) throw UsageError(where + ": column '" + c + "' appears twice");
    at[c] = i;
  }
  for (size_t i = 0; i < kRequiredColumns; ++i) {
    if (!at.count(known[i])) {
      throw UsageError(where + ": missing column '" + known[i] +
                       "' (the header names the columns: " + measurement_columns_synopsis() + ")");
    }
  }
  return at;
}

int64_t parse_batch(const std::string& text, const std::string& where) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < 1 || v > traces::kMaxBatch) {
    throw UsageError(where + ": column 'batch': expected an integer in [1, " + std::to_string(traces::kMaxBatch) +
                     "], got " + traces::quoted_value(text));
  }
  return v;
}

// A finite number > 0 in `column`; UsageError "WHERE: column 'C': expected WHAT, got 'TEXT'".
double parse_positive(const std::string& text, const std::string& where, const char* column, const char* what) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0) {
    throw UsageError(where + ": column '" + column + "': expected " + what + ", got " + traces::quoted_value(text));
  }
  return v;
}

double parse_latency(const std::string& text, const std::string& where) {
  return parse_positive(text, where, "latency_ms", "a latency in milliseconds > 0");
}

// The optional intensity column: empty (none for this row, 0) or FLOP per HBM byte > 0.
double parse_intensity(const std::string& text, const std::string& where) {
  return text.empty() ? 0 : parse_positive(text, where, "intensity", "FLOP per HBM byte > 0 (or an empty field)");
}

}  // namespace

const std::vector<std::string>& measurement_columns() {
  static const std::vector<std::string> c = {"model", "batch", "latency_ms", "name", "intensity"};
  return c;
}

std::string measurement_columns_synopsis() {
  const auto& c = measurement_columns();
  std::string s;
  for (size_t i = 0; i < c.size(); ++i) s += i < kRequiredColumns ? (i ? "," : "") + c[i] : "[," + c[i] + "]";
  return s;
}

std::vector<Measurement> read_measurements(const std::string& csv_file, const std::string& accelerator) {
  const std::string text = traces::read_yaml_text(csv_file);  // exists, regular, at most 16 MiB, UTF-8 text
  std::vector<Measurement> rows;
  std::map<std::string, size_t> at;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++line_no;
    if (trimmed(line).empty() || trimmed(line)[0] == '#') continue;
    const std::string where = csv_file + ":" + std::to_string(line_no);
    const auto fields = measurement_fields(line);
    if (at.empty()) {
      at = read_header(fields, where);
      continue;
    }
    if (fields.size() != at.size()) {
      throw UsageError(where + ": expected " + std::to_string(at.size()) + " fields (as the header), got " +
                       std::to_string(fields.size()));
    }
    if (rows.size() == kMaxRows) throw UsageError(where + ": more than " + std::to_string(kMaxRows) + " rows");
    Measurement m;
    m.source = "user";
    m.paper_row = line_no;
    m.accelerator = accelerator;
    m.batch = parse_batch(fields[at["batch"]], where);
    m.measured_ms = parse_latency(fields[at["latency_ms"]], where);
    if (at.count("intensity")) m.paper_intensity = parse_intensity(fields[at["intensity"]], where);
    const std::string model = fields[at["model"]];
    if (model.empty()) throw UsageError(where + ": column 'model': empty (a zoo name or a network YAML file)");
    m.model = resolve_model(model, directory_of(csv_file));
    m.paper_model = at.count("name") && !fields[at["name"]].empty() ? fields[at["name"]] : model;
    try {
      traces::BuildOptions o;
      o.batch = m.batch;
      traces::build_model(m.model, o);
    } catch (const UsageError& e) {
      throw UsageError(where + ": column 'model': " + e.what());
    }
    rows.push_back(m);
  }
  if (at.empty())
    throw UsageError(csv_file + ": no header (expected the columns " + measurement_columns_synopsis() + ")");
  if (rows.empty()) throw UsageError(csv_file + ": no measurement rows after the header");
  return rows;
}

}  // namespace rp::validation
