#pragma once
// The translator's state, shared by its parts: values and folding (onnx_translate.cpp), one handler per ONNX op
// (onnx_ops.cpp) and the decomposed-op patterns (onnx_patterns.cpp). Internal to traces/onnx/.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "traces/onnx/onnx_loader.h"
#include "traces/onnx/onnx_model.h"
#include "traces/torchscript/ts_graph.h"

namespace rp::traces::onnx {

class Translator;
using OxHandler = void (*)(Translator& t, const OxNode& n);

// One emitted node of a pattern before its last: `kind` over `inputs` into `output` (ids made with fresh()).
struct Step {
  std::string kind;
  std::vector<int> inputs;
  int output = -1;
};

// A pattern recognized before the walk: its last node emits `before` in order, then `kind` over `inputs` (value
// ids); the others are skipped.
struct Fused {
  std::string kind;
  std::vector<int> inputs;
  std::vector<Step> before = {};
};

class Translator {
 public:
  Translator(const OxModel& m, std::string path, int64_t batch);
  ts::TsGraph run();
  FoldedValues fold_only();  // folded_for_inference (onnx_translate.h)

  // --- values ---
  int id(const std::string& name);  // the value named `name` (a constant: its shape); "" is None
  int constant(ts::Sym s);          // a new constant value
  int fresh();                      // a new intermediate value (a list between two emitted nodes)
  // n's first output is its first input. A pattern may have named the output already: then an identity node
  // (aten::contiguous) fills that value.
  void alias(const OxNode& n);
  int none() { return constant(ts::Sym::none()); }
  int int_const(int64_t v) { return constant(ts::Sym::of_int(v)); }
  int float_const(double v) { return constant(ts::Sym::of_float(v)); }
  int bool_const(bool v) { return constant(ts::Sym::of_bool(v)); }
  int ints_const(const std::vector<int64_t>& v);
  int str_const(const std::string& s);
  void emit(const std::string& kind, std::vector<int> inputs, std::vector<int> outputs, const OxNode& n);

  // --- what is known about values ---
  const OxTensor* constant_of(const std::string& name) const;
  bool scalar(const std::string& name, double& v) const;              // a one-element constant
  bool ints(const std::string& name, std::vector<int64_t>& v) const;  // a constant or folded integer vector
  const std::vector<int64_t>* shape(const std::string& name) const;   // inferred dims at the model's own batch
  std::vector<int64_t> known_shape(const OxNode& n, size_t input);    // ... all known, or fail
  int64_t batch() const { return batch_; }
  int64_t model_batch() const { return model_batch_; }
  // `to` (a reshape target or an inferred output shape) at the simulated batch: a leading model batch on a tensor
  // that leads with the batch becomes the simulated batch.
  std::vector<int64_t> at_batch(std::vector<int64_t> to, const std::vector<int64_t>& from) const;
  void set_ints(const std::string& name, std::vector<int64_t> v) { folded_[name] = std::move(v); }
  bool folded(const std::string& name) const;  // folded here, or in an earlier round of load_onnx (kFoldedSuffix)

  // --- the graph around a node ---
  const std::vector<const OxNode*>& consumers(const std::string& name) const;
  bool single_use(const std::string& name) const;                         // one consuming input, not a graph output
  const OxNode* producer(const std::string& name, const char* op) const;  // nullptr unless `op` produced it
  bool fuse(const OxNode* last, Fused f, std::vector<const OxNode*> absorbed);  // false: a node is in another

  // --- attributes ---
  int64_t int_attr(const OxNode& n, const std::string& key, int64_t fallback) const;
  double float_attr(const OxNode& n, const std::string& key, double fallback) const;
  std::vector<int64_t> ints_attr(const OxNode& n, const std::string& key, std::vector<int64_t> fallback) const;
  std::string str_attr(const OxNode& n, const std::string& key, const std::string& fallback) const;
  int64_t opset() const { return m_.opset; }

  [[noreturn]] void fail(const OxNode& n, const std::string& what) const;
  std::string node_text(const OxNode& n) const { return n.op + " '" + n.name + "'"; }

 private:
  bool fold(const OxNode& n);  // evaluates an integer computation on shapes; true when every output is known
  bool fold_constant_of_shape(const OxNode& n, const std::vector<int64_t>& dims);
  bool fold_scalar(const OxNode& n);
  bool fold_computed(const OxNode& n);
  bool fold_matrix(const OxNode& n, const std::vector<std::vector<int64_t>>& in);
  std::vector<int64_t> folded_dims(const std::string& name) const;
  void find_patterns();

  const OxModel& m_;
  std::string path_;
  int64_t batch_;
  int64_t model_batch_;
  ts::TsGraph g_;
  std::map<std::string, int> ids_;
  std::map<std::string, std::vector<int64_t>> folded_;
  std::map<std::string, std::vector<int64_t>> folded_dims_;  // of folded values of rank 2 (others: rank 1)
  std::map<std::string, double> scalars_;                    // one-element float results on constants (d ** -0.5)
  std::set<std::string> computed_;  // tensors computed from sizes only (Swin's shift mask): constants of their shape
  std::map<std::string, std::vector<const OxNode*>> consumers_;
  std::map<std::string, const OxNode*> producers_;
  std::set<std::string> graph_outputs_;
  std::map<const OxNode*, Fused> fused_;
  std::set<const OxNode*> absorbed_;
};

// One handler per supported ONNX op type (onnx_ops.cpp).
const std::map<std::string, OxHandler>& ox_handlers();
// Recognizes the decomposed ops in the graph and registers them with t.fuse (onnx_patterns.cpp).
void find_fusions(Translator& t, const std::vector<OxNode>& nodes);

}  // namespace rp::traces::onnx
