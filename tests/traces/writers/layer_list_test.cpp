// The layer-list network file (traces/zoo/layer_list.h): network_yaml's text reads back as the same IR, at the
// batch it was written at and, by the batch rule, at any other.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "accel_models/common/registry.h"
#include "accel_models/simulate.h"
#include "simulator/error.h"
#include "traces/writers/network_text.h"
#include "traces/zoo/zoo.h"

using namespace rp::traces;

namespace {

// A file in this process's scratch directory, removed with it at the end of the test case.
struct Scratch {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("rp-layer-list-" + std::to_string(getpid()));
  Scratch() { std::filesystem::create_directories(dir); }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = (dir / name).string();
    std::ofstream f(path);
    f << text;
    REQUIRE(f.good());
    return path;
  }
};

BuildOptions at(int64_t batch) {
  BuildOptions o;
  o.batch = batch;
  return o;
}

// Every layer equal: name, kind, inputs, shape, group and the derived counts.
void check_same(const Network& a, const Network& b) {
  REQUIRE(a.size() == b.size());
  for (int i = 0; i < a.size(); ++i) {
    const Layer &x = a.layer(i), &y = b.layer(i);
    INFO("layer " << x.name);
    CHECK(x.name == y.name);
    CHECK(x.kind == y.kind);
    CHECK(x.inputs == y.inputs);
    CHECK(x.output == y.output);
    CHECK(x.group == y.group);
    CHECK(x.macs == y.macs);
    CHECK(x.params == y.params);
  }
  CHECK(a.macs() == b.macs());
  CHECK(a.params() == b.params());
}

// A small transformer block by hand, every new op of the IR: ids (B, 1, 5, 1) -> embedding 16 x 8, a position
// constant, layer norm, q / k / v projections split into 2 heads of 4, attention, merge, GELU MLP, a relayout.
Network tiny_transformer(int64_t batch) {
  Network n("tiny-tx", DType::kF32);
  const int ids = n.add_input("ids", {batch, 1, 5, 1});
  const int emb = n.add_embedding("emb", ids, 16, 8);
  const int pos = n.add_constant("pos", {1, 1, 5, 8});
  n.set_group("block.0");
  const int x = n.add_add("x", emb, pos);
  const int ln = n.add_layer_norm("ln", x);
  auto heads = [&](const std::string& name) {
    const int d = n.add_dense(name, ln, 8);
    const int r = n.add_reshape(name + ".split", d, {batch, 5, 2, 4});
    return n.add_permute(name + ".heads", r, {0, 2, 1, 3});
  };
  const int att = n.add_attention("att", heads("q"), heads("k"), heads("v"), true);
  const int merged = n.add_permute("merge", att, {0, 2, 1, 3});
  const int flat = n.add_reshape("flat", merged, {batch, 1, 5, 8});
  const int fc = n.add_dense("fc", flat, 32);
  const int act = n.add_activation("gelu", fc, Act::kGELU);
  const int back = n.add_dense("proj", act, 8);
  n.add_relayout("relayout", back, {batch, 1, 8, 5});
  return n;
}

}  // namespace

TEST_CASE("every zoo network reads back from its layer list as the same IR", "[layer_list]") {
  const Scratch tmp;
  for (const auto& e : zoo()) {
    INFO(e.name);
    const Network net = build_model(e.name, at(2));
    const std::string file = tmp.write(e.name + ".yaml", network_yaml(net));
    check_same(build_model(file, at(2)), net);
  }
}

TEST_CASE("a layer list rescales to another batch exactly as the model built at that batch", "[layer_list]") {
  const Scratch tmp;
  const std::string file = tmp.write("resnet-50-b1.yaml", network_yaml(build_model("resnet-50", at(1))));
  const Network eight = build_model(file, at(8));
  check_same(eight, build_model("resnet-50", at(8)));
  // MACs are linear in the batch: 8 x the batch-1 total.
  CHECK(eight.macs() == 8 * build_model("resnet-50", at(1)).macs());

  const std::string tx = tmp.write("tiny-tx.yaml", network_yaml(tiny_transformer(1)));
  const Network three = build_model(tx, at(3));
  check_same(three, tiny_transformer(3));
  // By hand at batch 3: q, k, v 3 x 5 x 8 x 8 = 960 each; attention B H Sq Skv (D + Dv) = 3 x 2 x 5 x 5 x 8 = 1200;
  // fc 3 x 5 x 8 x 32 = 3840; proj 3 x 5 x 32 x 8 = 3840. Sum 3 x 960 + 1200 + 3840 + 3840 = 11760.
  CHECK(three.macs() == 11760);
  // Params: embedding 16 x 8 = 128, pos 40, layer norm 16, q / k / v 3 x (64 + 8) = 216, fc 8 x 32 + 32 = 288,
  // proj 32 x 8 + 8 = 264. Sum 952, whatever the batch.
  CHECK(three.params() == 952);
}

TEST_CASE("a layer list simulates to the same latency as the network it was written from", "[layer_list]") {
  const Scratch tmp;
  const auto acc = rp::accel::make_accelerator("tpuv3", {});
  BuildOptions o = at(4);
  o.dtype = acc->info().precision;
  const Network net = build_model("mobilenet-v2", o);
  const std::string file = tmp.write("mobilenet-v2.yaml", network_yaml(net));
  CHECK(rp::accel::simulate(build_model(file, o), *acc).latency_ms == rp::accel::simulate(net, *acc).latency_ms);
}

TEST_CASE("a bad layer list names the file, the layer and the key", "[layer_list]") {
  const Scratch tmp;
  const std::string good = network_yaml(tiny_transformer(1));
  auto error_of = [&tmp](const std::string& name, const std::string& text, BuildOptions o = BuildOptions{}) {
    try {
      build_model(tmp.write(name, text), o);
    } catch (const rp::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string edited = good;
  edited.replace(edited.find("units: 32"), 9, "units: 33");
  CHECK_THAT(error_of("edited.yaml", edited), Catch::Contains("edited.yaml:") &&
                                                  Catch::Contains("key 'layers.fc.output_shape': the file says") &&
                                                  Catch::Contains("as built has 1x1x5x33"));
  std::string unknown = good;
  unknown.replace(unknown.find("causal"), 6, "casual");
  CHECK_THAT(error_of("unknown.yaml", unknown),
             Catch::Contains("unknown key 'layers.att.casual'") && Catch::Contains("did you mean"));
  std::string kind = good;
  kind.replace(kind.find("kind: layer_norm"), 16, "kind: layer_nrm ");
  CHECK_THAT(error_of("kind.yaml", kind),
             Catch::Contains("key 'layers.ln.kind': unknown layer kind 'layer_nrm'") && Catch::Contains("layer_norm"));
  BuildOptions r;
  r.resolution = 160;
  const std::string cnn = network_yaml(build_model("mnasnet-a1", at(1)));
  CHECK_THAT(error_of("res.yaml", cnn, r),
             Catch::Contains("res.yaml: resolution 160 asked, but a layer list is fixed"));
}

TEST_CASE("a constant derived from fewer learned parameters keeps its count through a layer list", "[layer_list]") {
  // A Swin-style block by hand: scores (1, 2, 4, 4) plus a gathered position bias (1, 2, 4, 4) = 32 elements held,
  // derived from a 2 x 9 = 18-element table (learned 18), plus a mask (1, 1, 4, 4) computed from sizes (learned 0),
  // plus a learned layer scale (1, 1, 1, 4), all 4 elements learned. Params 18 + 0 + 4 = 22; weights held in memory
  // 32 + 16 + 4 = 52 elements (f32: 208 bytes).
  Network n("derived", DType::kF32);
  const int x = n.add_input("x", {1, 2, 4, 4});
  const int bias = n.add_constant("bias", {1, 2, 4, 4}, 18);
  const int mask = n.add_constant("mask", {1, 1, 4, 4}, 0);
  const int scale = n.add_constant("scale", {1, 1, 1, 4});
  n.add_mul("scaled", n.add_add("masked", n.add_add("biased", x, bias), mask), scale);
  CHECK(n.params() == 22);
  CHECK(n.weight_bytes() == 208);
  const Scratch tmp;
  const std::string text = network_yaml(n);
  CHECK(text.find("learned: 18") != std::string::npos);
  CHECK(text.find("learned: 0") != std::string::npos);
  const Network back = build_model(tmp.write("derived.yaml", text), at(1));
  check_same(back, n);
  CHECK(back.layer(back.find("bias")).learned == 18);
  CHECK(back.layer(back.find("scale")).learned == -1);
  CHECK(back.weight_bytes() == 208);
  // More learned parameters than elements is refused, naming the key.
  std::string bad = text;
  bad.replace(bad.find("learned: 18"), 11, "learned: 33");
  CHECK_THROWS_WITH(build_model(tmp.write("bad.yaml", bad), at(1)),
                    Catch::Contains("bad.yaml:") && Catch::Contains("learned"));
}
