#include "experiments/kinds/accuracy/accuracy_source.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "experiments/kinds/accuracy/sha256.h"
#include "experiments/run/job_pool.h"
#include "experiments/settings/settings_io.h"
#include "simulator/error.h"
#include "simulator/split.h"

namespace rp::kinds {
namespace {

using settings::ParamSpec;
using settings::TextSpec;

const char* const kMissPrefix = "not in table ";

// One CSV record's fields (RFC 4180 quoting: "a,b" and "" for a quote); false when a quote is not closed.
bool split_csv(const std::string& line, std::vector<std::string>& fields) {
  fields.assign(1, "");
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return !quoted;
}

// The index of `name` in the header, or -1.
int column_of(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (trimmed(header[i]) == name) return static_cast<int>(i);
  }
  return -1;
}

double accuracy_field(const std::string& text, const std::string& where) {
  const std::string t = trimmed(text);
  char* end = nullptr;
  errno = 0;
  const double v = t.empty() ? NAN : std::strtod(t.c_str(), &end);
  if (t.empty() || errno != 0 || *end != '\0' || !std::isfinite(v)) {
    throw UsageError(where + ": accuracy '" + t + "' is not a number");
  }
  if (v < 0 || v > 1) throw UsageError(where + ": accuracy " + t + " is outside [0, 1] (a fraction, not percent)");
  return v;
}

std::string read_all(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw UsageError("cannot read accuracy table " + path + ": not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw UsageError("cannot read accuracy table " + path);
  return text.str();
}

// The executable argv[0] names: a path (with '/') as is, else the first PATH entry that has it; "" when none.
std::string executable(const std::string& program) {
  const auto runnable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (program.find('/') != std::string::npos) return runnable(program) ? program : "";
  const char* path = std::getenv("PATH");  // as execvp searches it
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string p = (dir.empty() ? "." : dir) + "/" + program;
    if (runnable(p)) return p;
  }
  return "";
}

std::string joined_argv(const std::vector<std::string>& argv) {
  std::string out = "[";
  for (size_t i = 0; i < argv.size(); ++i) out += (i ? ", " : "") + argv[i];
  return out + "]";
}

}  // namespace

void declare_accuracy_source(settings::SettingsVisitor& a, AccuracySource& src, const std::string& method,
                             bool python) {
  a.text("file", src.file,
         TextSpec::optional("", "table: CSV of measured accuracies (columns key, accuracy in [0, 1])").file_relative());
  a.list("argv", src.argv, TextSpec::optional("", "command: the trial program and its arguments (no shell)"));
  a.real("timeout_s", src.timeout_s,
         ParamSpec::between(0, 1e7, "s", "command: a trial running longer is killed (its candidate infeasible)")
             .above(0)
             .or_default(3600));
  if (python) {
    a.text("version", src.version,
           TextSpec::optional("",
                              "python: your version of the callable (in the run's identity: change it when the "
                              "callable changes; Ridgepoint cannot hash Python code)"));
  }
  const bool table = method == "table", command = method == "command";
  if (python) a.require(method == "python" || !a.given("version"), "version", "applies to method: python only");
  a.require(!table || a.given("file"), "file", "required with method: table");
  a.require(table || !a.given("file"), "file", "applies to method: table only");
  a.require(!command || a.given("argv"), "argv", "required with method: command");
  for (const char* k : {"argv", "timeout_s"}) a.require(command || !a.given(k), k, "applies to method: command only");
}

void check_accuracy_source(const std::string& method, AccuracySource& src, const std::string& file,
                           const std::string& section) {
  if (method == "table") load_accuracy_table(src.file);
  if (method != "command") return;
  std::string& program = src.argv.at(0);
  if (program.find('/') != std::string::npos) program = settings::resolve_path(file, program);
  if (executable(program).empty()) {
    throw UsageError(file + ": key '" + section + ".argv': command not found or not executable: " + program);
  }
}

void attach_python_source(const std::string& method, AccuracySource& src, const run::RunRequest& request,
                          const std::string& section) {
  const std::string key = request.file + ": key '" + section + ".method': ";
  if (method == "python" && request.python_accuracy.empty()) {
    throw UsageError(key +
                     "python is usable only from Python: ridgepoint.run(FILE, accuracy=CALLABLE) "
                     "(docs/accuracy.md)");
  }
  if (method != "python" && !request.python_accuracy.empty()) {
    throw UsageError(key + "an accuracy callable was given (ridgepoint.run(..., accuracy=...)) but the method is " +
                     (method.empty() ? std::string("off") : method) + ", not python");
  }
  src.python_socket = request.python_accuracy;
  src.python_name = request.python_accuracy_name;
}

std::shared_ptr<const AccuracyTable> load_accuracy_table(const std::string& path) {
  std::istringstream text(read_all(path));
  auto table = std::make_shared<AccuracyTable>();
  std::map<std::string, int> first_line;
  std::string line;
  std::vector<std::string> header, fields;
  int key_col = -1, acc_col = -1;
  for (int n = 1; std::getline(text, line); ++n) {
    const std::string where = path + ":" + std::to_string(n);
    if (trimmed(line).empty() || trimmed(line)[0] == '#') continue;  // blank and comment lines
    if (!split_csv(line, fields)) throw UsageError(where + ": a quoted field is not closed");
    if (header.empty()) {
      header = fields;
      key_col = column_of(header, "key");
      acc_col = column_of(header, "accuracy");
      if (key_col < 0 || acc_col < 0) {
        throw UsageError(where + ": the header must name the columns 'key' and 'accuracy', got '" + line + "'");
      }
      continue;
    }
    if (fields.size() != header.size()) {
      throw UsageError(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                       std::to_string(header.size()));
    }
    const std::string key = trimmed(fields[static_cast<size_t>(key_col)]);
    if (key.empty()) throw UsageError(where + ": empty key");
    const double acc = accuracy_field(fields[static_cast<size_t>(acc_col)], where);
    if (!first_line.emplace(key, n).second) {
      throw UsageError(where + ": duplicate key " + key + " (first on line " + std::to_string(first_line[key]) + ")");
    }
    (*table)[key] = acc;
  }
  if (header.empty()) throw UsageError(path + ":1: empty accuracy table (expected a header: key,accuracy)");
  return table;
}

std::string table_miss(const std::string& path) { return kMissPrefix + path; }
bool is_table_miss(const std::string& reason) { return reason.rfind(kMissPrefix, 0) == 0; }

std::string encode_rating(const Rating& r) {
  if (r.failure.empty()) return "ok " + run::exact_number(r.accuracy);
  std::string why = r.failure;
  for (char& c : why) c = c == '\n' || c == '\r' ? ' ' : c;  // a reply is one line
  return "no " + why;
}

Rating decode_rating(const std::string& reply) {
  Rating r;
  if (reply.rfind("ok ", 0) == 0) {
    r.accuracy = std::stod(reply.substr(3));
  } else if (reply.rfind("no ", 0) == 0) {
    r.failure = reply.substr(3);
  } else {
    throw SimulationError("malformed accuracy reply '" + reply + "'");
  }
  return r;
}

void accuracy_attribute_columns(Columns& c, AccuracyAttributes& a) {
  c.column("accuracy_source", a.source);
  c.column("accuracy_budget", a.budget);
  c.column("accuracy_table_misses", a.table_misses);
}

std::string source_budget(const std::string& method, const AccuracySource& src) {
  if (method == "table") return "table " + src.file + " sha256 " + sha256_hex(read_all(src.file));
  if (method == "command") {
    std::ostringstream o;
    o << "command " << joined_argv(src.argv) << " timeout " << src.timeout_s << " s";
    return o.str();
  }
  if (method == "python") return "python " + src.python_name + " version '" + src.version + "'";
  return method;
}

void start_accuracy_source(run::RunContext& ctx, const std::string& method, const AccuracySource& src) {
  if (method != "table" && method != "command" && method != "python") return;
  const std::string budget = source_budget(method, src);
  ctx.log() << "accuracy: " << budget << "\n";
  if (method != "table") ctx.files().write("accuracy-" + method + ".txt", budget + "\n");
}

void add_accuracy_inputs(run::RunPlan& plan, const std::string& method, const AccuracySource& src) {
  if (method == "table") plan.identity.inputs.push_back(run::input_file("accuracy table", src.file));
  if (method == "python") {
    plan.identity.inputs.push_back(
        {"python accuracy callable", src.python_name, sha256_hex(src.python_name).substr(0, 16)});
  }
}

}  // namespace rp::kinds
