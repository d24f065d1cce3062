#include "traces/torchscript/naming.h"

#include <cctype>
#include <vector>

namespace rp::traces::ts {
namespace {

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size() && !path.empty()) {
    const size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

bool numeric(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& parts, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

}  // namespace

Naming::Naming(const TsGraph& g) { add_containers(g.nodes); }

void Naming::add_containers(const std::vector<TsNode>& nodes) {
  for (const TsNode& n : nodes) {
    const std::vector<std::string> parts = components(n.scope);
    for (size_t len = 1; len < parts.size(); ++len) containers_.insert(join(parts, len));
    for (const TsBlock& b : n.blocks) add_containers(b.nodes);
  }
}

std::string Naming::op_short_name(const std::string& kind) {
  std::string s = kind.substr(kind.find("::") == std::string::npos ? 0 : kind.find("::") + 2);
  while (!s.empty() && s.front() == '_') s.erase(s.begin());
  while (!s.empty() && s.back() == '_') s.pop_back();
  if (s == "convolution") return "conv2d";
  return s.empty() ? "op" : s;
}

std::string Naming::unique(const std::string& base) {
  std::string name = base;
  for (int i = 1; taken_.count(name); ++i) name = base + "_" + std::to_string(i);
  taken_.insert(name);
  return name;
}

std::string Naming::name_as(const TsNode& n, const std::string& op, const std::string& suffix) {
  std::string base;
  if (n.scope.empty()) {
    base = op;
  } else if (is_leaf(n.scope)) {
    auto it = first_op_.emplace(n.scope, op).first;
    base = it->second == op ? n.scope : n.scope + "/" + op;
  } else {
    base = n.scope + "/" + op;
  }
  return unique(suffix.empty() ? base : base + "/" + suffix);
}

std::string Naming::group(const TsNode& n) const {
  const std::vector<std::string> parts = components(n.scope);
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!numeric(parts[i])) continue;
    const size_t end = i + 1 < parts.size() && numeric(parts[i + 1]) ? i + 2 : i + 1;
    return join(parts, end);
  }
  if (parts.size() > 1 && is_leaf(n.scope)) return join(parts, parts.size() - 1);
  return n.scope;
}

}  // namespace rp::traces::ts
