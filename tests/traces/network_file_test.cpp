// YAML network files.
#include <catch2/catch.hpp>

#include "simulator/error.h"
#include "traces/zoo/zoo.h"

using namespace rp::traces;

namespace {

std::string data(const std::string& f) { return std::string(RP_SOURCE_DIR) + "/tests/data/" + f; }

std::string error_of(const std::string& file) {
  try {
    build_model(file, BuildOptions{});
  } catch (const rp::UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("a network file of B0's block strings equals the zoo's efficientnet-b0", "[network_file]") {
  BuildOptions o;
  o.batch = 3;
  const Network file = build_model(data("b0-blocks.yaml"), o);
  const Network zoo_b0 = build_model("efficientnet-b0", o);
  CHECK(file.name() == "b0-from-file");
  CHECK(file.macs() == zoo_b0.macs());
  CHECK(file.params() == zoo_b0.params());
  CHECK(file.size() == zoo_b0.size());
  o.resolution = 160;
  CHECK(build_model(data("b0-blocks.yaml"), o).resolution() == 160);
}

TEST_CASE("a missing key names the file, the line and the key", "[network_file]") {
  const std::string msg = error_of(data("missing-head-classes.yaml"));
  CHECK_THAT(msg, Catch::Contains("missing-head-classes.yaml:7"));
  CHECK_THAT(msg, Catch::Contains("'head.classes'"));
}

TEST_CASE("a bad block string in a file names the file and the token", "[network_file]") {
  const std::string msg = error_of(data("bad-block.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad-block.yaml"));
  CHECK_THAT(msg, Catch::Contains("bad token 'zz9'"));
}

TEST_CASE("a missing file is a clear error", "[network_file]") {
  CHECK_THAT(error_of(data("nope.yaml")), Catch::Contains("nope.yaml: cannot open file"));
}

TEST_CASE("a transformer network file with bert-base's dims equals the zoo's bert-base", "[network_file]") {
  BuildOptions o;
  o.batch = 2;
  const Network file = build_model(data("bert-base-transformer.yaml"), o);
  const Network zoo_bert = build_model("bert-base", o);
  CHECK(file.name() == "bert-base-from-file");
  CHECK(file.params() == zoo_bert.params());
  CHECK(file.macs() == zoo_bert.macs());
  CHECK(file.size() == zoo_bert.size());
  CHECK(file.seq_len() == 128);
  o.seq_len = 384;  // --seq-len overrides the file's seq_len as it does the zoo's default
  CHECK(build_model(data("bert-base-transformer.yaml"), o).macs() == build_model("bert-base", o).macs());
}

TEST_CASE("a vision transformer network file follows its resolution", "[network_file]") {
  const Network n = build_model(data("vit-tiny-transformer.yaml"), BuildOptions{});
  // 32 / 8 = 4 -> 16 patches + class token = 17 tokens of width 64; 10 classes.
  CHECK(n.layer(n.find("embeddings/add_position")).output == Shape{1, 1, 17, 64});
  CHECK(n.layers().back().output == Shape{1, 1, 1, 10});
}

TEST_CASE("transformer file errors name the file and the key", "[network_file]") {
  const std::string dir = std::string(RP_SOURCE_DIR) + "/tests/bad_inputs/inputs/";
  auto err = [&](const std::string& f) { return error_of(dir + f); };
  CHECK_THAT(err("net-transformer-heads-huge.yaml"),
             Catch::Contains("net-transformer-heads-huge.yaml:4: key 'transformer.heads': must be in [1, 1024]"));
  CHECK_THAT(err("net-transformer-norm-bad.yaml"), Catch::Contains("'transformer.norm': expected pre or post"));
  CHECK_THAT(err("net-transformer-no-seq-len.yaml"), Catch::Contains("missing required key 'seq_len'"));
}
