#pragma once
// An accelerator family (TPU, GPU, ...): its typed config and how an accelerator is built from it. A family is
// registered once in common/registry.cpp; its config declares every key it reads (config/param.h) and its
// lowering is a small set of rules on the shared skeleton (lowering/skeleton.h).
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "accel_models/config/param.h"

namespace rp::accel {

class IFamilyConfig {
 public:
  virtual ~IFamilyConfig() = default;
  virtual std::unique_ptr<IFamilyConfig> clone() const = 0;
  virtual void describe(ParamVisitor& v) = 0;  // every key but the identity keys (name, family, ...)
  virtual void derive() = 0;                   // values derived from others, after reading or overriding
  // `info` carries the identity and the resolved YAML; the family fills in the peak figures.
  virtual std::shared_ptr<const IAccelerator> build(AcceleratorInfo info) const = 0;
  virtual const void* typed(const std::type_info& t) const = 0;         // the typed config if it is a `t`, else nullptr
  virtual std::vector<std::string> precisions() const = 0;              // those some compute unit has a rate for
  virtual std::string resolve_alias(const std::string& key) const = 0;  // a shorthand key -> its full key
  virtual MemoryLayout memory_layout() const = 0;                       // HBM capacity and its sharing
};

namespace detail {
// Unqualified calls: argument-dependent lookup finds the family's functions at instantiation.
template <class C>
void describe_config(ParamVisitor& v, C& c) {
  describe(v, c);
}
template <class C>
void derive_config(C& c) {
  derive(c);
}
template <class C>
std::shared_ptr<const IAccelerator> build_config(AcceleratorInfo info, const C& c) {
  return make_accelerator_of(std::move(info), c);
}
template <class C>
std::vector<std::string> precisions_of(const C& c) {
  return supported_precisions(c);
}
template <class C>
std::string alias_of(const C& c, const std::string& key) {
  return key_alias(c, key);
}
template <class C>
MemoryLayout layout_of(const C& c) {
  return memory_layout(c);
}
}  // namespace detail

// The typed config of one family: `Config` has describe(ParamVisitor&, Config&), derive(Config&) and
// supported_precisions(const Config&), key_alias(const Config&, key) and memory_layout(const Config&) next to it, and make_accelerator_of(info, config) builds the accelerator
// (at info.precision).
template <class Config>
class FamilyConfig : public IFamilyConfig {
 public:
  Config config{};
  std::unique_ptr<IFamilyConfig> clone() const override { return std::make_unique<FamilyConfig>(*this); }
  void describe(ParamVisitor& v) override { detail::describe_config(v, config); }
  void derive() override { detail::derive_config(config); }
  std::shared_ptr<const IAccelerator> build(AcceleratorInfo info) const override {
    return detail::build_config(std::move(info), config);
  }
  const void* typed(const std::type_info& t) const override { return t == typeid(Config) ? &config : nullptr; }
  std::vector<std::string> precisions() const override { return detail::precisions_of(config); }
  std::string resolve_alias(const std::string& key) const override { return detail::alias_of(config, key); }
  MemoryLayout memory_layout() const override { return detail::layout_of(config); }
};

}  // namespace rp::accel
