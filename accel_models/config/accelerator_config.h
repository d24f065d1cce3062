#pragma once
// A typed, validated accelerator config: the identity keys (name, family, precision, default_batch) and the
// family's typed config. Read from YAML once (load), varied by typed overrides without any text parsing (with),
// built into an accelerator as often as needed (build). Copies are cheap and independent.
#include <memory>
#include <string>
#include <vector>

#include "accel_models/common/accelerator.h"
#include "accel_models/config/param_io.h"

namespace rp::accel {

struct Override {
  std::string key;   // dotted key as in the YAML, e.g. "matrix_unit.rows"
  ParamValue value;  // in the unit of the key's name
};

class AcceleratorConfig {
 public:
  // A built-in name (tpuv2, tpuv3, tpuv4, v100, a100, a100-80gb, h100), "<built-in>-<profile>" (v100-modern), or
  // the path of an accelerator YAML file; UsageError naming file, line and key for anything invalid. A file with
  // `base: <built-in>` starts from that built-in and sets only the keys it lists (each checked as --set would be);
  // the base must be a built-in that has no base itself, and `family` cannot change.
  static AcceleratorConfig load(const std::string& name_or_file);
  // A copy with the overrides applied, each checked for type and bounds, then the cross-field rules; UsageError
  // naming the key. `family` cannot be overridden.
  AcceleratorConfig with(const std::vector<Override>& overrides) const;
  // The same from "key=value" texts (the CLI's --set, sweep points), each value parsed by its key's type.
  AcceleratorConfig with_text(const std::vector<std::string>& key_values) const;
  // "key=value" text turned into a typed override by the key's type (bounds are checked when it is applied).
  Override parse_override(const std::string& key_value) const;
  // The current value of a key, in YAML units.
  ParamValue value(const std::string& key) const;
  // Builds the accelerator (no YAML involved).
  std::shared_ptr<const IAccelerator> build() const;

  const std::string& name() const;
  const std::string& family() const;
  const std::string& label() const;       // "tpuv3.yaml (built-in)" or the file path
  std::vector<ParamInfo> params() const;  // every settable key with its type, unit, bounds and default
  std::vector<std::string> keys() const;  // the full keys (shorthands: resolve())
  // The full key of a shorthand (TPU: lowering.X -> stack.lowering.X; GPU: stack.X and lowering.X -> the active
  // profile's stack.profiles.<profile>.X); any other key unchanged. Every method that takes a key accepts both.
  std::string resolve(const std::string& key) const;
  // The message for a key this accelerator does not have (no "unknown key" prefix context): the nearest keys of its
  // family (at most 3), or that the family has no such key and which family has it, and where every key is listed:
  // "unknown key 'matrix_unit.rows' for v100.yaml (built-in): family gpu has no such key; it is a key of family
  // tpu (tpuv2, tpuv3, tpuv4) ('ridgepoint accelerators --keys' lists every key)"; for a mistyped key in an
  // existing section ("l2.bogus") the keys of that section. Every method taking a key throws it.
  std::string unknown_key_message(const std::string& key) const;
  std::string yaml() const;  // the resolved config as YAML text (reads back to the same values)

  // The family's typed config (TpuConfig, GpuConfig); throws std::logic_error for another family.
  template <class C>
  const C& family_config() const;

  struct Impl;
  AcceleratorConfig(const AcceleratorConfig& other);
  AcceleratorConfig& operator=(const AcceleratorConfig& other);
  AcceleratorConfig(AcceleratorConfig&&) noexcept;
  AcceleratorConfig& operator=(AcceleratorConfig&&) noexcept;
  ~AcceleratorConfig();

 private:
  void check_key(const std::string& key, const std::string& context) const;  // UsageError: unknown_key_message
  static AcceleratorConfig derived(const RawConfig& raw);                    // a file with `base:` (see load)
  explicit AcceleratorConfig(std::unique_ptr<Impl> impl);
  const void* family_config_ptr(const std::type_info& t) const;
  std::unique_ptr<Impl> impl_;
};

template <class C>
const C& AcceleratorConfig::family_config() const {
  return *static_cast<const C*>(family_config_ptr(typeid(C)));
}

}  // namespace rp::accel
