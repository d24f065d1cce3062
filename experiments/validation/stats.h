#pragma once
// Error statistics for validation: signed relative error, MAPE, max |error|, Spearman rank correlation.
#include <vector>

namespace rp::validation {

double relative_error(double simulated, double measured);  // (sim - meas) / meas
double mape(const std::vector<double>& errors);            // mean |error|
double max_abs(const std::vector<double>& errors);
std::vector<double> ranks(const std::vector<double>& v);                      // 1-based, ties share the mean rank
double spearman(const std::vector<double>& a, const std::vector<double>& b);  // Pearson of the ranks

}  // namespace rp::validation
