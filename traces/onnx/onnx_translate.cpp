#include "traces/onnx/onnx_translate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "simulator/error.h"
#include "traces/onnx/translator.h"

namespace rp::traces::onnx {
namespace {

// A node's module path from the names PyTorch's exporter gives: "/layer1/layer1.0/conv1/Conv" is "layer1.0.conv1",
// "/features/features.1/conv/conv.0/conv.0.2/Clip" is "features.1.conv.0.2" (a component that extends the one before
// it adds its tail); the last component is the op. Other names ("Conv_12", "conv1") stand for themselves.
std::string scope_of(const std::string& name) {
  if (name.empty() || name[0] != '/') return name;
  std::string path, prev;
  size_t start = 1;
  for (size_t slash = name.find('/', start); slash != std::string::npos; slash = name.find('/', start)) {
    const std::string c = name.substr(start, slash - start);
    if (!prev.empty() && c.rfind(prev + ".", 0) == 0) {
      path += c.substr(prev.size());
    } else {
      path += (path.empty() ? "" : ".") + c;
    }
    prev = c;
    start = slash + 1;
  }
  return path;
}

}  // namespace

Translator::Translator(const OxModel& m, std::string path, int64_t batch)
    : m_(m), path_(std::move(path)), batch_(batch), model_batch_(m.input_dims.empty() ? 1 : m.input_dims[0]) {
  for (const OxNode& n : m_.nodes) {
    for (const std::string& in : n.inputs) {
      if (!in.empty()) consumers_[in].push_back(&n);
    }
    for (const std::string& out : n.outputs) producers_[out] = &n;
  }
  graph_outputs_.insert(m_.outputs.begin(), m_.outputs.end());
}

ts::TsGraph Translator::run() {
  g_.input = id(m_.input);
  find_fusions(*this, m_.nodes);
  const auto& handlers = ox_handlers();
  for (const OxNode& n : m_.nodes) {
    if (absorbed_.count(&n)) continue;
    auto f = fused_.find(&n);
    if (f != fused_.end()) {
      for (const Step& s : f->second.before) emit(s.kind, s.inputs, {s.output}, n);
      emit(f->second.kind, f->second.inputs, {id(n.outputs.at(0))}, n);
      continue;
    }
    if (fold(n) || fold_computed(n)) continue;
    const std::string op = n.domain.empty() ? n.op : n.domain + "::" + n.op;
    auto h = handlers.find(n.domain.empty() ? n.op : "");
    if (h == handlers.end()) {
      fail(n, "unsupported op '" + op + "'" +
                  (n.op == "Erf" ? " (Erf is supported only inside the GELU x * 0.5 * (1 + erf(x / sqrt(2))))" : ""));
    }
    h->second(*this, n);
  }
  for (const std::string& o : m_.outputs) g_.outputs.push_back(id(o));
  return std::move(g_);
}

namespace {

// A value's shape as inferred, all dims known.
bool fully_known(const std::map<std::string, std::vector<int64_t>>& shapes, const std::string& name) {
  auto it = shapes.find(name);
  if (it == shapes.end()) return false;
  for (int64_t d : it->second) {
    if (d < 0) return false;
  }
  return true;
}

// Python's (and ONNX Mod's, fmod 0) remainder: the sign of the divisor; fmod 1: C's, the sign of the dividend.
int64_t remainder(int64_t x, int64_t y, bool c_fmod) {
  const int64_t r = x % y;
  return c_fmod || r == 0 || (r < 0) == (y < 0) ? r : r + y;
}

}  // namespace

FoldedValues Translator::fold_only() {
  FoldedValues out;
  for (const OxNode& n : m_.nodes) {
    if (fold(n)) continue;
    bool unknown = false;
    for (const std::string& o : n.outputs) unknown = unknown || (!o.empty() && !fully_known(m_.shapes, o));
    if (!unknown) continue;
    for (const std::string& in : n.inputs) {
      auto f = folded_.find(in);
      if (f == folded_.end()) continue;
      OxTensor t;
      t.dims = folded_dims(in);
      auto s = m_.shapes.find(in);  // a scalar (a Gather by a scalar index) stays a scalar
      if (s != m_.shapes.end() && s->second.empty() && f->second.size() == 1) t.dims.clear();
      t.values.assign(f->second.begin(), f->second.end());
      t.has_values = true;
      out[in] = std::move(t);
    }
  }
  return out;
}

FoldedValues folded_for_inference(const OxModel& m, const std::string& path) {
  return Translator(m, path, m.input_dims.empty() ? 1 : m.input_dims[0]).fold_only();
}

int Translator::id(const std::string& name) {
  if (name.empty()) return none();
  auto it = ids_.find(name);
  if (it != ids_.end()) return it->second;
  ts::TsValue v;
  v.name = "%" + name;
  std::vector<int64_t> folded;
  if (const OxTensor* t = constant_of(name)) {
    v.is_constant = true;
    v.constant.kind = ts::Sym::Kind::kTensorConst;
    v.constant.sizes = t->dims;
    if (t->has_values && t->values.size() == 1) v.constant.floats = {t->values[0]};
  } else if (computed_.count(name)) {
    v.is_constant = true;
    v.constant.kind = ts::Sym::Kind::kTensorConst;
    v.constant.computed = true;
    v.constant.learned = 0;  // computed from sizes (Swin's mask): no learned parameter, as in the TorchScript import
    v.constant.sizes = m_.shapes.at(name);
  } else if (scalars_.count(name)) {
    v.is_constant = true;
    v.constant.kind = ts::Sym::Kind::kTensorConst;
    v.constant.floats = {scalars_.at(name)};
  } else if (folded_.count(name)) {
    v.is_constant = true;
    v.constant.kind = ts::Sym::Kind::kInts;
    v.constant.ints = folded_.at(name);
  }
  const int i = static_cast<int>(g_.values.size());
  g_.values.push_back(std::move(v));
  ids_[name] = i;
  return i;
}

void Translator::alias(const OxNode& n) {
  const std::string& out = n.outputs.at(0);
  auto known = ids_.find(out);
  if (known == ids_.end()) {
    ids_[out] = id(n.inputs.at(0));
  } else {
    emit("aten::contiguous", {id(n.inputs.at(0)), int_const(0)}, {known->second}, n);
  }
}

int Translator::constant(ts::Sym s) {
  ts::TsValue v;
  v.name = "%c" + std::to_string(g_.values.size());
  v.is_constant = true;
  v.constant = std::move(s);
  g_.values.push_back(std::move(v));
  return static_cast<int>(g_.values.size()) - 1;
}

int Translator::fresh() {
  ts::TsValue v;
  v.name = "%t" + std::to_string(g_.values.size());
  g_.values.push_back(std::move(v));
  return static_cast<int>(g_.values.size()) - 1;
}

int Translator::ints_const(const std::vector<int64_t>& v) {
  ts::Sym s;
  s.kind = ts::Sym::Kind::kInts;
  s.ints = v;
  return constant(std::move(s));
}

int Translator::str_const(const std::string& str) {
  ts::Sym s;
  s.kind = ts::Sym::Kind::kString;
  s.str = str;
  return constant(std::move(s));
}

void Translator::emit(const std::string& kind, std::vector<int> inputs, std::vector<int> outputs, const OxNode& n) {
  ts::TsNode t;
  t.kind = kind;
  t.inputs = std::move(inputs);
  t.outputs = std::move(outputs);
  t.scope = scope_of(n.name);
  t.text = node_text(n);
  g_.nodes.push_back(std::move(t));
}

const OxTensor* Translator::constant_of(const std::string& name) const {
  auto it = m_.constants.find(name);
  return it == m_.constants.end() ? nullptr : &it->second;
}

bool Translator::scalar(const std::string& name, double& v) const {
  auto c = scalars_.find(name);
  if (c != scalars_.end()) {
    v = c->second;
    return true;
  }
  const OxTensor* t = constant_of(name);
  if (!t || !t->has_values || t->values.size() != 1) return false;
  v = t->values[0];
  return true;
}

bool Translator::ints(const std::string& name, std::vector<int64_t>& v) const {
  auto c = scalars_.find(name);
  if (c != scalars_.end()) {
    if (c->second != std::floor(c->second) || !(std::fabs(c->second) < 9.2e18)) return false;
    v = {static_cast<int64_t>(c->second)};
    return true;
  }
  auto f = folded_.find(name);
  if (f != folded_.end()) {
    v = f->second;
    return true;
  }
  const OxTensor* t = constant_of(name);
  if (!t || !t->has_values || t->dims.size() > 1) return false;
  v.clear();
  for (double d : t->values) {
    if (d != std::floor(d) || std::isnan(d)) return false;
    // The exporter's "to the end" bounds (+-(2^63 - 1)) do not survive the double: they stay the extremes.
    constexpr int64_t kBig = std::numeric_limits<int64_t>::max();
    v.push_back(d >= 9.2e18 ? kBig : d <= -9.2e18 ? -kBig : static_cast<int64_t>(d));
  }
  return true;
}

const std::vector<int64_t>* Translator::shape(const std::string& name) const {
  auto it = m_.shapes.find(name);
  return it == m_.shapes.end() ? nullptr : &it->second;
}

std::vector<int64_t> Translator::known_shape(const OxNode& n, size_t input) {
  const std::vector<int64_t>* s = input < n.inputs.size() ? shape(n.inputs[input]) : nullptr;
  bool known = s != nullptr;
  for (size_t i = 0; known && i < s->size(); ++i) known = (*s)[i] >= 0;
  if (!known) fail(n, "the shape of input " + std::to_string(input) + " is unknown after ONNX shape inference");
  return *s;
}

std::vector<int64_t> Translator::at_batch(std::vector<int64_t> to, const std::vector<int64_t>& from) const {
  if (!to.empty() && !from.empty() && to[0] == model_batch_ && from[0] == model_batch_) to[0] = batch_;
  return to;
}

const std::vector<const OxNode*>& Translator::consumers(const std::string& name) const {
  static const std::vector<const OxNode*> none;
  auto it = consumers_.find(name);
  return it == consumers_.end() ? none : it->second;
}

bool Translator::single_use(const std::string& name) const {
  return consumers(name).size() == 1 && !graph_outputs_.count(name);
}

const OxNode* Translator::producer(const std::string& name, const char* op) const {
  auto it = producers_.find(name);
  return it != producers_.end() && it->second->op == op && it->second->domain.empty() ? it->second : nullptr;
}

bool Translator::fuse(const OxNode* last, Fused f, std::vector<const OxNode*> absorbed) {
  for (const OxNode* a : absorbed) {
    if (fused_.count(a) || absorbed_.count(a)) return false;  // already part of another pattern
  }
  if (fused_.count(last) || absorbed_.count(last)) return false;
  fused_[last] = std::move(f);
  absorbed_.insert(absorbed.begin(), absorbed.end());
  return true;
}

int64_t Translator::int_attr(const OxNode& n, const std::string& key, int64_t fallback) const {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) return fallback;
  if (it->second.type != OxAttr::Type::kInt) fail(n, "attribute '" + key + "' is not an int");
  return it->second.i;
}

double Translator::float_attr(const OxNode& n, const std::string& key, double fallback) const {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) return fallback;
  if (it->second.type != OxAttr::Type::kFloat) fail(n, "attribute '" + key + "' is not a float");
  return it->second.f;
}

std::vector<int64_t> Translator::ints_attr(const OxNode& n, const std::string& key,
                                           std::vector<int64_t> fallback) const {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) return fallback;
  if (it->second.type != OxAttr::Type::kInts) fail(n, "attribute '" + key + "' is not a list of ints");
  return it->second.ints;
}

std::string Translator::str_attr(const OxNode& n, const std::string& key, const std::string& fallback) const {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) return fallback;
  if (it->second.type != OxAttr::Type::kString) fail(n, "attribute '" + key + "' is not a string");
  return it->second.s;
}

void Translator::fail(const OxNode& n, const std::string& what) const {
  throw UsageError("onnx " + path_ + ": " + what + " at node " + node_text(n));
}

// Integer computations on shapes, as PyTorch's exporter writes x.view(x.size(0), -1): evaluated here from the
// inferred shapes (at the model's own batch; the reshape that uses them moves the batch, see at_batch).
bool Translator::fold(const OxNode& n) {
  if (!n.domain.empty() || n.outputs.size() != 1) return false;
  const std::string& op = n.op;
  std::vector<std::vector<int64_t>> in(n.inputs.size());
  if (op == "Shape") {
    const std::vector<int64_t>* s = n.inputs.empty() ? nullptr : shape(n.inputs[0]);
    if (!s) return false;
    for (int64_t d : *s) {
      if (d < 0) return false;
    }
    const int64_t r = static_cast<int64_t>(s->size());
    auto clampi = [&](int64_t v) { return std::max<int64_t>(0, std::min<int64_t>(r, v < 0 ? v + r : v)); };
    const int64_t b = clampi(int_attr(n, "start", 0)), e = clampi(int_attr(n, "end", r));
    set_ints(n.outputs[0], std::vector<int64_t>(s->begin() + b, s->begin() + std::max(b, e)));
    return true;
  }
  if (fold_scalar(n)) return true;
  static const std::set<std::string> foldable = {
      "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast",  "Identity",        "Add",       "Sub",  "Mul", "Div",
      "Slice",  "Reshape",   "Mod",     "Equal",  "Where", "ConstantOfShape", "Transpose", "Range"};
  // Ops that only compute on integers (shapes, pads, masks of sizes) fold on constants alone too.
  static const std::set<std::string> integer_ops = {"Mod", "Equal", "Where", "ConstantOfShape", "Range"};
  if (!foldable.count(op) || n.inputs.empty()) return false;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (n.inputs[i].empty() || !ints(n.inputs[i], in[i])) return false;
  }
  if (!folded(n.inputs[0]) && !integer_ops.count(op)) {
    // Only computations that start from a Shape: arithmetic on constants alone is left to the handlers.
    bool any = false;
    for (const std::string& s : n.inputs) any = any || folded(s);
    if (!any) return false;
  }
  if (op == "ConstantOfShape") return fold_constant_of_shape(n, in[0]);
  if (op == "Reshape" || op == "Transpose" || (op == "Slice" && folded_dims_.count(n.inputs[0]))) {
    return fold_matrix(n, in);
  }
  std::vector<int64_t> out;
  const std::vector<int64_t>& a = in[0];
  if (op == "Gather") {
    for (int64_t i : in[1]) {
      const int64_t k = i < 0 ? i + static_cast<int64_t>(a.size()) : i;
      if (k < 0 || k >= static_cast<int64_t>(a.size())) fail(n, "index " + std::to_string(i) + " out of range");
      out.push_back(a[static_cast<size_t>(k)]);
    }
  } else if (op == "Concat") {
    for (const auto& v : in) out.insert(out.end(), v.begin(), v.end());
  } else if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Mod" || op == "Equal") {
    const std::vector<int64_t>& b = in[1];
    if (a.size() != b.size() && a.size() != 1 && b.size() != 1) return false;
    const bool c_fmod = int_attr(n, "fmod", 0) != 0;
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      const int64_t x = a[a.size() == 1 ? 0 : i], y = b[b.size() == 1 ? 0 : i];
      if ((op == "Div" || op == "Mod") && y == 0) fail(n, "division by zero");
      out.push_back(op == "Add"   ? x + y
                    : op == "Sub" ? x - y
                    : op == "Mul" ? x * y
                    : op == "Div" ? x / y
                    : op == "Mod" ? remainder(x, y, c_fmod)
                                  : static_cast<int64_t>(x == y));
    }
  } else if (op == "Range") {  // Range(start, limit, delta) of at most kMaxConstantValues integers
    if (in.size() != 3 || in[0].size() != 1 || in[1].size() != 1 || in[2].size() != 1 || in[2][0] == 0) return false;
    const int64_t start = in[0][0], limit = in[1][0], delta = in[2][0];
    for (int64_t v = start; delta > 0 ? v < limit : v > limit; v += delta) {
      if (static_cast<int64_t>(out.size()) == kMaxConstantValues) return false;
      out.push_back(v);
      const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
      if (delta > 0 ? v > max - delta : v < min - delta) break;  // the next value is past any int64 limit
    }
  } else if (op == "Where") {  // Where(condition, x, y), each of one or the same number of values
    size_t len = 1;
    for (const auto& v : in) len = std::max(len, v.size());
    for (const auto& v : in) {
      if (v.size() != 1 && v.size() != len) return false;
    }
    auto at = [&](size_t k, size_t i) { return in[k][in[k].size() == 1 ? 0 : i]; };
    for (size_t i = 0; i < len; ++i) out.push_back(at(0, i) ? at(1, i) : at(2, i));
  } else if (op == "Slice") {
    if (in.size() < 3 || in[1].size() != 1 || in[2].size() != 1) return false;
    const int64_t r = static_cast<int64_t>(a.size());
    auto clampi = [&](int64_t v) { return std::max<int64_t>(0, std::min<int64_t>(r, v < 0 ? v + r : v)); };
    const int64_t step = in.size() > 4 && !in[4].empty() ? in[4][0] : 1;
    if (step != 1) return false;
    for (int64_t i = clampi(in[1][0]); i < clampi(in[2][0]); ++i) out.push_back(a[static_cast<size_t>(i)]);
  } else {
    out = a;  // Unsqueeze, Squeeze, Cast, Identity, Reshape of a shape vector: the same integers
  }
  set_ints(n.outputs[0], std::move(out));
  return true;
}

// Pow, Sqrt, Mul, Div, Add, Sub of one-element constants (Pow and Sqrt also of integers computed from shapes:
// Swin's head_dim ** -0.5): the number, as a scalar for the ops that read it.
bool Translator::fold_scalar(const OxNode& n) {
  static const std::set<std::string> ops = {"Pow", "Sqrt", "Mul", "Div", "Add", "Sub"};
  if (!ops.count(n.op) || n.inputs.size() != (n.op == "Sqrt" ? 1u : 2u)) return false;
  double v[2] = {0, 0};
  const bool real = n.op == "Pow" || n.op == "Sqrt";  // real results: integers from shapes may go in
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    auto f = folded_.find(n.inputs[i]);
    if (f != folded_.end() && real && f->second.size() == 1) {
      v[i] = static_cast<double>(f->second[0]);
    } else if (f != folded_.end() || !scalar(n.inputs[i], v[i])) {
      return false;
    }
  }
  const double a = v[0], b = v[1];
  if (n.op == "Div" && b == 0) fail(n, "division by zero");
  scalars_[n.outputs[0]] = n.op == "Pow"    ? std::pow(a, b)
                           : n.op == "Sqrt" ? std::sqrt(a)
                           : n.op == "Mul"  ? a * b
                           : n.op == "Div"  ? a / b
                           : n.op == "Add"  ? a + b
                                            : a - b;
  return true;
}

// A tensor computed from sizes and small constants only (Swin's shifted-window mask: ConstantOfShape, ScatterND of
// ranges, Reshape, Transpose, Unsqueeze, Sub, Equal, Where, ...) is the same at every run: as in the TorchScript
// importer (traces/torchscript/ops_fold.cpp), it becomes a constant of its inferred shape; only its size costs where
// it meets the network's tensors. Needs the first input so computed or folded (or a ConstantOfShape, which starts
// the computation), the others too or small constants, and every output's shape inferred. (An Expand of a learned
// constant, ViT's class token, is not computed from sizes: op_expand.)
bool Translator::fold_computed(const OxNode& n) {
  if (!n.domain.empty() || n.outputs.empty() || n.op == "Identity" || n.op == "Dropout") return false;
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    const std::string& i = n.inputs[k];
    if (i.empty()) continue;
    const bool made = computed_.count(i) || folded(i) || scalars_.count(i);
    const OxTensor* c = constant_of(i);
    if (!made && (k == 0 ? n.op != "ConstantOfShape" : !(c && c->has_values))) return false;
  }
  for (const std::string& o : n.outputs) {
    if (!o.empty() && !fully_known(m_.shapes, o)) return false;
  }
  for (const std::string& o : n.outputs) computed_.insert(o);
  return true;
}

bool Translator::folded(const std::string& name) const {
  const std::string suffix = kFoldedSuffix;
  return folded_.count(name) ||
         (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
}

std::vector<int64_t> Translator::folded_dims(const std::string& name) const {
  auto d = folded_dims_.find(name);
  if (d != folded_dims_.end()) return d->second;
  auto f = folded_.find(name);
  return {f == folded_.end() ? 0 : static_cast<int64_t>(f->second.size())};
}

// Reshape, Transpose and Slice of integer values of rank 1 or 2, as the exporter turns F.pad's [left, right, top,
// bottom, ...] into ONNX pads: Reshape to [-1, 2], Slice with step -1 on axis 0, Transpose, Reshape to [-1].
bool Translator::fold_matrix(const OxNode& n, const std::vector<std::vector<int64_t>>& in) {
  const std::vector<int64_t>& a = in[0];
  const std::vector<int64_t> dims = folded_dims(n.inputs[0]);
  std::vector<int64_t> out, out_dims;
  if (n.op == "Reshape") {
    out_dims = in[1];
    int64_t known = 1, free = -1;
    for (size_t i = 0; i < out_dims.size(); ++i) {
      if (out_dims[i] == 0 && i < dims.size()) out_dims[i] = dims[i];
      if (out_dims[i] == -1) free = static_cast<int64_t>(i);
      if (out_dims[i] > 0) known *= out_dims[i];
    }
    if (free >= 0 && known > 0) out_dims[static_cast<size_t>(free)] = static_cast<int64_t>(a.size()) / known;
    int64_t count = 1;
    for (int64_t d : out_dims) count *= d;
    if (count != static_cast<int64_t>(a.size())) return false;
    out = a;
  } else if (dims.size() == 1) {  // Transpose of a vector: itself; Slice of a vector: handled by fold()
    if (n.op != "Transpose") return false;
    out = a;
    out_dims = dims;
  } else if (dims.size() == 2 && n.op == "Transpose") {
    const std::vector<int64_t> perm = ints_attr(n, "perm", {1, 0});
    if (perm != std::vector<int64_t>{1, 0} && perm != std::vector<int64_t>{0, 1}) return false;
    const bool swap = perm[0] == 1;
    out_dims = swap ? std::vector<int64_t>{dims[1], dims[0]} : dims;
    for (int64_t i = 0; i < out_dims[0]; ++i) {
      for (int64_t j = 0; j < out_dims[1]; ++j)
        out.push_back(a[static_cast<size_t>(swap ? j * dims[1] + i : i * dims[1] + j)]);
    }
  } else if (dims.size() == 2) {  // Slice(x, starts, ends, axes, steps)
    std::vector<std::vector<int64_t>> keep(2);
    for (int64_t i = 0; i < dims[0]; ++i) keep[0].push_back(i);
    for (int64_t j = 0; j < dims[1]; ++j) keep[1].push_back(j);
    const size_t count = in.size() > 1 ? in[1].size() : 0;
    for (size_t k = 0; k < count; ++k) {
      if (in.size() < 3 || in[2].size() != count) return false;
      int64_t axis = in.size() > 3 && in[3].size() == count ? in[3][k] : static_cast<int64_t>(k);
      if (axis < 0) axis += 2;
      const int64_t step = in.size() > 4 && in[4].size() == count ? in[4][k] : 1;
      if (axis < 0 || axis > 1 || step == 0) return false;
      const int64_t d = dims[static_cast<size_t>(axis)];
      int64_t b = in[1][k], e = in[2][k];
      if (b < 0) b += d;
      if (e < 0) e += d;
      b = step > 0 ? std::clamp<int64_t>(b, 0, d) : std::clamp<int64_t>(b, -1, d - 1);
      e = step > 0 ? std::clamp<int64_t>(e, 0, d) : std::clamp<int64_t>(e, -1, d - 1);
      std::vector<int64_t> picked;
      for (int64_t i = b; step > 0 ? i < e : i > e; i += step) picked.push_back(i);
      keep[static_cast<size_t>(axis)] = picked;
    }
    for (int64_t i : keep[0]) {
      for (int64_t j : keep[1]) out.push_back(a[static_cast<size_t>(i * dims[1] + j)]);
    }
    out_dims = {static_cast<int64_t>(keep[0].size()), static_cast<int64_t>(keep[1].size())};
  } else {
    return false;
  }
  if (out_dims.size() > 1) folded_dims_[n.outputs[0]] = out_dims;
  set_ints(n.outputs[0], std::move(out));
  return true;
}

// ConstantOfShape(shape) of a one-dimensional shape (or a scalar) and a small count: its `value` (0 by default)
// repeated.
bool Translator::fold_constant_of_shape(const OxNode& n, const std::vector<int64_t>& dims) {
  const OxTensor* in = constant_of(n.inputs[0]);
  if (dims.size() > 1 || (in && in->dims.size() > 1)) return false;
  const int64_t count = dims.empty() ? 1 : dims[0];
  if (count < 0 || count > kMaxConstantValues) return false;
  double value = 0;
  auto v = n.attrs.find("value");
  if (v != n.attrs.end()) {
    if (v->second.type != OxAttr::Type::kTensor || !v->second.t.has_values || v->second.t.values.size() != 1) {
      return false;
    }
    value = v->second.t.values[0];
  }
  if (value != std::floor(value)) return false;
  set_ints(n.outputs[0], std::vector<int64_t>(static_cast<size_t>(count), static_cast<int64_t>(value)));
  return true;
}

ts::TsGraph translate(const OxModel& m, const std::string& path, int64_t batch) {
  return Translator(m, path, batch).run();
}

}  // namespace rp::traces::onnx
