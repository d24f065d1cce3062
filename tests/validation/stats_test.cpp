// Validation statistics, with hand-computed expected values.
#include <catch2/catch.hpp>

#include "experiments/validation/dataset.h"
#include "experiments/validation/stats.h"

using namespace rp::validation;

TEST_CASE("relative error, MAPE and max error", "[validation]") {
  CHECK(relative_error(110, 100) == Approx(0.10));
  CHECK(relative_error(90, 100) == Approx(-0.10));
  // |0.1| + |-0.3| + |0.2| = 0.6 over 3 = 0.2.
  CHECK(mape({0.1, -0.3, 0.2}) == Approx(0.2));
  CHECK(max_abs({0.1, -0.3, 0.2}) == Approx(0.3));
}

TEST_CASE("Spearman: perfect, reversed, ties", "[validation]") {
  CHECK(spearman({1, 2, 3, 4}, {10, 20, 30, 40}) == Approx(1.0));
  CHECK(spearman({1, 2, 3, 4}, {40, 30, 20, 10}) == Approx(-1.0));
  // Ranks of {1, 2, 2, 3} are {1, 2.5, 2.5, 4}.
  CHECK(ranks({1, 2, 2, 3}) == std::vector<double>{1, 2.5, 2.5, 4});
  // One swap of neighbours in 4: d^2 sum = 2, rho = 1 - 6*2 / (4*15) = 0.8.
  CHECK(spearman({1, 2, 3, 4}, {1, 3, 2, 4}) == Approx(0.8));
}

TEST_CASE("the published measurements are carried in with their source", "[validation]") {
  const auto& rows = published_measurements();
  // The paper: 12 per accelerator (Table 3's 10 available rows + Table 4's 2 extra steps); the modern stack: 7 V100
  // rows to fit on and 2 A100 rows to predict (modern-latencies.csv).
  CHECK(rows.size() == 24 + 9 + 32);
  int tpu = 0, gpu = 0, modern = 0, predict = 0;
  for (const auto& r : rows) {
    if (!r.group.empty()) continue;  // the transformer predictions: next test
    tpu += r.accelerator == "tpuv3";
    gpu += r.accelerator == "v100";
    modern += r.accelerator == "v100-modern";
    predict += !r.fit;
    if (r.accelerator == "tpuv3" || r.accelerator == "v100") {
      CHECK((r.source == "table3" || r.source == "table4"));
      CHECK(r.batch == 128);
    }
    CHECK(r.measured_ms > 0);
  }
  CHECK(tpu == 12);
  CHECK(gpu == 12);
  CHECK(modern == 7);
  CHECK(predict == 2);
  // NVIDIA's EfficientNet-B0 AMP on V100 at batch 128: 5759 img/s -> 128 / 5759 s = 22.226 ms.
  for (const auto& r : rows) {
    if (r.accelerator == "v100-modern" && r.model == "efficientnet-b0" && r.batch == 128)
      CHECK(r.measured_ms == 22.226);
  }
  // Spot checks against the paper's Table 3: EfficientNet-X-B0 8.71 / 22.5 ms, B7 621.4 / 1471.3 ms.
  for (const auto& r : rows) {
    if (r.paper_model == "EfficientNet-X-B0" && r.accelerator == "tpuv3") CHECK(r.measured_ms == 8.71);
    if (r.paper_model == "EfficientNet-X-B0" && r.accelerator == "v100") CHECK(r.model == "efficientnet-x-b0-relu");
    if (r.paper_model == "EfficientNet-B7" && r.accelerator == "v100") CHECK(r.measured_ms == 1471.3);
  }
}

TEST_CASE("the transformer figures are predictions with their conditions", "[validation]") {
  // transformer-latencies.csv: NVIDIA DeepLearningExamples TensorFlow BERT README (commit 729963d), FP16 SQuAD v1.1
  // inference on 1x V100 16GB and 1x A100 40GB: BERT-Base and BERT-Large x sequence 128 and 384 x batch 1, 2, 4, 8
  // = 16 rows per GPU.
  int v100 = 0, a100 = 0;
  for (const auto& r : published_measurements()) {
    if (r.group != "transformers") continue;
    CHECK_FALSE(r.fit);  // never fitted on
    CHECK((r.seq_len == 128 || r.seq_len == 384));
    CHECK((r.model == "bert-base" || r.model == "bert-large"));
    CHECK((r.batch == 1 || r.batch == 2 || r.batch == 4 || r.batch == 8));
    v100 += r.accelerator == "v100-modern";
    a100 += r.accelerator == "a100-modern";
    // BERT-Large, sequence 384, batch 8 on the V100 16GB: 148.57 sentences/s -> 8 / 148.57 s = 53.847 ms.
    if (r.accelerator == "v100-modern" && r.model == "bert-large" && r.seq_len == 384 && r.batch == 8)
      CHECK(r.measured_ms == 53.847);
  }
  CHECK(v100 == 16);
  CHECK(a100 == 16);
}
