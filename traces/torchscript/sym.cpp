#include "traces/torchscript/sym.h"

#include <sstream>

namespace rp::traces::ts {
namespace {

template <typename T>
std::string join(const std::vector<T>& v) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < v.size(); ++i) os << (i ? ", " : "") << v[i];
  os << "]";
  return os.str();
}

}  // namespace

Sym Sym::of_layer(int id, int r) {
  Sym s;
  s.kind = Kind::kLayer;
  s.layer = id;
  s.rank = r;
  return s;
}

Sym Sym::of_view(int id, std::vector<int64_t> d, std::vector<int> o) {
  Sym s = of_layer(id, static_cast<int>(d.size()));
  s.dims = std::move(d);
  s.order = std::move(o);
  return s;
}

Sym Sym::of_int(int64_t v) {
  Sym s;
  s.kind = Kind::kInt;
  s.ints = {v};
  return s;
}

Sym Sym::of_float(double v) {
  Sym s;
  s.kind = Kind::kFloat;
  s.floats = {v};
  return s;
}

Sym Sym::of_bool(bool v) {
  Sym s;
  s.kind = Kind::kBool;
  s.ints = {v ? 1 : 0};
  return s;
}

Sym Sym::none() {
  Sym s;
  s.kind = Kind::kNone;
  return s;
}

Sym Sym::list(std::vector<Sym> v) {
  Sym s;
  s.kind = Kind::kList;
  s.items = std::move(v);
  return s;
}

bool Sym::is_scalar() const {
  return kind == Kind::kInt || kind == Kind::kFloat || kind == Kind::kBool ||
         (kind == Kind::kTensorConst && floats.size() == 1);
}

double Sym::scalar() const {
  if (kind == Kind::kInt || kind == Kind::kBool) return static_cast<double>(ints[0]);
  if ((kind == Kind::kFloat || kind == Kind::kTensorConst) && floats.size() == 1) return floats[0];
  return 0;
}

std::string Sym::describe() const {
  switch (kind) {
    case Kind::kUnset:
      return "an undefined value";
    case Kind::kLayer:
      return "a tensor (layer " + std::to_string(layer) + ")";
    case Kind::kInt:
      return "int " + std::to_string(ints[0]);
    case Kind::kFloat:
      return "float " + std::to_string(floats[0]);
    case Kind::kBool:
      return ints[0] ? "true" : "false";
    case Kind::kNone:
      return "None";
    case Kind::kString:
      return "string '" + str + "'";
    case Kind::kInts:
      return "int[] " + join(ints);
    case Kind::kFloats:
      return "float[] " + join(floats);
    case Kind::kTensorConst:
      return "a constant tensor of shape " + join(sizes);
    case Kind::kList:
      return "a list of " + std::to_string(items.size()) + " values";
    case Kind::kShuffle:
      return "a channel-shuffle view";
    case Kind::kOther:
      return "a constant of an unsupported type";
  }
  return "?";
}

}  // namespace rp::traces::ts
