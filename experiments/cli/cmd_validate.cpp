// `ridgepoint validate [--accel NAME] [--json]`: simulated vs published latencies, errors and rank correlation.
#include <cmath>
#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include "experiments/cli/command.h"
#include "experiments/cli/format.h"
#include "experiments/cli/options.h"
#include "experiments/validation/validate.h"

namespace rp::cli {

namespace {

std::string pct(double e) { return (e >= 0 ? "+" : "") + fixed(100 * e, 1) + "%"; }

}  // namespace

int cmd_validate(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("options");
  desc.add_options()("accel,a", po::value<std::vector<std::string>>()->composing(),
                     "accelerator(s) to validate (default: all with data)")("json", "print one JSON object");
  po::variables_map vm;
  if (parse_options("validate", "ridgepoint validate [--accel tpuv3|v100|v100-modern|a100-modern] [--json]", args, desc,
                    {}, vm, out))
    return 0;
  const auto accs = vm.count("accel") ? vm["accel"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const validation::ValidationReport r = validation::validate(accs);

  if (vm.count("json")) {
    nlohmann::json rows = nlohmann::json::array(), per = nlohmann::json::object();
    for (const auto& x : r.rows) {
      rows.push_back({{"model", x.m.model},
                      {"paper_model", x.m.paper_model},
                      {"accel", x.m.accelerator},
                      {"source", x.m.source},
                      {"paper_row", x.m.paper_row},
                      {"batch", x.m.batch},
                      {"fitted_on", x.m.fit},
                      {"simulated_ms", x.simulated_ms},
                      {"measured_ms", x.m.measured_ms},
                      {"error", x.error}});
    }
    for (const auto& a : r.accelerators) {
      nlohmann::json ratios = nlohmann::json::array();
      for (const auto& c : a.ratios) {
        ratios.push_back({{"name", c.name}, {"simulated", c.simulated}, {"measured", c.measured}, {"error", c.error}});
      }
      per[a.accelerator] = {
          {"rows", a.rows},
          {"mape", a.mape},
          {"max_error", a.max_error},
          {"spearman", std::isnan(a.spearman) ? nlohmann::json() : nlohmann::json(a.spearman)},  // null: < 5 rows
          {"ratios", ratios}};
    }
    out << nlohmann::json{{"batch_per_device", validation::kBatchPerDevice}, {"rows", rows}, {"accelerators", per}}
               .dump(2)
        << "\n";
    return 0;
  }
  for (const auto& a : r.accelerators) {
    if (&a != &r.accelerators.front()) out << "\n";
    const bool modern = a.accelerator.find("-modern") != std::string::npos;
    out << "accelerator " << a.accelerator
        << (modern ? " (modern stack; NVIDIA DeepLearningExamples, latency of one batch as measured"
                   : " (paper stack; batch 128 per device; Li et al. CVPR 2021 Tables 3-4")
        << (a.accelerator.rfind("v100", 0) == 0 ? "" : "; predictions: nothing fitted on these rows") << ")\n";
    out << std::left << std::setw(44) << "model" << std::right << std::setw(12) << "measured ms" << std::setw(14)
        << "simulated ms" << std::setw(9) << "error"
        << "\n";
    for (const auto& x : r.rows) {
      if (x.m.accelerator != a.accelerator) continue;
      out << std::left << std::setw(44) << x.m.paper_model << std::right << std::setw(12) << fixed(x.m.measured_ms, 2)
          << std::setw(14) << fixed(x.simulated_ms, 2) << std::setw(9) << pct(x.error) << "\n";
    }
    out << "MAPE " << fixed(100 * a.mape, 1) << "%   max |error| " << fixed(100 * a.max_error, 1) << "%   Spearman "
        << (std::isnan(a.spearman) ? "n/a" : fixed(a.spearman, 3)) << "   (" << a.rows << " rows)\n";
    if (a.ratios.empty()) continue;  // no pair of rows the paper compares: no section
    out << std::left << std::setw(52) << "ratio check" << std::right << std::setw(10) << "measured" << std::setw(11)
        << "simulated" << std::setw(9) << "error"
        << "\n";
    for (const auto& c : a.ratios) {
      out << std::left << std::setw(52) << c.name << std::right << std::setw(10) << fixed(c.measured, 3)
          << std::setw(11) << fixed(c.simulated, 3) << std::setw(9) << pct(c.error) << "\n";
    }
  }
  return 0;
}

}  // namespace rp::cli
