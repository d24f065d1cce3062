#include "experiments/settings/settings.h"

namespace rp::settings {

TextSpec TextSpec::required(std::string description, Role role) {
  TextSpec s;
  s.role = role;
  s.description = std::move(description);
  return s;
}

TextSpec TextSpec::optional(std::string fallback, std::string description, Role role) {
  TextSpec s = required(std::move(description), role);
  s.fallback = std::move(fallback);
  return s;
}

TextSpec TextSpec::word(std::vector<std::string> allowed, std::optional<std::string> fallback,
                        std::string description) {
  TextSpec s = required(std::move(description));
  s.allowed = std::move(allowed);
  s.fallback = std::move(fallback);
  return s;
}

}  // namespace rp::settings
