#include "accel_models/evaluate.h"

#include "accel_models/common/registry.h"
#include "accel_models/config/accel_yaml.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"

namespace rp::accel {

// Provisional: the config as its name and text overrides (replaced by the typed config of the refactor).
struct AcceleratorConfig::Impl {
  std::string source;
  std::vector<std::string> sets;
  std::string name, label, yaml;
};

namespace {

std::string text_of(const ParamValue& v) {
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const std::string* s = std::get_if<std::string>(&v)) return *s;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v));
  return buf;
}

std::shared_ptr<const AcceleratorConfig::Impl> make_impl(const std::string& source, std::vector<std::string> sets) {
  auto impl = std::make_shared<AcceleratorConfig::Impl>();
  const auto acc = make_accelerator(source, sets);  // validates
  impl->source = source;
  impl->sets = std::move(sets);
  impl->name = acc->info().name;
  impl->label = acc->info().label;
  impl->yaml = acc->info().resolved_yaml;
  return impl;
}

}  // namespace

AcceleratorConfig::AcceleratorConfig(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

AcceleratorConfig AcceleratorConfig::load(const std::string& name_or_file) {
  return AcceleratorConfig(make_impl(name_or_file, {}));
}

AcceleratorConfig AcceleratorConfig::with(const std::vector<Override>& overrides) const {
  std::vector<std::string> sets = impl_->sets;
  for (const auto& o : overrides) sets.push_back(o.key + "=" + text_of(o.value));
  return AcceleratorConfig(make_impl(impl_->source, sets));
}

AcceleratorConfig AcceleratorConfig::with_text(const std::vector<std::string>& key_values) const {
  std::vector<std::string> sets = impl_->sets;
  sets.insert(sets.end(), key_values.begin(), key_values.end());
  return AcceleratorConfig(make_impl(impl_->source, sets));
}

std::shared_ptr<const IAccelerator> AcceleratorConfig::build() const {
  return make_accelerator(impl_->source, impl_->sets);
}

const std::string& AcceleratorConfig::name() const { return impl_->name; }
const std::string& AcceleratorConfig::label() const { return impl_->label; }
std::string AcceleratorConfig::yaml() const { return impl_->yaml; }
std::vector<std::string> AcceleratorConfig::keys() const {
  return leaf_keys(load_accelerator_yaml(impl_->source, {}).root.node());
}

Feasibility check(const traces::Network& net, const IAccelerator& acc) {
  try {
    acc.lower(net);
  } catch (const SimulationError& e) {
    return {false, e.what()};
  }
  return {};
}

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc) {
  Evaluation e;
  const Feasibility f = check(net, acc);
  if (!f.ok) {
    e.reason = f.reason;
    return e;
  }
  try {
    e.result = simulate(net, acc);
    e.ok = true;
  } catch (const SimulationError& err) {
    e.reason = err.what();
  }
  return e;
}

Evaluation evaluate(const std::function<traces::Network()>& make_network, const IAccelerator& acc) {
  try {
    const traces::Network net = make_network();
    return evaluate(net, acc);
  } catch (const UsageError& err) {
    Evaluation e;
    e.reason = std::string("bad network: ") + err.what();
    return e;
  }
}

}  // namespace rp::accel
