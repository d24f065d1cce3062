// libFuzzer harness: the TorchScript graph walker's shape propagation (traces/torchscript/walker.h). Loading a
// .pt file needs LibTorch and takes a second, so the harness starts where the loader ends: the bytes describe a
// torch-free graph mirror (ts_graph.h) with the invariants ts_loader.cpp guarantees (every input index names an
// existing value, nodes in order, constants folded into values), built from the importer's op vocabulary with
// constants of realistic size; the walker maps it into the network IR. A thrown rp::UsageError (unsupported op,
// bad argument, shapes that do not fit) is the documented outcome; anything else (a crash, another exception, a
// sanitizer report) is a finding.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "simulator/error.h"
#include "traces/network/network.h"
#include "traces/torchscript/walker.h"

namespace {

using rp::traces::ts::Sym;
using rp::traces::ts::TsBlock;
using rp::traces::ts::TsGraph;
using rp::traces::ts::TsNode;
using rp::traces::ts::TsValue;

// The importer's op table (op_table.cpp and ops_*.cpp), plus one op it does not support.
const char* const kOps[] = {"aten::_convolution",
                            "aten::convolution",
                            "aten::conv2d",
                            "aten::linear",
                            "aten::addmm",
                            "aten::matmul",
                            "aten::mm",
                            "aten::batch_norm",
                            "aten::relu",
                            "aten::relu_",
                            "aten::relu6",
                            "aten::silu",
                            "aten::hardswish",
                            "aten::sigmoid",
                            "aten::hardsigmoid",
                            "aten::hardtanh",
                            "aten::clamp",
                            "aten::add",
                            "aten::add_",
                            "aten::mul",
                            "aten::mul_",
                            "aten::dropout",
                            "aten::contiguous",
                            "aten::max_pool2d",
                            "aten::avg_pool2d",
                            "aten::adaptive_avg_pool2d",
                            "aten::mean",
                            "aten::view",
                            "aten::reshape",
                            "aten::flatten",
                            "aten::transpose",
                            "aten::cat",
                            "aten::chunk",
                            "aten::split",
                            "aten::split_with_sizes",
                            "prim::ListConstruct",
                            "prim::TupleConstruct",
                            "prim::ListUnpack",
                            "prim::TupleUnpack",
                            "aten::__getitem__",
                            "aten::append",
                            "aten::size",
                            "aten::dim",
                            "prim::NumToTensor",
                            "aten::Int",
                            "aten::Float",
                            "aten::sub",
                            "aten::div",
                            "aten::floordiv",
                            "aten::remainder",
                            "prim::If",
                            "prim::RaiseException",
                            "aten::gt",
                            "aten::lt",
                            "aten::eq",
                            "aten::ne",
                            "aten::__not__",
                            "aten::__is__",
                            "aten::__isnot__",
                            "aten::len",
                            "prim::unchecked_cast",
                            "aten::warn",
                            "prim::Uninitialized",
                            "aten::lstm"};
const char* const kScopes[] = {"", "features.0", "layer1.0.conv1", "layer1.0", "features.2.1.block.0.0", "fc"};
const double kFloats[] = {0.0, 1.0, -1.0, 0.5, 6.0, 1e-5, 3.0};

class GraphBuilder {
 public:
  explicit GraphBuilder(FuzzedDataProvider& in) : in_(in) {}

  TsGraph build() {
    g_.values.push_back({"%x", false, {}});
    g_.input = 0;
    g_.nodes = nodes(0);
    const size_t outputs = in_.ConsumeIntegralInRange<size_t>(1, 2);
    for (size_t i = 0; i < outputs; ++i) g_.outputs.push_back(pick());
    return std::move(g_);
  }

 private:
  int pick() { return in_.ConsumeIntegralInRange<int>(0, static_cast<int>(g_.values.size()) - 1); }

  void constant() {
    Sym s;
    switch (in_.ConsumeIntegralInRange<int>(0, 6)) {
      case 0:
        s = Sym::of_int(in_.ConsumeIntegralInRange<int64_t>(-4, 300));
        break;
      case 1:
        s = Sym::of_float(in_.PickValueInArray(kFloats));
        break;
      case 2:
        s = Sym::of_bool(in_.ConsumeBool());
        break;
      case 3:
        s = Sym::none();
        break;
      case 4:
        s.kind = Sym::Kind::kInts;
        for (size_t n = in_.ConsumeIntegralInRange<size_t>(0, 4); n > 0; --n) {
          s.ints.push_back(in_.ConsumeIntegralInRange<int64_t>(-2, 64));
        }
        break;
      case 5:  // a weight: its sizes; a one-element tensor keeps its value
        s.kind = Sym::Kind::kTensorConst;
        for (size_t n = in_.ConsumeIntegralInRange<size_t>(0, 4); n > 0; --n) {
          s.sizes.push_back(in_.ConsumeIntegralInRange<int64_t>(1, 256));
        }
        if (s.sizes.empty() || (s.sizes.size() == 1 && s.sizes[0] == 1)) s.floats = {in_.PickValueInArray(kFloats)};
        break;
      default:
        s.kind = Sym::Kind::kString;
        s.str = in_.ConsumeBool() ? "zeros" : "input too small";
        break;
    }
    g_.values.push_back({"%c" + std::to_string(g_.values.size()), true, s});
  }

  TsNode node(int depth) {
    TsNode n;
    n.kind = in_.PickValueInArray(kOps);
    n.scope = in_.PickValueInArray(kScopes);
    for (size_t i = in_.ConsumeIntegralInRange<size_t>(0, 5); i > 0; --i) n.inputs.push_back(pick());
    if (n.kind == "prim::If" && depth < 2) {
      for (int b = 0; b < 2; ++b) {
        TsBlock block;
        block.nodes = nodes(depth + 1);
        for (size_t i = in_.ConsumeIntegralInRange<size_t>(0, 2); i > 0; --i) block.outputs.push_back(pick());
        n.blocks.push_back(std::move(block));
      }
    }
    for (size_t i = in_.ConsumeIntegralInRange<size_t>(0, 3); i > 0; --i) {
      n.outputs.push_back(static_cast<int>(g_.values.size()));
      g_.values.push_back({"%v" + std::to_string(g_.values.size()), false, {}});
    }
    n.text = n.kind + "(...)";
    return n;
  }

  std::vector<TsNode> nodes(int depth) {
    std::vector<TsNode> out;
    const size_t count = in_.ConsumeIntegralInRange<size_t>(0, depth == 0 ? 48 : 4);
    while (out.size() < count && in_.remaining_bytes() > 0) {
      if (in_.ConsumeIntegralInRange<int>(0, 3) == 0) {
        constant();
      } else {
        out.push_back(node(depth));
      }
    }
    return out;
  }

  FuzzedDataProvider& in_;
  TsGraph g_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const int64_t n = in.ConsumeIntegralInRange<int64_t>(1, 4), c = in.ConsumeIntegralInRange<int64_t>(1, 64);
  const int64_t h = in.ConsumeIntegralInRange<int64_t>(1, 64), w = in.ConsumeIntegralInRange<int64_t>(1, 64);
  const TsGraph graph = GraphBuilder(in).build();
  rp::traces::Network net("fuzz", rp::traces::DType::kF32);
  try {
    const int input = net.add_input("input", {n, h, w, c});
    rp::traces::ts::Walker walker(graph, net, "fuzz.pt");
    walker.run(input);
    for (int v : graph.outputs) rp::traces::ts::torch_sizes(walker, walker.value(v));
    volatile int64_t sink = net.macs() + net.params() + net.activation_bytes();
    (void)sink;
  } catch (const rp::UsageError&) {}
  return 0;
}
