// The only translation unit of the ONNX importer that includes ONNX's (and protobuf's) headers.
#include "traces/onnx/onnx_loader.h"

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "simulator/error.h"

namespace rp::traces::onnx {
namespace {

namespace ox = ::onnx;

// Values of a tensor's raw (little-endian) bytes as T, converted to double.
template <typename T>
std::vector<double> raw_values(const std::string& raw, int64_t count) {
  std::vector<double> out;
  if (raw.size() != static_cast<size_t>(count) * sizeof(T)) return out;
  for (int64_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, raw.data() + static_cast<size_t>(i) * sizeof(T), sizeof(T));
    out.push_back(static_cast<double>(v));
  }
  return out;
}

template <typename Field>
std::vector<double> field_values(const Field& f) {
  return std::vector<double>(f.begin(), f.end());
}

// The values of a small numeric tensor; empty when it is large, of another type, or stored elsewhere.
std::vector<double> tensor_values(const ox::TensorProto& t, int64_t count) {
  using TP = ox::TensorProto;
  if (count > kMaxConstantValues || t.data_location() == TP::EXTERNAL) return {};
  const bool raw = t.has_raw_data();
  switch (t.data_type()) {
    case TP::FLOAT:
      return raw ? raw_values<float>(t.raw_data(), count) : field_values(t.float_data());
    case TP::DOUBLE:
      return raw ? raw_values<double>(t.raw_data(), count) : field_values(t.double_data());
    case TP::INT64:
      return raw ? raw_values<int64_t>(t.raw_data(), count) : field_values(t.int64_data());
    case TP::INT32:
      return raw ? raw_values<int32_t>(t.raw_data(), count) : field_values(t.int32_data());
    default:
      return {};
  }
}

OxTensor convert(const ox::TensorProto& t) {
  OxTensor out;
  out.dims.assign(t.dims().begin(), t.dims().end());
  const int64_t count = out.elements();
  out.values = tensor_values(t, count);
  out.has_values = count >= 0 && static_cast<int64_t>(out.values.size()) == count;
  if (!out.has_values) out.values.clear();
  return out;
}

OxAttr convert(const ox::AttributeProto& a) {
  using AP = ox::AttributeProto;
  OxAttr out;
  switch (a.type()) {
    case AP::INT:
      out.type = OxAttr::Type::kInt;
      out.i = a.i();
      break;
    case AP::FLOAT:
      out.type = OxAttr::Type::kFloat;
      out.f = a.f();
      break;
    case AP::INTS:
      out.type = OxAttr::Type::kInts;
      out.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case AP::FLOATS:
      out.type = OxAttr::Type::kFloats;
      out.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case AP::STRING:
      out.type = OxAttr::Type::kString;
      out.s = a.s();
      break;
    case AP::TENSOR:
      out.type = OxAttr::Type::kTensor;
      out.t = convert(a.t());
      break;
    default:
      break;
  }
  return out;
}

// A Constant node's value as a tensor; false when it holds something else (a sparse tensor, strings).
bool constant_value(const OxNode& n, OxTensor& out) {
  for (const auto& [key, a] : n.attrs) {
    if (key == "value" && a.type == OxAttr::Type::kTensor) {
      out = a.t;
    } else if (key == "value_float" || key == "value_int") {
      out.dims = {};
      out.values = {key == "value_int" ? static_cast<double>(a.i) : a.f};
    } else if (key == "value_floats" || key == "value_ints") {
      out.values = key == "value_ints" ? std::vector<double>(a.ints.begin(), a.ints.end()) : a.floats;
      out.dims = {static_cast<int64_t>(out.values.size())};
    } else {
      return false;
    }
    out.has_values = out.has_values || key != "value";
    return true;
  }
  return false;
}

ox::ModelProto parse(const std::string& path) {
  const std::string where = "onnx " + path + ": ";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw UsageError(where + "is a directory, not a model file");
  std::ifstream in(path, std::ios::binary);
  if (!std::filesystem::is_regular_file(path, ec) || !in) throw UsageError(where + "cannot open file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) throw UsageError(where + "cannot read file");
  ox::ModelProto m;
  if (!m.ParseFromString(bytes.str()) || !m.has_graph() || m.ir_version() <= 0 || m.opset_import_size() == 0) {
    throw UsageError(where + "not an ONNX model (no ModelProto with a graph, an IR version and an opset)");
  }
  return m;
}

// Fixes the dimensions of the graph's one non-constant input; returns its name and dimensions.
std::pair<std::string, std::vector<int64_t>> fix_input(ox::GraphProto& g, const std::string& where,
                                                       int64_t resolution) {
  std::set<std::string> initializers;
  for (const auto& t : g.initializer()) initializers.insert(t.name());
  ox::ValueInfoProto* input = nullptr;
  for (auto& v : *g.mutable_input()) {
    if (initializers.count(v.name())) continue;
    if (input)
      throw UsageError(where + "the model has more than one input ('" + input->name() + "', '" + v.name() + "')");
    input = &v;
  }
  if (!input) throw UsageError(where + "the model has no input");
  if (!input->type().has_tensor_type() || !input->type().tensor_type().has_shape()) {
    throw UsageError(where + "input '" + input->name() + "' is not a tensor of known rank");
  }
  auto* shape = input->mutable_type()->mutable_tensor_type()->mutable_shape();
  std::vector<int64_t> dims;
  for (int i = 0; i < shape->dim_size(); ++i) {
    auto* d = shape->mutable_dim(i);
    if (!d->has_dim_value() || d->dim_value() < 1) {
      if (i != 0) {
        throw UsageError(where + "dimension " + std::to_string(i) + " of input '" + input->name() + "' is symbolic ('" +
                         d->dim_param() +
                         "'); only the batch (dimension 0) may be: export the "
                         "model with a fixed input shape");
      }
      d->set_dim_value(1);  // a symbolic batch: shapes are inferred at batch 1 and scaled to --batch
    }
    if (resolution > 0 && shape->dim_size() == 4 && i >= 2) d->set_dim_value(resolution);
    dims.push_back(d->dim_value());
  }
  return {input->name(), dims};
}

std::vector<int64_t> dims_of(const ox::ValueInfoProto& v) {
  std::vector<int64_t> out;
  for (const auto& d : v.type().tensor_type().shape().dim()) out.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return out;
}

void collect_shapes(const ox::GraphProto& g, OxModel& m) {
  for (const auto* list : {&g.input(), &g.value_info(), &g.output()}) {
    for (const auto& v : *list) {
      if (v.type().has_tensor_type() && v.type().tensor_type().has_shape()) m.shapes[v.name()] = dims_of(v);
    }
  }
  for (const auto& [name, t] : m.constants) m.shapes[name] = t.dims;
}

void collect_nodes(const ox::GraphProto& g, OxModel& m) {
  for (int i = 0; i < g.node_size(); ++i) {
    const ox::NodeProto& p = g.node(i);
    OxNode n;
    n.op = p.op_type();
    n.domain = p.domain() == "ai.onnx" ? "" : p.domain();
    n.name = p.name().empty() ? n.op + "_" + std::to_string(i) : p.name();
    n.inputs.assign(p.input().begin(), p.input().end());
    n.outputs.assign(p.output().begin(), p.output().end());
    for (const auto& a : p.attribute()) n.attrs[a.name()] = convert(a);
    OxTensor value;
    if (n.op == "Constant" && n.domain.empty() && n.outputs.size() == 1 && constant_value(n, value)) {
      m.constants[n.outputs[0]] = value;
      continue;
    }
    m.nodes.push_back(std::move(n));
  }
}

void infer(ox::ModelProto& model, const std::string& where) {
  try {
    ox::shape_inference::InferShapes(model);
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw UsageError(where + "ONNX shape inference failed: " + what);
  }
}

OxModel collect(const ox::GraphProto& g, int64_t opset, const std::string& input, const std::vector<int64_t>& dims) {
  OxModel m;
  m.opset = opset;
  m.input = input;
  m.input_dims = dims;
  for (const auto& t : g.initializer()) m.constants[t.name()] = convert(t);
  collect_nodes(g, m);
  collect_shapes(g, m);
  for (const auto& o : g.output()) m.outputs.push_back(o.name());
  return m;
}

// ONNX 1.12 infers only the rank of an Einsum's output. An explicit equation ("B G H I D, B G H J D -> B G H I J",
// no ellipsis) over inputs of known shapes gives each output label the size it has in the inputs: that shape is
// written for each such output whose shape is not fully known. True when any was written.
bool infer_einsum(ox::GraphProto& g) {
  std::map<std::string, const ox::ValueInfoProto*> infos;
  for (const auto* list : {&g.input(), &g.value_info(), &g.output()}) {
    for (const auto& v : *list) infos[v.name()] = &v;
  }
  auto known = [&](const std::string& name, std::vector<int64_t>& dims) {
    auto it = infos.find(name);
    if (it == infos.end() || !it->second->type().tensor_type().has_shape()) return false;
    dims = dims_of(*it->second);
    return std::none_of(dims.begin(), dims.end(), [](int64_t d) { return d < 0; });
  };
  std::vector<std::pair<std::string, std::vector<int64_t>>> found;
  for (const auto& node : g.node()) {
    if (node.op_type() != "Einsum" || node.output_size() != 1) continue;
    std::string eq;
    for (const auto& a : node.attribute()) {
      if (a.name() == "equation") eq = a.s();
    }
    eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
    const size_t arrow = eq.find("->");
    std::vector<int64_t> out_dims;
    if (arrow == std::string::npos || eq.find('.') != std::string::npos || known(node.output(0), out_dims)) continue;
    out_dims.clear();
    std::map<char, int64_t> size;
    std::stringstream terms(eq.substr(0, arrow));
    std::string term;
    bool ok = true;
    for (int i = 0; ok && std::getline(terms, term, ','); ++i) {
      std::vector<int64_t> dims;
      ok = i < node.input_size() && known(node.input(i), dims) && dims.size() == term.size();
      for (size_t k = 0; ok && k < term.size(); ++k) size[term[k]] = dims[k];
    }
    for (char c : eq.substr(arrow + 2)) {
      ok = ok && size.count(c);
      if (ok) out_dims.push_back(size[c]);
    }
    if (ok) found.emplace_back(node.output(0), out_dims);
  }
  for (const auto& [name, dims] : found) {
    ox::ValueInfoProto* v = nullptr;
    for (auto& info : *g.mutable_value_info()) {
      if (info.name() == name) v = &info;
    }
    if (!v) v = g.add_value_info();
    v->set_name(name);
    auto* shape = v->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (int64_t d : dims) shape->add_dim()->set_dim_value(d);
    if (!v->type().tensor_type().has_elem_type())
      v->mutable_type()->mutable_tensor_type()->set_elem_type(ox::TensorProto::FLOAT);
  }
  return !found.empty();
}

// Each folded value becomes an int64 initializer under a new name, read by the nodes that read the value.
void bake(ox::GraphProto& g, const FoldedValues& folded) {
  g.clear_value_info();  // inferred again from scratch
  std::map<std::string, std::string> renamed;
  for (const auto& [name, t] : folded) {
    ox::TensorProto* init = g.add_initializer();
    init->set_name(name + kFoldedSuffix);
    init->set_data_type(ox::TensorProto::INT64);
    for (int64_t d : t.dims) init->add_dims(d);
    for (double v : t.values) init->add_int64_data(static_cast<int64_t>(v));
    renamed[name] = init->name();
  }
  for (auto& node : *g.mutable_node()) {
    for (int i = 0; i < node.input_size(); ++i) {
      auto it = renamed.find(node.input(i));
      if (it != renamed.end()) node.set_input(i, it->second);
    }
  }
}

}  // namespace

int64_t OxTensor::elements() const {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return -1;
  }
  return n;
}

OxModel load_onnx(const std::string& path, int64_t resolution) { return load_onnx(path, resolution, Folder()); }

OxModel load_onnx(const std::string& path, int64_t resolution, const Folder& fold) {
  const std::string where = "onnx " + path + ": ";
  ox::ModelProto model = parse(path);
  int64_t opset = 0;
  for (const auto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  }
  auto [input, dims] = fix_input(*model.mutable_graph(), where, resolution);
  constexpr int kMaxRounds = 64;  // swin_t takes 28 (docs/imports.md); each round is one shape inference
  for (int round = 0;; ++round) {
    if (round == kMaxRounds) {
      throw UsageError(where + "shapes still unknown after " + std::to_string(kMaxRounds) +
                       " rounds of shape inference and folding (a limit of the importer)");
    }
    infer(model, where);
    if (infer_einsum(*model.mutable_graph())) continue;
    OxModel m = collect(model.graph(), opset, input, dims);
    const FoldedValues folded = fold ? fold(m) : FoldedValues();
    if (folded.empty()) return m;
    bake(*model.mutable_graph(), folded);
  }
}

}  // namespace rp::traces::onnx
