// `ridgepoint validate [--accel NAME] [--json]`: simulated vs published latencies, errors and rank correlation.
#include <cmath>
#include <iomanip>
#include <ostream>

#include "experiments/cli/catalog_json.h"
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
    out << validation_json(r).dump(2) << "\n";
    return 0;
  }
  for (const auto& a : r.accelerators) {
    if (&a != &r.accelerators.front()) out << "\n";
    const bool modern = a.accelerator.find("-modern") != std::string::npos;
    const bool predictions = !a.group.empty() || a.accelerator.rfind("v100", 0) != 0;
    out << "accelerator " << a.label()
        << (modern ? " (modern stack; NVIDIA DeepLearningExamples, latency of one batch as measured"
                   : " (paper stack; batch 128 per device; Li et al. CVPR 2021 Tables 3-4")
        << (predictions ? "; predictions: nothing fitted on these rows" : "") << ")\n";
    out << std::left << std::setw(44) << "model" << std::right << std::setw(12) << "measured ms" << std::setw(14)
        << "simulated ms" << std::setw(9) << "error"
        << "\n";
    for (const auto& x : r.rows) {
      if (x.m.accelerator != a.accelerator || x.m.group != a.group) continue;
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
