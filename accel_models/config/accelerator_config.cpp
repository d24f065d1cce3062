#include "accel_models/config/accelerator_config.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <typeinfo>

#include "accel_models/common/registry.h"
#include "simulator/error.h"
#include "simulator/suggest.h"
#include "traces/yaml/yaml_map.h"

namespace rp::accel {

struct AcceleratorConfig::Impl {
  std::string name, family, precision;
  int64_t default_batch = 0;
  std::string label;
  std::unique_ptr<IFamilyConfig> config;

  Impl() = default;
  Impl(const Impl& o)
      : name(o.name),
        family(o.family),
        precision(o.precision),
        default_batch(o.default_batch),
        label(o.label),
        config(o.config->clone()) {}

  // The identity keys, then the family's.
  void describe(ParamVisitor& v) {
    std::vector<std::string> dtypes;
    for (auto t : traces::all_dtypes()) {
      dtypes.push_back(traces::dtype_name(t));
    }
    v.word("name", name, {}, "accelerator name");
    v.word("family", family, family_names(), "selects the lowering rules");
    v.word("precision", precision, dtypes, "element type of activations and weights");
    v.integer("default_batch", default_batch, ParamSpec::count("", "batch when none is given"));
    config->describe(v);
  }
  Describe describer() {
    return [this](ParamVisitor& v) { describe(v); };
  }
};

namespace {

// The precision must be one the accelerator's compute units have a rate for.
void check_precision(const AcceleratorConfig::Impl& impl, const std::string& where) {
  const auto supported = impl.config->precisions();
  if (std::find(supported.begin(), supported.end(), impl.precision) != supported.end()) return;
  std::string list;
  for (const auto& s : supported) list += (list.empty() ? "" : ", ") + s;
  throw UsageError(where + ": key 'precision': " + impl.name + " does not support " + impl.precision +
                   " (supported: " + list + ")");
}

const FamilyEntry& family_entry(const RawConfig& raw) {
  const RawValue* f = raw.find("family");
  if (!f) throw UsageError(raw.where("") + ": missing required key 'family'");
  std::string known;
  for (const auto& e : families()) {
    if (f->text == e.name) return e;
    known += (known.empty() ? "" : ", ") + std::string(e.name);
  }
  throw UsageError(f->where + ": key 'family': unknown family " + traces::quoted_value(f->text) +
                   " (expected one of: " + known + ")");
}

std::vector<std::string> keys_of(const Describe& describe) {
  std::vector<std::string> out;
  for (const auto& p : list_params(describe)) out.push_back(p.key);
  return out;
}

bool has_key(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The other families that have `key`, each with its built-ins, e.g. "tpu (tpuv2, tpuv3, tpuv4)".
std::string families_with(const std::string& key, const std::string& own_family) {
  std::string found;
  for (const auto& e : families()) {
    if (e.name == own_family) continue;
    const auto config = e.make();
    const std::string full = config->resolve_alias(key);
    if (!has_key(keys_of([&](ParamVisitor& v) { config->describe(v); }), full)) continue;
    std::string builtins;
    for (const auto& b : builtin_accelerators()) {
      const RawConfig raw = load_raw_config(b);  // alive while `f` points into it
      const RawValue* f = raw.find("family");    // a derived built-in (base:) states its family
      if (f && f->text == e.name) builtins += (builtins.empty() ? "" : ", ") + b;
    }
    found += (found.empty() ? "" : "; ") + std::string(e.name) + (builtins.empty() ? "" : " (" + builtins + ")");
  }
  return found;
}

// The keys of `keys` directly under the section of `key` ("l2" for "l2.bogus"), when that section exists.
std::vector<std::string> section_keys(const std::vector<std::string>& keys, const std::string& key) {
  const size_t dot = key.rfind('.');
  std::vector<std::string> out;
  if (dot == std::string::npos) return out;
  const std::string section = key.substr(0, dot + 1);
  for (const auto& k : keys) {
    if (k.compare(0, section.size(), section) == 0 && k.find('.', section.size()) == std::string::npos) {
      out.push_back(k);
    }
  }
  return out;
}

std::string join_keys(const std::vector<std::string>& keys) {
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
  return list;
}

constexpr const char* kKeyList = "'ridgepoint accelerators --keys' lists every key";

}  // namespace

std::string AcceleratorConfig::unknown_key_message(const std::string& key) const {
  const auto keys = keys_of(const_cast<Impl&>(*impl_).describer());
  const std::string head = "unknown key '" + key + "' for " + impl_->label;
  const std::string hint = did_you_mean(key, keys);
  if (!hint.empty()) return head + "; " + hint + " (" + kKeyList + ")";
  const auto children = section_keys(keys, key + ".x");  // `key` names a section, not a key
  if (!children.empty() && children.size() <= 12) {
    return head + ": a section; give one of its keys: " + join_keys(children);
  }
  const auto section = section_keys(keys, key);  // a mistyped key in an existing section
  if (!section.empty() && section.size() <= 12) {
    return head + " (the keys of section '" + key.substr(0, key.rfind('.')) + "': " + join_keys(section) + ")";
  }
  const std::string elsewhere = families_with(key, impl_->family);
  return head + ": family " + impl_->family + " has no such key" +
         (elsewhere.empty() ? "" : "; it is a key of family " + elsewhere) + " (" + kKeyList + ")";
}

void AcceleratorConfig::check_key(const std::string& key, const std::string& context) const {
  const std::string full = impl_->config->resolve_alias(key);
  if (param_type(const_cast<Impl&>(*impl_).describer(), full).empty()) {
    throw UsageError((context.empty() ? "" : context + ": ") + unknown_key_message(key));
  }
}

AcceleratorConfig::AcceleratorConfig(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AcceleratorConfig::AcceleratorConfig(const AcceleratorConfig& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
AcceleratorConfig& AcceleratorConfig::operator=(const AcceleratorConfig& o) {
  if (this != &o) impl_ = std::make_unique<Impl>(*o.impl_);
  return *this;
}
AcceleratorConfig::AcceleratorConfig(AcceleratorConfig&&) noexcept = default;
AcceleratorConfig& AcceleratorConfig::operator=(AcceleratorConfig&&) noexcept = default;
AcceleratorConfig::~AcceleratorConfig() = default;

AcceleratorConfig AcceleratorConfig::load(const std::string& name_or_file) {
  // "<built-in>-<profile>" (e.g. v100-modern): a built-in config with another software-stack profile.
  const auto builtins = builtin_accelerators();
  const size_t dash = name_or_file.rfind('-');
  if (std::find(builtins.begin(), builtins.end(), name_or_file) == builtins.end() && dash != std::string::npos &&
      std::find(builtins.begin(), builtins.end(), name_or_file.substr(0, dash)) != builtins.end() &&
      !std::ifstream(name_or_file)) {
    const AcceleratorConfig base = load(name_or_file.substr(0, dash));
    try {
      return base.with_text({"stack.profile=" + name_or_file.substr(dash + 1)}).with_text({"name=" + name_or_file});
    } catch (const UsageError& e) {
      throw UsageError("unknown accelerator '" + name_or_file + "' (" + e.what() + ")");
    }
  }
  const RawConfig raw = load_raw_config(name_or_file);
  if (raw.find("base") || raw.is_map("base")) return derived(raw);
  auto impl = std::make_unique<Impl>();
  impl->label = raw.label();
  impl->config = family_entry(raw).make();
  read_params(raw, impl->describer());
  impl->config->derive();
  check_precision(*impl, raw.find("precision") ? raw.find("precision")->where : raw.label());
  return AcceleratorConfig(std::move(impl));
}

AcceleratorConfig AcceleratorConfig::derived(const RawConfig& raw) {
  const RawValue* base = raw.find("base");
  const auto builtins = builtin_accelerators();
  std::string list;
  for (const auto& b : builtins) list += (list.empty() ? "" : ", ") + b;
  if (!base || base->is_list || std::find(builtins.begin(), builtins.end(), base->text) == builtins.end()) {
    throw UsageError(raw.where("base") + ": key 'base': expected the name of a built-in accelerator (" + list +
                     "), got " + (base && !base->is_list ? traces::quoted_value(base->text) : "no name"));
  }
  if (load_raw_config(base->text).find("base")) {  // one level: a chain could loop
    throw UsageError(base->where + ": key 'base': '" + base->text +
                     "' is itself derived from another built-in; name that one as the base");
  }
  AcceleratorConfig out = load(base->text);
  Impl& impl = *out.impl_;
  impl.label = raw.label();
  const std::string family = impl.family;
  for (const std::string& key : raw.leaves()) {
    if (key == "base") continue;
    const RawValue& v = *raw.find(key);
    if (v.is_list) throw UsageError(v.where + ": key '" + key + "': expected a single value, got a list");
    out.check_key(key, v.where);
    set_param_text(impl.describer(), impl.config->resolve_alias(key), v.text, v.where, impl.label);
    if (impl.family != family) {
      throw UsageError(v.where + ": key 'family': '" + v.text + "' differs from the base's family " + family);
    }
  }
  check_params(impl.describer(), raw.label());
  impl.config->derive();
  check_precision(impl, raw.label());
  return out;
}

AcceleratorConfig AcceleratorConfig::with(const std::vector<Override>& overrides) const {
  auto impl = std::make_unique<Impl>(*impl_);
  const std::string family = impl->family;
  std::string context = "override";
  for (const auto& o : overrides) {
    context = "override " + o.key;
    check_key(o.key, context);
    set_param(impl->describer(), impl->config->resolve_alias(o.key), o.value, context, impl->label);
  }
  check_params(impl->describer(), context);
  if (impl->family != family) throw UsageError(context + ": key 'family' cannot be overridden");
  impl->config->derive();
  check_precision(*impl, context);
  return AcceleratorConfig(std::move(impl));
}

namespace {

std::pair<std::string, std::string> split_setting(const std::string& kv) {
  const size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) throw UsageError("--set '" + kv + "': expected key=value");
  const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
  if (value.empty()) throw UsageError("--set '" + kv + "': empty value for key '" + key + "'");
  return {key, value};
}

}  // namespace

Override AcceleratorConfig::parse_override(const std::string& key_value) const {
  const auto [key, text] = split_setting(key_value);
  check_key(key, "--set " + key_value);
  return {key, parse_param(const_cast<Impl&>(*impl_).describer(), impl_->config->resolve_alias(key), text,
                           "--set " + key_value, impl_->label)};
}

ParamValue AcceleratorConfig::value(const std::string& key) const {
  check_key(key, "");
  return get_param(const_cast<Impl&>(*impl_).describer(), impl_->config->resolve_alias(key), impl_->label);
}

AcceleratorConfig AcceleratorConfig::with_text(const std::vector<std::string>& key_values) const {
  auto impl = std::make_unique<Impl>(*impl_);
  const std::string family = impl->family;
  std::string context = "--set";
  for (const auto& kv : key_values) {
    const auto [key, value] = split_setting(kv);
    context = "--set " + kv;
    check_key(key, context);
    set_param_text(impl->describer(), impl->config->resolve_alias(key), value, context, impl->label);
  }
  check_params(impl->describer(), context);
  if (impl->family != family) throw UsageError(context + ": key 'family' cannot be overridden");
  impl->config->derive();
  check_precision(*impl, context);
  return AcceleratorConfig(std::move(impl));
}

std::shared_ptr<const IAccelerator> AcceleratorConfig::build() const {
  AcceleratorInfo info;
  info.name = impl_->name;
  info.family = impl_->family;
  info.label = impl_->label;
  info.precision = traces::parse_dtype(impl_->precision);
  info.default_batch = impl_->default_batch;
  info.resolved_yaml = yaml();
  info.memory = impl_->config->memory_layout();
  return impl_->config->build(std::move(info));
}

const std::string& AcceleratorConfig::name() const { return impl_->name; }
const std::string& AcceleratorConfig::family() const { return impl_->family; }
const std::string& AcceleratorConfig::label() const { return impl_->label; }

// Listing and writing visit the config without changing a value (the visitors take references for reading too).
std::vector<ParamInfo> AcceleratorConfig::params() const { return list_params(const_cast<Impl&>(*impl_).describer()); }

std::string AcceleratorConfig::resolve(const std::string& key) const { return impl_->config->resolve_alias(key); }

std::vector<std::string> AcceleratorConfig::keys() const {
  std::vector<std::string> out;
  for (const auto& p : params()) out.push_back(p.key);
  return out;
}

std::string AcceleratorConfig::yaml() const { return write_yaml(const_cast<Impl&>(*impl_).describer()); }

const void* AcceleratorConfig::family_config_ptr(const std::type_info& t) const {
  const void* p = impl_->config->typed(t);
  if (!p)
    throw std::logic_error("AcceleratorConfig::family_config: '" + impl_->name + "' is of family " + impl_->family);
  return p;
}

}  // namespace rp::accel
