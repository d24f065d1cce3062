#include "lacs/scaling.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "traces/zoo/mbconv_family.h"

namespace rp::lacs {

namespace {

bool within_resolution(double r) { return r >= traces::kMinResolution && r <= traces::kMaxResolution; }

std::string number(double v) {
  std::ostringstream o;
  o << std::setprecision(6) << v;
  return o.str();
}

}  // namespace

double round_resolution(double resolution) {
  return std::floor(resolution / kResolutionDivisor + 0.5) * kResolutionDivisor;
}

Scaled scale(const Triplet& t, double phi, int base_resolution) {
  Scaled s;
  s.depth = std::pow(t.alpha, phi);
  s.width = std::pow(t.beta, phi);
  s.resolution_ratio = std::pow(t.gamma, phi);
  const double r = round_resolution(base_resolution * s.resolution_ratio);
  s.resolution = within_resolution(r) ? static_cast<int>(r) : 0;
  return s;
}

double scaled_blocks(const traces::MbconvSpec& base, double depth) {
  double n = 0;
  for (const auto& b : base.blocks) n += std::ceil(base.params.depth * depth * b.num_repeat);  // round_repeats
  return n;
}

std::string limit_problem(const traces::MbconvSpec& base, const Scaled& s) {
  const double r = round_resolution(base.params.resolution * s.resolution_ratio);
  if (!within_resolution(r)) {
    return "scaled resolution " + number(r) + " outside [" + std::to_string(traces::kMinResolution) + ", " +
           std::to_string(traces::kMaxResolution) + "]";
  }
  const double width = base.params.width * s.width, depth = base.params.depth * s.depth;
  if (!(width <= traces::kMaxScale)) {
    return "scaled width coefficient " + number(width) + " above " + number(traces::kMaxScale);
  }
  if (!(depth <= traces::kMaxScale)) {
    return "scaled depth coefficient " + number(depth) + " above " + number(traces::kMaxScale);
  }
  const double blocks = scaled_blocks(base, s.depth);
  if (blocks > traces::kMaxBlocks) {
    return number(blocks) + " MBConv blocks after depth scaling, more than " + std::to_string(traces::kMaxBlocks);
  }
  return "";
}

traces::MbconvSpec scaled_spec(const traces::MbconvSpec& base, const Scaled& s) {
  traces::MbconvSpec out = base;
  out.params.depth = base.params.depth * s.depth;
  out.params.width = base.params.width * s.width;
  out.params.resolution = s.resolution;
  return out;
}

traces::Network build(const traces::MbconvSpec& spec, int64_t batch, traces::DType dtype) {
  return traces::build_mbconv_family(spec.name, spec.blocks, spec.params, batch, dtype);
}

std::string network_key(const traces::MbconvSpec& spec) {
  const traces::FamilyParams& p = spec.params;
  std::ostringstream k;
  k << p.resolution << ':' << traces::round_filters(p.stem_filters, p.width, p.depth_divisor) << ':'
    << traces::round_filters(p.head_filters, p.width, p.depth_divisor) << ':' << p.se_coefficient << ':'
    << p.stem_kernel << p.stem_stride << p.num_classes << ':' << traces::act_name(p.stem_act) << ','
    << traces::act_name(p.block_act) << ',' << traces::act_name(p.head_act);
  for (const auto& b : spec.blocks) {  // the block itself, and its rounded depth and width
    k << '/' << traces::encode_block(b) << '=' << traces::round_repeats(b.num_repeat, p.depth) << 'x'
      << traces::round_filters(b.output_filters, p.width, p.depth_divisor) << 'x'
      << traces::round_filters(b.input_filters, p.width, p.depth_divisor);
  }
  return k.str();
}

std::string network_yaml(const traces::MbconvSpec& spec, const std::vector<std::string>& comment) {
  const traces::FamilyParams& p = spec.params;
  std::ostringstream o;
  o << std::setprecision(17);
  for (const auto& line : comment) o << "# " << line << "\n";
  o << "name: " << spec.name << "\n"
    << "resolution: " << p.resolution << "\n"
    << "activation: " << traces::act_name(p.block_act) << "\n"
    << "width: " << p.width << "\n"
    << "depth: " << p.depth << "\n"
    << "se_coefficient: " << p.se_coefficient << "\n"
    << "stem: {filters: " << p.stem_filters << ", kernel: " << p.stem_kernel << ", stride: " << p.stem_stride
    << ", activation: " << traces::act_name(p.stem_act) << "}\n"
    << "blocks:\n";
  for (const auto& b : spec.blocks) o << "  - " << traces::encode_block(b) << "\n";
  o << "head: {filters: " << p.head_filters << ", classes: " << p.num_classes
    << ", activation: " << traces::act_name(p.head_act) << "}\n";
  return o.str();
}

std::string candidate_yaml(const traces::MbconvSpec& spec) {
  return network_yaml(spec, {"A candidate of a kind: lacs run, for an external accuracy trial"});
}

}  // namespace rp::lacs
