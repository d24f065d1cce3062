// Validation statistics, with hand-computed expected values.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "experiments/validation/calibrate.h"
#include "experiments/validation/dataset.h"
#include "experiments/validation/stats.h"
#include "experiments/validation/validate.h"

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

TEST_CASE("the corpus is carried in with its sources, families and uses", "[validation]") {
  const auto& rows = published_measurements();
  // corpus.csv: Li et al. Tables 3-4, 12 rows per accelerator (Table 3's 10 available rows + Table 4's 2 extra
  // steps) on tpuv3 and v100; v100-modern: 7 fit rows (PyTorch EfficientNet-B0 bs64/128/256, B4 bs128/256, TF
  // ResNet-50 bs64/128) + 14 held-out (PyTorch B4 bs64; PyTorch ResNet-50, ResNeXt-101, SE-ResNeXt-101 at bs64/128/256;
  // TF ResNeXt-101, SE-ResNeXt-101 at bs64/128); A100 predictions: a100-80gb-modern 8 (the 80 GB part: PyTorch B0,
  // B4 at bs64/128/256; TF2 B0 bs1024, B4 bs128), a100-modern 9 (40 GB: TF ResNet-50, ResNeXt-101, SE-ResNeXt-101 at
  // bs64/128/256); BERT: 16 per GPU (V100 16 GB, A100 40 GB); MLPerf Inference v0.5: 1 held-out tpuv3 row; pycls's
  // timing table: 36 held-out v100-modern rows in fp32 (ResNet-50/101/152, ResNeXt-50/101/152, RegNetX and RegNetY
  // 200MF..32GF (12 each), EfficientNet-B0..B5).
  // TensorFlow ConvNets READMEs' AMP tables whole (V100 16G, A100 40GB; ResNet-50 v1.5, ResNeXt-101 32x4d,
  // SE-ResNeXt-101 32x4d; with and without XLA): 104 figures, 15 of them above, so 89 more rows: V100 44 held-out
  // (no XLA: ResNet-50 bs1-32 and 256, ResNeXt and SE-ResNeXt bs1-32, 6 + 1 + 6 + 6; XLA: 9 + 8 + 8), A100 45
  // predictions (no XLA: 6 + 6 + 6 at bs1-32; XLA: 9 + 9 + 9).
  // The PyTorch EfficientNet README's AMP tables whole: B0 and B4 at bs1-32 too, 12 held-out V100 rows and 12 A100
  // 80 GB predictions.
  CHECK(rows.size() == 24 + 21 + 17 + 32 + 1 + 36 + 89 + 24);
  std::map<std::string, int> per_use;
  std::set<std::string> sources, families;
  int tpu = 0, gpu = 0, modern = 0;
  for (const auto& r : rows) {
    sources.insert(r.source);
    families.insert(r.family);
    CHECK(r.measured_ms > 0);
    CHECK(r.fit == (r.use == "fit"));
    CHECK_FALSE(r.citation.empty());
    if (!r.group.empty()) continue;  // the transformer predictions: next test
    ++per_use[r.accelerator + " " + r.use];
    tpu += r.accelerator == "tpuv3";
    gpu += r.accelerator == "v100";
    modern += r.accelerator == "v100-modern";
    if (r.source == "mlperf-inf05-google") continue;  // checked below
    if (r.accelerator == "tpuv3" || r.accelerator == "v100") {
      CHECK((r.source == "table3" || r.source == "table4"));
      CHECK(r.batch == 128);
      CHECK(r.unit == "ms");
    }
    if (r.accelerator.rfind("a100", 0) == 0) CHECK(r.use == "predict");  // nothing is fitted on the A100
    // The part a row names is the part simulated: every "80GB" README section runs on the 80 GB config.
    CHECK((r.citation.find("a100-80gb") != std::string::npos) == (r.accelerator == "a100-80gb-modern"));
  }
  CHECK(tpu == 12 + 1);
  CHECK(gpu == 12);
  CHECK(modern == 21 + 36 + 44 + 12);
  CHECK(per_use["v100-modern fit"] == 7);
  CHECK(per_use["v100-modern held-out"] == 14 + 36 + 44 + 12);
  CHECK(per_use["a100-modern predict"] == 9 + 45);
  CHECK(per_use["a100-80gb-modern predict"] == 8 + 12);
  CHECK(families == std::set<std::string>{"depthwise", "vanilla", "grouped", "transformer"});
  CHECK(sources.size() >= 4);
  // The conversion rule, latency_ms = batch / throughput x 1000: NVIDIA's EfficientNet-B0 AMP on V100 at batch 128,
  // 5759 img/s -> 22.226 ms; ResNeXt-101 32x4d PyTorch AMP at batch 128, 1699 img/s -> 75.338 ms.
  for (const auto& r : rows) {
    if (r.accelerator == "v100-modern" && r.model == "efficientnet-b0" && r.batch == 128)
      CHECK(r.measured_ms == Approx(22.226).epsilon(1e-4));
    // EfficientNet-B0 AMP at batch 1 on V100, 62 img/s: 1 / 62 s = 16.129 ms (PyTorch README, V100 AMP table).
    if (r.paper_model == "EfficientNet-B0 AMP bs1") CHECK(r.measured_ms == Approx(16.129).epsilon(1e-4));
    if (r.paper_model == "ResNeXt-101 32x4d PyTorch AMP bs128") {
      CHECK(r.published == 1699);
      CHECK(r.unit == "img/s");
      CHECK(r.measured_ms == Approx(75.338).epsilon(1e-4));
    }
  }
  // The rows measured under XLA on a GPU, and only they, set lowering.compiled_graph: the TensorFlow ConvNets "+ XLA"
  // tables (25 V100 + 27 A100), the TensorFlow2 EfficientNet rows (2) and BERT (--use_xla; 16 + 16). The rows
  // measured with TensorFlow's executor (stack "no XLA": 25 V100 + 27 A100), and only they, set
  // lowering.graph_executor; PyTorch's rows set nothing. ResNet-50 AMP with XLA at batch 1 on the V100: 162.95 img/s
  // is 1 / 162.95 s = 6.137 ms; ResNeXt-101 32x4d AMP without XLA at batch 8 on the A100: 952.95 img/s, 8 / 952.95 s
  // = 8.395 ms (the READMEs at 729963d, as the citations say).
  int compiled = 0, executor = 0;
  for (const auto& r : rows) {
    const bool xla = r.stack.find("XLA") != std::string::npos && r.stack.find("no XLA") == std::string::npos &&
                     r.accelerator != "tpuv3";
    const bool tf_executor = r.stack.find("no XLA") != std::string::npos;
    CHECK(r.stack_set == (xla           ? std::vector<std::string>{"lowering.compiled_graph=true"}
                          : tf_executor ? std::vector<std::string>{"lowering.graph_executor=true"}
                                        : std::vector<std::string>{}));
    compiled += xla;
    executor += tf_executor;
    if (r.paper_model == "ResNet-50 v1.5 TF AMP+XLA bs1") CHECK(r.measured_ms == Approx(6.137).epsilon(1e-4));
    if (r.paper_model == "ResNeXt-101 32x4d TF AMP bs8 (A100 40 GB)")
      CHECK(r.measured_ms == Approx(8.395).epsilon(1e-4));
  }
  CHECK(compiled == 25 + 27 + 2 + 32);
  CHECK(executor == 25 + 27);
  // pycls: test_fw_time in seconds, at TEST.BATCH_SIZE / NUM_GPUS images: RegNetY-800MF 0.0365 s at 800 / 8 = 100
  // images (configs/dds_baselines/regnety/RegNetY-800MF_dds_8gpu.yaml) is 36.5 ms, simulated in fp32; every pycls
  // row is fp32 and a latency of one device.
  int pycls = 0;
  for (const auto& r : rows) {
    if (r.source != "pycls-timing") continue;
    ++pycls;
    CHECK((r.dtype == "fp32" && r.unit == "s" && r.devices == 1 && r.use == "held-out"));
    if (r.paper_model == "RegNetY-800MF fp32 bs100 (pycls)") {
      CHECK((r.published == 0.0365 && r.batch == 100 && r.model == "networks/regnety-800mf.yaml"));
      CHECK(r.measured_ms == Approx(36.5));
    }
  }
  CHECK(pycls == 36);
  // MLPerf Inference v0.5, Google's tpu-v3.8 (4 chips), ResNet-50 Offline: 32716 samples/s are 8179 per chip; a
  // chip runs 512 images at a time (256 per TensorCore), so one batch takes 512 / 8179 s = 62.599 ms.
  const auto mlperf = std::find_if(rows.begin(), rows.end(), [](const Measurement& r) { return r.devices != 1; });
  REQUIRE(mlperf != rows.end());
  CHECK(mlperf->source == "mlperf-inf05-google");
  CHECK((mlperf->published == 32716 && mlperf->devices == 4 && mlperf->batch == 512));
  CHECK((mlperf->accelerator == "tpuv3" && mlperf->family == "vanilla" && mlperf->use == "held-out"));
  CHECK(mlperf->measured_ms == Approx(62.599).epsilon(1e-4));
  // Spot checks against the paper's Table 3: EfficientNet-X-B0 8.71 / 22.5 ms, B7 621.4 / 1471.3 ms, ResNet-50's
  // I = 122.5 and E = 0.572.
  for (const auto& r : rows) {
    if (r.paper_model == "EfficientNet-X-B0" && r.accelerator == "tpuv3") CHECK(r.measured_ms == 8.71);
    if (r.paper_model == "EfficientNet-X-B0" && r.accelerator == "v100") CHECK(r.model == "efficientnet-x-b0-relu");
    if (r.paper_model == "EfficientNet-B7" && r.accelerator == "v100") CHECK(r.measured_ms == 1471.3);
    if (r.paper_model == "ResNet-50" && r.accelerator == "tpuv3") {
      CHECK(r.paper_intensity == 122.5);
      CHECK(r.paper_efficiency == 0.572);
      CHECK(r.paper_row == 3);
    }
  }
}

TEST_CASE("pycls's rows simulate the networks pycls timed: its published FLOPs and parameters", "[validation]") {
  // pycls MODEL_ZOO.md at commit 35429e8: "flops (B)" (multiply-adds, billions, one decimal) and "params (M)" per
  // model. Each row's network (a file written by export_networks.py, or the zoo's) at batch 1 must round to both:
  // a RegNet built with other widths (torchvision's float32 rounding gave RegNetX-400MF 5.5 M) fails here.
  const std::map<std::string, std::pair<double, double>> published = {
      {"RegNetX-200MF", {0.2, 2.7}},    {"RegNetX-400MF", {0.4, 5.2}},    {"RegNetX-600MF", {0.6, 6.2}},
      {"RegNetX-800MF", {0.8, 7.3}},    {"RegNetX-1.6GF", {1.6, 9.2}},    {"RegNetX-3.2GF", {3.2, 15.3}},
      {"RegNetX-4.0GF", {4.0, 22.1}},   {"RegNetX-6.4GF", {6.5, 26.2}},   {"RegNetX-8.0GF", {8.0, 39.6}},
      {"RegNetX-12GF", {12.1, 46.1}},   {"RegNetX-16GF", {15.9, 54.3}},   {"RegNetX-32GF", {31.7, 107.8}},
      {"RegNetY-200MF", {0.2, 3.2}},    {"RegNetY-400MF", {0.4, 4.3}},    {"RegNetY-600MF", {0.6, 6.1}},
      {"RegNetY-800MF", {0.8, 6.3}},    {"RegNetY-1.6GF", {1.6, 11.2}},   {"RegNetY-3.2GF", {3.2, 19.4}},
      {"RegNetY-4.0GF", {4.0, 20.6}},   {"RegNetY-6.4GF", {6.4, 30.6}},   {"RegNetY-8.0GF", {8.0, 39.2}},
      {"RegNetY-12GF", {12.1, 51.8}},   {"RegNetY-16GF", {15.9, 83.6}},   {"RegNetY-32GF", {32.3, 145.0}},
      {"ResNet-50", {4.1, 25.6}},       {"ResNet-101", {7.8, 44.5}},      {"ResNet-152", {11.5, 60.2}},
      {"ResNeXt-50", {4.2, 25.0}},      {"ResNeXt-101", {8.0, 44.2}},     {"ResNeXt-152", {11.7, 60.0}},
      {"EfficientNet-B0", {0.4, 5.3}},  {"EfficientNet-B1", {0.7, 7.8}},  {"EfficientNet-B2", {1.0, 9.1}},
      {"EfficientNet-B3", {1.8, 12.2}}, {"EfficientNet-B4", {4.4, 19.3}}, {"EfficientNet-B5", {10.3, 30.4}}};
  int checked = 0;
  rp::traces::BuildOptions o;
  o.batch = 1;
  for (const auto& r : published_measurements()) {
    if (r.source != "pycls-timing") continue;
    const std::string name = r.paper_model.substr(0, r.paper_model.find(' '));
    INFO(name);
    REQUIRE(published.count(name) == 1);
    const rp::traces::Network net = build_row_model(r, o);
    CHECK(std::round(static_cast<double>(net.macs()) / 1e8) / 10 == Approx(published.at(name).first));
    CHECK(std::round(static_cast<double>(net.params()) / 1e5) / 10 == Approx(published.at(name).second));
    ++checked;
  }
  CHECK(checked == 36);
}

TEST_CASE("a corpus row: the figure as published, its unit and use checked", "[validation]") {
  // source, citation, family, label, accelerator, model, batch, seq_len, precision, dtype, stack, published, unit,
  // devices, paper_gflops, paper_I, paper_E, use, stack_set
  std::vector<std::string> f = {"x",   "a README", "grouped", "R",    "v100-modern", "resnet-50", "64", "0",
                                "amp", "",         "PyTorch", "1600", "img/s",       "1",         "",   "",
                                "",    "held-out", ""};
  const Measurement m = parse_corpus_row(f, "corpus.csv:9");
  CHECK(m.measured_ms == Approx(40.0));  // 64 / 1600 img/s = 0.04 s
  CHECK_FALSE(m.fit);
  CHECK(m.paper_intensity == 0);
  CHECK(m.dtype.empty());
  CHECK(row_settings(m).empty());  // simulated in the accelerator's own precision
  // A system of 4 devices at 1600 img/s: 400 img/s each, so a batch of 64 takes 64 / 400 = 0.16 s on one.
  auto system = f;
  system[13] = "4";
  CHECK(parse_corpus_row(system, "corpus.csv:9").measured_ms == Approx(160.0));
  // A latency in seconds (pycls's test_fw_time), measured in fp32: 0.0121 s = 12.1 ms, simulated with
  // precision=fp32 ("float32" is the same type, named as the configs name it).
  auto seconds = f;
  seconds[12] = "s", seconds[11] = "0.0121", seconds[9] = "float32";
  const Measurement fp32 = parse_corpus_row(seconds, "corpus.csv:9");
  CHECK(fp32.measured_ms == Approx(12.1));
  CHECK(fp32.dtype == "fp32");
  CHECK(row_settings(fp32) == std::vector<std::string>{"precision=fp32"});
  // A row measured under XLA names its stack switch; it comes before the precision in the row's settings.
  auto xla = seconds;
  xla[18] = " lowering.compiled_graph=true ";
  CHECK(row_settings(parse_corpus_row(xla, "corpus.csv:9")) ==
        std::vector<std::string>{"lowering.compiled_graph=true", "precision=fp32"});
  auto bad = [&](size_t i, const std::string& v, const std::string& message) {
    auto g = f;
    g[i] = v;
    CHECK_THROWS_WITH(parse_corpus_row(g, "corpus.csv:9"), Catch::Contains("corpus.csv:9") && Catch::Contains(message));
  };
  bad(12, "fps", "unit: expected ms, s, img/s or sent/s");
  bad(17, "train", "use: expected fit, held-out or predict");
  bad(13, "0", "devices: expected a number > 0");
  bad(13, "2.5", "devices: expected a whole number of accelerators");
  bad(13, "1e300", "devices: expected a whole number of accelerators");
  bad(9, "fp12", "dtype: expected empty (the accelerator's precision), fp32, bf16, fp16 or int8, got 'fp12'");
  auto latency = f;  // a latency is one device's: it does not divide among devices
  latency[12] = "ms", latency[13] = "2";
  CHECK_THROWS_WITH(parse_corpus_row(latency, "corpus.csv:9"), Catch::Contains("a latency (ms) is one device's"));
  bad(2, "inception", "family: expected");
  bad(11, "fast", "published: expected a number > 0");
  bad(2, "transformer", "a transformer row is a prediction");
  bad(18, "lowering.compiled_graph",
      "stack_set: expected key=value pairs separated by spaces, got "
      "'lowering.compiled_graph'");
  bad(18, "=true", "stack_set: expected key=value pairs");
  f.pop_back();
  CHECK_THROWS_WITH(parse_corpus_row(f, "corpus.csv:9"), Catch::Contains("expected 19 fields, got 18"));
}

TEST_CASE("summaries of a tiny hand-made corpus: MAPE, fitted vs held-out, families, Spearman", "[validation]") {
  // measured, simulated, family, use: errors +0.1, -0.1, +0.2, -0.2, +0.3.
  const std::vector<std::tuple<double, double, std::string, std::string>> t = {{10, 11, "A", "fit"},
                                                                               {20, 18, "A", "fit"},
                                                                               {30, 36, "A", "held-out"},
                                                                               {40, 32, "B", "fit"},
                                                                               {50, 65, "B", "predict"}};
  std::vector<RowResult> rows;
  for (const auto& [meas, sim, fam, use] : t) {
    RowResult r;
    r.m.measured_ms = meas, r.m.family = fam, r.m.use = use, r.m.fit = use == "fit";
    r.simulated_ms = sim;
    r.error = relative_error(sim, meas);
    rows.push_back(r);
  }
  const AccelSummary s = summarize("x", "", rows);
  CHECK(s.mape == Approx(0.18));  // (0.1 + 0.1 + 0.2 + 0.2 + 0.3) / 5
  CHECK(s.max_error == Approx(0.3));
  CHECK(s.mape_fit == Approx(0.4 / 3));  // rows 1, 2, 4: (0.1 + 0.1 + 0.2) / 3
  CHECK(s.mape_held == Approx(0.25));    // rows 3, 5: (0.2 + 0.3) / 2
  CHECK(s.rows_fit == 3);
  CHECK(s.rows_held == 2);
  // Simulated 11, 18, 36, 32, 65 rank 1, 2, 4, 3, 5 against the measured 1..5: d^2 sum = 2,
  // rho = 1 - 6 x 2 / (5 x 24) = 0.9.
  CHECK(s.spearman == Approx(0.9));
  REQUIRE(s.families.size() == 2);
  CHECK(s.families[0].family == "A");
  CHECK(s.families[0].mape == Approx(0.4 / 3));  // (0.1 + 0.1 + 0.2) / 3
  CHECK(s.families[1].mape == Approx(0.25));     // (0.2 + 0.3) / 2
  CHECK(std::isnan(s.families[0].spearman));     // 3 rows: no rank statistic
}

TEST_CASE("leave-one-family-out never fits on the held-out family or on a prediction row", "[validation]") {
  std::vector<Measurement> rows(5);
  const char* fam[] = {"A", "A", "B", "B", "C"};
  const char* use[] = {"fit", "held-out", "fit", "predict", "predict"};
  for (size_t i = 0; i < rows.size(); ++i) rows[i].family = fam[i], rows[i].use = use[i];
  const auto [fit_b, held_b] = lofo_masks(rows, "B");
  CHECK(fit_b == std::vector<bool>{true, true, false, false, false});   // A's fit and held-out rows; C is predict
  CHECK(held_b == std::vector<bool>{false, false, true, true, false});  // every B row, its prediction row too
  const auto [fit_c, held_c] = lofo_masks(rows, "C");
  CHECK(fit_c == std::vector<bool>{true, true, true, false, false});
  CHECK(held_c == std::vector<bool>{false, false, false, false, true});
  // A user's rows have no family column: EfficientNet-B0..B7 against the others.
  std::vector<Measurement> user(2);
  user[0].model = "efficientnet-b3", user[1].model = "resnet-50";
  CHECK(lofo_masks(user, "other").second == std::vector<bool>{false, true});
}

TEST_CASE("the transformer figures are predictions with their conditions", "[validation]") {
  // corpus.csv: NVIDIA DeepLearningExamples TensorFlow BERT README (commit 729963d), FP16 SQuAD v1.1
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
      CHECK(r.measured_ms == Approx(53.847).epsilon(1e-4));
  }
  CHECK(v100 == 16);
  CHECK(a100 == 16);
}
