// The only translation unit of Ridgepoint's importer that includes LibTorch (its headers are slow to compile).
#include "traces/torchscript/ts_loader.h"

#include <ATen/Parallel.h>
#include <torch/csrc/jit/ir/alias_analysis.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/passes/remove_mutation.h>
#include <torch/script.h>

#include <filesystem>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "simulator/error.h"
#include "traces/torchscript/child_call.h"

namespace rp::traces::ts {
namespace {

namespace tj = torch::jit;

std::string shape_str(const std::vector<int64_t>& s) {
  std::string out;
  for (int64_t d : s) out += (out.empty() ? "" : "x") + std::to_string(d);
  return out;
}

// The learned parameters behind each constant tensor of a graph: a parameter is its own, a tensor evaluated at load
// from constants (fold_constants) has the union of its inputs' (Swin V2's position-bias MLP applied to its
// coordinate table: the MLP's weights; a bias table gathered per window: the table's). Keyed by TensorImpl, whose
// tensors `alive` keeps from being freed (and their addresses reused) while the map is in use.
struct Provenance {
  std::unordered_map<const c10::TensorImpl*, std::set<size_t>> sources;  // indices into `sizes`
  std::vector<int64_t> sizes;                                            // elements of each parameter
  std::vector<at::Tensor> alive;

  int64_t learned(const at::Tensor& t) const {
    auto it = sources.find(t.unsafeGetTensorImpl());
    if (it == sources.end()) return 0;
    int64_t n = 0;
    for (size_t i : it->second) n += sizes[i];
    return n;
  }
  void add(const at::Tensor& t, std::set<size_t> from) {
    alive.push_back(t);
    sources[t.unsafeGetTensorImpl()].insert(from.begin(), from.end());
  }
};

// Converts a constant to the importer's value domain; weights keep only their shape (and a scalar's value).
Sym constant_sym(const c10::IValue& v, const Provenance& provenance) {
  Sym s;
  if (v.isNone()) return Sym::none();
  if (v.isBool()) return Sym::of_bool(v.toBool());
  if (v.isInt()) return Sym::of_int(v.toInt());
  if (v.isDouble()) return Sym::of_float(v.toDouble());
  if (v.isString()) {
    s.kind = Sym::Kind::kString;
    s.str = v.toStringRef();
  } else if (v.isIntList()) {
    s.kind = Sym::Kind::kInts;
    s.ints = v.toIntVector();
  } else if (v.isDoubleList()) {
    s.kind = Sym::Kind::kFloats;
    s.floats = v.toDoubleVector();
  } else if (v.isBoolList()) {
    s.kind = Sym::Kind::kInts;
    for (bool b : v.toBoolList()) s.ints.push_back(b ? 1 : 0);
  } else if (v.isTensor()) {
    const at::Tensor& t = v.toTensor();
    s.kind = Sym::Kind::kTensorConst;
    s.sizes = t.sizes().vec();
    s.learned = provenance.learned(t);
    if (t.numel() == 1) s.floats = {t.item<double>()};
  } else {
    s.kind = Sym::Kind::kOther;
  }
  return s;
}

// "layer1.0.conv1" from a traced scope ("__module.layer1/__module.layer1.0/__module.layer1.0.conv1") or, for
// scripted modules, from the inlined call stack's module instance names.
std::string module_path(tj::Node* node) {
  const std::string scope = node->scopeName();
  if (!scope.empty()) {
    std::string last = scope.substr(scope.rfind('/') + 1);
    const std::string prefix = "__module";
    if (last.rfind(prefix, 0) == 0) last = last.substr(prefix.size());
    return last.empty() || last[0] != '.' ? last : last.substr(1);
  }
  std::string path;
  if (auto cs = node->callstack()) {
    for (const auto& entry : (*cs)->vec()) {
      const auto& info = std::get<2>(entry);
      if (!info || info->instance_name().empty() || info->instance_name() == "SELF") continue;  // a method on self
      path += (path.empty() ? "" : ".") + info->instance_name();
    }
  }
  return path;
}

std::string node_text(const tj::Node* node) {
  std::ostringstream os;
  node->print(os, 0, nullptr, /*print_source_locations=*/false, /*print_attributes=*/true,
              /*print_scopes=*/false, /*print_body=*/false);
  std::string s = os.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  const size_t first = s.find_first_not_of(' ');
  return first == std::string::npos ? s : s.substr(first);
}

// Mirrors a frozen graph: one TsValue per value used, prim::Constant nodes folded into their values.
class Mirror {
 public:
  Mirror(const std::string& path, const Provenance& provenance) : path_(path), provenance_(provenance) {}

  TsGraph run(tj::Graph& graph) {
    for (tj::Value* in : graph.inputs()) {
      if (!in->type()->cast<c10::TensorType>()) continue;
      if (g_.input >= 0) throw UsageError("torchscript " + path_ + ": the model takes more than one tensor input");
      g_.input = id(in);
    }
    if (g_.input < 0) throw UsageError("torchscript " + path_ + ": the model's forward() takes no tensor input");
    g_.nodes = nodes(graph.nodes());
    for (tj::Value* v : graph.outputs()) g_.outputs.push_back(id(v));
    return std::move(g_);
  }

 private:
  std::vector<TsNode> nodes(tj::graph_node_list list) {
    std::vector<TsNode> out;
    for (tj::Node* node : list) {
      if (node->kind() == c10::prim::Constant) continue;
      TsNode n;
      n.kind = node->kind().toQualString();
      for (tj::Value* v : node->inputs()) n.inputs.push_back(id(v));
      for (tj::Value* v : node->outputs()) n.outputs.push_back(id(v));
      n.scope = module_path(node);
      n.text = node_text(node);
      for (tj::Block* b : node->blocks()) {
        TsBlock block;
        block.nodes = nodes(b->nodes());
        for (tj::Value* v : b->outputs()) block.outputs.push_back(id(v));
        n.blocks.push_back(std::move(block));
      }
      out.push_back(std::move(n));
    }
    return out;
  }

  int id(tj::Value* v) {
    auto it = ids_.find(v);
    if (it != ids_.end()) return it->second;
    TsValue tv;
    tv.name = "%" + v->debugName();
    if (v->node()->kind() == c10::prim::Constant) {
      tv.is_constant = true;
      auto iv = tj::toIValue(v);
      tv.constant = iv ? constant_sym(*iv, provenance_) : Sym::none();
    }
    const int i = static_cast<int>(g_.values.size());
    g_.values.push_back(std::move(tv));
    ids_.emplace(v, i);
    return i;
  }

  std::string path_;
  const Provenance& provenance_;
  TsGraph g_;
  std::unordered_map<const tj::Value*, int> ids_;
};

// Drops the model's own warnings (e.g. "Scripted GoogleNet always returns GoogleNetOutputs Tuple") while it runs:
// the CLI's contract is clean output, and a warning is no error.
class QuietWarnings : public c10::WarningHandler {
 public:
  void process(const c10::SourceLocation&, const std::string&, const bool) override {}
};

void collect_sizes(const c10::IValue& v, std::vector<std::vector<int64_t>>& out) {
  if (v.isTensor()) {
    out.push_back(v.toTensor().sizes().vec());
  } else if (v.isTuple()) {
    for (const auto& e : v.toTupleRef().elements()) collect_sizes(e, out);
  } else if (v.isList()) {
    for (const c10::IValue& e : v.toListRef()) collect_sizes(e, out);
  }
}

// One tensor's sizes a line ("1 10"; an empty line for a 0-dim tensor), after a first line with their count.
std::string encode_sizes(const std::vector<std::vector<int64_t>>& sizes) {
  std::ostringstream os;
  os << sizes.size() << '\n';
  for (const auto& s : sizes) {
    for (size_t i = 0; i < s.size(); ++i) os << (i ? " " : "") << s[i];
    os << '\n';
  }
  return os.str();
}

std::vector<std::vector<int64_t>> decode_sizes(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const size_t count = std::stoul(line);
  std::vector<std::vector<int64_t>> out;
  for (size_t i = 0; i < count && std::getline(in, line); ++i) {
    std::istringstream dims(line);
    out.emplace_back();
    for (int64_t d = 0; dims >> d;) out.back().push_back(d);
  }
  return out;
}

// In the child (child_call.h): forward() once on zeros of `shape`, single-threaded (fork copied no thread pool).
std::string run_forward(tj::Module& module, const std::vector<int64_t>& shape) {
  at::set_num_threads(1);
  torch::NoGradGuard no_grad;
  QuietWarnings quiet;
  c10::Warning::WarningHandlerGuard warnings(&quiet);
  std::vector<std::vector<int64_t>> sizes;
  collect_sizes(module.forward({torch::zeros(shape, shape.size() == 2 ? torch::kLong : torch::kFloat)}), sizes);
  return encode_sizes(sizes);
}

// A failure that looks like a channels-last shape given for PyTorch's channels-first one (1,224,224,3: the error
// speaks of channels and the last dimension is smaller than the second) gets the NCHW order suggested.
std::string channels_last_hint(const std::vector<int64_t>& shape, const std::string& error) {
  if (shape.size() != 4 || error.find("channels") == std::string::npos || shape[3] >= shape[1]) return "";
  std::string nchw;
  for (const int64_t d : {shape[0], shape[3], shape[1], shape[2]})
    nchw += (nchw.empty() ? "" : ",") + std::to_string(d);
  return " (--input-shape is N,C,H,W: did you mean --input-shape " + nchw + "?)";
}

// The sizes forward() returns at batch 1 (input_shape with N = 1: the batch only scales the first dimension, so
// memory and time do not grow with it), run in a child process bounded by `limits`.
std::vector<std::vector<int64_t>> probe_output_sizes(tj::Module& module, const std::string& path,
                                                     const std::vector<int64_t>& input_shape,
                                                     const ChildLimits& limits) {
  const std::string where = "torchscript " + path + ": ";
  std::vector<int64_t> one = input_shape;
  one[0] = 1;
  const ChildOutcome r = run_in_child([&] { return run_forward(module, one); }, limits);
  using Status = ChildOutcome::Status;
  if (r.status == Status::kReturned) return decode_sizes(r.text);
  if (r.status == Status::kThrew) {
    const std::string error = torch_error_line(r.text);
    throw UsageError(where + "input shape " + shape_str(input_shape) + " does not fit the model: " + error +
                     channels_last_hint(input_shape, error));
  }
  std::ostringstream limit;
  limit << limits.seconds;
  if (r.status == Status::kTimedOut) {
    throw UsageError(where + "forward() did not return within " + limit.str() + " s on a zero input of " +
                     shape_str(one) + " (the time limit of the shape check)");
  }
  throw UsageError(where + "forward() on a zero input of " + shape_str(one) + " ended the process checking it (" +
                   r.text + ")");
}

}  // namespace

std::string torch_error_line(const std::string& what) {
  static const std::regex error_line(R"(^([A-Za-z_.]*(Error|Exception)): (.*)$)");
  std::istringstream in(what);
  std::string line, first, last_error;
  while (std::getline(in, line)) {
    const size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    line = line.substr(b);
    if (first.empty()) first = line;
    std::smatch m;
    if (std::regex_match(line, m, error_line)) last_error = m[1] == "RuntimeError" ? m[3].str() : line;
  }
  return last_error.empty() ? first : last_error;
}

namespace {

// The object a chain of prim::GetAttr from the graph's `self` reads, or nullopt when `v` is not such a chain.
c10::optional<c10::IValue> attribute_of(tj::Value* v, tj::Graph& graph, const tj::Module& self) {
  if (v == graph.inputs()[0]) return self._ivalue();
  tj::Node* n = v->node();
  if (n->kind() != c10::prim::GetAttr) return c10::nullopt;
  const c10::optional<c10::IValue> owner = attribute_of(n->input(), graph, self);
  if (!owner || !owner->isObject()) return c10::nullopt;
  return owner->toObject()->getAttr(n->s(c10::attr::name));
}

// Whether the prim::GetAttr `n` reads a parameter (not a buffer) of its owner.
bool reads_parameter(tj::Node* n) {
  const c10::ClassTypePtr owner = n->input()->type()->cast<c10::ClassType>();
  if (!owner) return false;
  const c10::optional<size_t> slot = owner->findAttributeSlot(n->s(c10::attr::name));
  return slot && owner->is_parameter(*slot);
}

// Every attribute read in the graph that is not a module (after freezing with preserved parameters: the parameters,
// and buffers freezing kept beside them) becomes a constant; a parameter's is recorded as learned.
void parameters_to_constants(tj::Graph& graph, const tj::Module& self, Provenance& provenance) {
  if (graph.inputs().empty()) return;
  std::vector<tj::Node*> reads;  // in every block (a scripted model reads some inside a prim::If)
  std::function<void(tj::Block*)> collect = [&](tj::Block* block) {
    for (tj::Node* n : block->nodes()) {
      if (n->kind() == c10::prim::GetAttr && !n->output()->type()->cast<c10::ClassType>()) reads.push_back(n);
      for (tj::Block* b : n->blocks()) collect(b);
    }
  };
  collect(graph.block());
  std::unordered_map<const c10::TensorImpl*, size_t> index;
  for (tj::Node* n : reads) {
    const c10::optional<c10::IValue> v = attribute_of(n->output(), graph, self);
    if (!v) continue;
    tj::WithInsertPoint guard(n);
    if (!v->isTensor()) {  // an Optional[Tensor] parameter that is None
      if (const c10::optional<tj::Value*> c = tj::tryInsertConstant(graph, *v)) n->output()->replaceAllUsesWith(*c);
      continue;
    }
    const at::Tensor& t = v->toTensor();
    const at::Tensor value = t.detach();
    if (reads_parameter(n)) {
      auto [it, fresh] = index.emplace(t.unsafeGetTensorImpl(), provenance.sizes.size());
      if (fresh) provenance.sizes.push_back(t.numel());
      provenance.add(value, {it->second});
    }
    n->output()->replaceAllUsesWith(graph.insertConstant(value));
  }
  tj::EliminateDeadCode(graph.block());
}

bool is_constant(const tj::Value* v) { return v->node()->kind() == c10::prim::Constant; }

// Values computable from constants alone (no blocks, no side effects on the way).
std::unordered_set<const tj::Value*> constant_computable(tj::Graph& graph) {
  std::unordered_set<const tj::Value*> out;
  for (tj::Node* n : graph.nodes()) {
    if (!n->blocks().empty() || n->hasSideEffects()) continue;
    bool all = true;
    for (const tj::Value* in : n->inputs()) all = all && (is_constant(in) || out.count(in) > 0);
    if (all) out.insert(n->outputs().begin(), n->outputs().end());
  }
  return out;
}

// An aten op (or a list of values) whose inputs are all constants that nothing writes to (`inserted`: constants
// folded here, absent from `db`), and whose outputs nothing writes to either.
bool foldable(tj::Node* n, const tj::AliasDb& db, const std::unordered_set<const tj::Value*>& inserted) {
  if (!(n->kind().is_aten() || n->kind() == c10::prim::ListConstruct) || !n->blocks().empty() || n->hasSideEffects() ||
      n->outputs().empty() || n->isNondeterministic() || db.hasOutputWriters(n)) {
    return false;
  }
  for (tj::Value* in : n->inputs()) {
    if (!is_constant(in) || (inserted.count(in) == 0 && db.hasWriters(in))) return false;
  }
  return true;
}

// The learned parameters behind n's constant tensor inputs.
std::set<size_t> sources_of(tj::Node* n, const Provenance& provenance) {
  std::set<size_t> from;
  for (tj::Value* in : n->inputs()) {
    const c10::optional<c10::IValue> iv = tj::toIValue(in);
    if (!iv || !iv->isTensor()) continue;
    auto it = provenance.sources.find(iv->toTensor().unsafeGetTensorImpl());
    if (it != provenance.sources.end()) from.insert(it->second.begin(), it->second.end());
  }
  return from;
}

// Evaluates at load, with LibTorch, every op whose inputs are all constants and whose inputs and outputs nothing
// writes to (Swin V2's continuous position-bias MLP on its constant coordinate table, then the gather, sigmoid and
// scale of its output; the clamp and exp of a logit scale; a bias table gathered per window): the result is one
// constant, recorded with the learned parameters it came from. In-place ops on such values (the MLP's ReLU) are
// first made functional. Values only: nothing of the model's input is evaluated.
void fold_constants(const std::shared_ptr<tj::Graph>& graph, Provenance& provenance) {
  const std::unordered_set<const tj::Value*> computable = constant_computable(*graph);
  tj::RemoveTensorMutation(graph, [&](tj::Node* n) { return n->inputs().size() > 0 && computable.count(n->input(0)); });
  torch::NoGradGuard no_grad;
  tj::AliasDb db(graph);  // of the graph before folding: the constants inserted below are not in it
  std::unordered_set<const tj::Value*> inserted;
  const std::vector<tj::Node*> order(graph->nodes().begin(), graph->nodes().end());
  for (tj::Node* n : order) {
    if (!foldable(n, db, inserted)) continue;
    const std::set<size_t> from = sources_of(n, provenance);
    c10::optional<tj::Stack> out = tj::runNodeIfInputsAreConstant(n);
    if (!out || out->size() != n->outputs().size()) continue;
    tj::WithInsertPoint guard(n);
    std::vector<tj::Value*> values;
    for (const c10::IValue& v : *out) {
      const c10::optional<tj::Value*> c = tj::tryInsertConstant(*graph, v, c10::nullopt, n->scope());
      if (!c) break;
      values.push_back(*c);
    }
    if (values.size() != out->size()) continue;  // a value no constant holds (left unused, removed below)
    for (size_t i = 0; i < values.size(); ++i) {
      if ((*out)[i].isTensor()) provenance.add((*out)[i].toTensor(), from);
      inserted.insert(values[i]);
      n->outputs()[i]->replaceAllUsesWith(values[i]);
    }
  }
  tj::EliminateDeadCode(graph);
}

tj::Module load_module(const std::string& path) {
  const std::string where = "torchscript " + path + ": ";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw UsageError(where + "is a directory, not a model file");
  if (!std::filesystem::is_regular_file(path, ec)) throw UsageError(where + "cannot open file");
  tj::Module module;
  try {
    module = tj::load(path);
  } catch (const std::exception& e) {
    throw UsageError(where + "not a TorchScript model (" + torch_error_line(e.what()) + ")");
  }
  module.eval();
  return module;
}

}  // namespace

TsGraph load_graph(const std::string& path) {
  tj::Module module = load_module(path);
  try {
    // Parameters are kept as attributes through freezing (buffers and other attributes fold), so that what is
    // computed from them at load keeps its count of learned parameters (fold_constants).
    tj::Module frozen = tj::freeze_module(module, {}, /*freezeInterfaces=*/true, /*preserveParameters=*/true);
    std::shared_ptr<tj::Graph> graph = frozen.get_method("forward").graph();
    tj::Inline(*graph);
    Provenance provenance;
    parameters_to_constants(*graph, frozen, provenance);
    fold_constants(graph, provenance);
    tj::ConstantPropagation(graph);
    tj::EliminateDeadCode(graph);
    return Mirror(path, provenance).run(*graph);
  } catch (const c10::Error& e) {
    throw UsageError("torchscript " + path + ": cannot freeze the model (" + torch_error_line(e.what()) + ")");
  }
}

std::vector<std::vector<int64_t>> forward_sizes(const std::string& path, const std::vector<int64_t>& input_shape,
                                                const ChildLimits& limits) {
  tj::Module module = load_module(path);
  return probe_output_sizes(module, path, input_shape, limits);
}

LoadedModel load_model(const std::string& path, const std::vector<int64_t>& input_shape, const ChildLimits& limits) {
  LoadedModel out;
  out.output_sizes = forward_sizes(path, input_shape, limits);
  out.graph = load_graph(path);
  return out;
}

}  // namespace rp::traces::ts
