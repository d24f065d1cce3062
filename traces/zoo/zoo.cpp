#include "traces/zoo/zoo.h"

#include <algorithm>
#include <array>

#include "simulator/error.h"
#include "simulator/suggest.h"
#include "traces/zoo/hierarchical.h"
#include "traces/zoo/mbconv_family.h"
#include "traces/zoo/network_file.h"
#include "traces/zoo/resnet.h"
#include "traces/zoo/transformer.h"

namespace rp::traces {
namespace {

// tensorflow/tpu efficientnet_builder.py _DEFAULT_BLOCKS_ARGS (EfficientNet-B0).
const std::vector<std::string> kEfficientNetB0 = {"r1_k3_s11_e1_i32_o16_se0.25",  "r2_k3_s22_e6_i16_o24_se0.25",
                                                  "r2_k5_s22_e6_i24_o40_se0.25",  "r3_k3_s22_e6_i40_o80_se0.25",
                                                  "r3_k5_s11_e6_i80_o112_se0.25", "r4_k5_s22_e6_i112_o192_se0.25",
                                                  "r1_k3_s11_e6_i192_o320_se0.25"};
// tensorflow/tpu efficientnet_x_builder.py (EfficientNet-X-B0, version 1).
const std::vector<std::string> kEfficientNetXB0 = {
    "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1", "r2_k5_s22_e6_i24_o40_se0.25_f1_a1",
    "r3_k3_s22_e6_i40_o80_se0.25_a0",    "r3_k5_s11_e6_i80_o112_se0.25_a0",      "r4_k5_s22_e6_i112_o192_se0.25_a0",
    "r1_k3_s11_e6_i192_o320_se0.25_a0"};
// Table 4 ablation steps of the EfficientNet-X paper: B0 + space-to-depth, then + fused MBConv in stages 2-3.
const std::vector<std::string> kB0SpaceToDepth = {"r1_k3_s11_e1_i32_o16_se0.25_d1", "r2_k3_s22_e6_i16_o24_se0.25_d2",
                                                  "r2_k5_s22_e6_i24_o40_se0.25",    "r3_k3_s22_e6_i40_o80_se0.25",
                                                  "r3_k5_s11_e6_i80_o112_se0.25",   "r4_k5_s22_e6_i112_o192_se0.25",
                                                  "r1_k3_s11_e6_i192_o320_se0.25"};
const std::vector<std::string> kB0SpaceToDepthFused = {
    "r1_k3_s11_e1_i32_o16_se0.25_d1", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2", "r2_k5_s22_e6_i24_o40_se0.25_f1",
    "r3_k3_s22_e6_i40_o80_se0.25",    "r3_k5_s11_e6_i80_o112_se0.25",      "r4_k5_s22_e6_i112_o192_se0.25",
    "r1_k3_s11_e6_i192_o320_se0.25"};
// tensorflow/tpu mnasnet_models.py mnasnet_a1.
const std::vector<std::string> kMnasNetA1 = {"r1_k3_s11_e1_i32_o16_noskip",  "r2_k3_s22_e6_i16_o24",
                                             "r3_k5_s22_e3_i24_o40_se0.25",  "r4_k3_s22_e6_i40_o80",
                                             "r2_k3_s11_e6_i80_o112_se0.25", "r3_k5_s22_e6_i112_o160_se0.25",
                                             "r1_k3_s11_e6_i160_o320"};
// MobileNetV2 (Sandler et al. 2018, Table 2) as MBConv blocks: t = e, c = o, n = r, s = s; no SE.
const std::vector<std::string> kMobileNetV2 = {"r1_k3_s11_e1_i32_o16",  "r2_k3_s22_e6_i16_o24", "r3_k3_s22_e6_i24_o32",
                                               "r4_k3_s22_e6_i32_o64",  "r3_k3_s11_e6_i64_o96", "r3_k3_s22_e6_i96_o160",
                                               "r1_k3_s11_e6_i160_o320"};

struct Coef {
  double width, depth;
  int resolution;
  double se;
};
// (width, depth, resolution, se_coefficient): efficientnet_builder.py and efficientnet_x_builder.py.
constexpr std::array<Coef, 8> kEfficientNetCoefs = {{{1.0, 1.0, 224, 1},
                                                     {1.0, 1.1, 240, 1},
                                                     {1.1, 1.2, 260, 1},
                                                     {1.2, 1.4, 300, 1},
                                                     {1.4, 1.8, 380, 1},
                                                     {1.6, 2.2, 456, 1},
                                                     {1.8, 2.6, 528, 1},
                                                     {2.0, 3.1, 600, 1}}};
constexpr std::array<double, 8> kXSeCoef = {4, 2, 1, 1, 1, 1, 1, 1};
constexpr std::array<Coef, 8> kXTpuCoefs = {{{1.0, 1.0, 224, 4},
                                             {1.05, 1.09, 229, 2},
                                             {1.13, 1.29, 244, 1},
                                             {1.27, 1.62, 263, 1},
                                             {1.54, 2.38, 299, 1},
                                             {1.96, 2.76, 332, 1},
                                             {2.75, 3.01, 328, 1},
                                             {3.26, 3.44, 350, 1}}};
constexpr std::array<Coef, 8> kXGpuCoefs = {{{1.0, 1.0, 224, 4},
                                             {1.05, 1.09, 229, 2},
                                             {1.13, 1.24, 237, 1},
                                             {1.31, 1.63, 255, 1},
                                             {1.63, 2.4, 282, 1},
                                             {1.94, 3.29, 306, 1},
                                             {2.25, 4.28, 328, 1},
                                             {2.58, 5.46, 350, 1}}};

enum class Acts { kSwish, kXTpu, kRelu, kRelu6 };

FamilyParams family(const Coef& c, Acts acts) {
  FamilyParams p;
  p.width = c.width;
  p.depth = c.depth;
  p.resolution = c.resolution;
  p.se_coefficient = c.se;
  switch (acts) {
    case Acts::kSwish:
      p.block_act = p.stem_act = p.head_act = Act::kSwish;
      break;
    // EfficientNet-X paper Table 1 (TPU): swish in the stem and the fused stages (a1 flags), ReLU elsewhere.
    case Acts::kXTpu:
      p.stem_act = Act::kSwish;
      p.block_act = p.head_act = Act::kReLU;
      break;
    case Acts::kRelu:
      p.block_act = p.stem_act = p.head_act = Act::kReLU;
      break;
    case Acts::kRelu6:
      p.block_act = p.stem_act = p.head_act = Act::kReLU6;
      break;
  }
  return p;
}

// For ReLU-everywhere variants the blocks' own 'a' flags are dropped.
std::vector<BlockArgs> blocks_for(const std::vector<std::string>& strings, Acts acts) {
  std::vector<BlockArgs> b = decode_blocks(strings);
  if (acts == Acts::kRelu) {
    for (auto& a : b) a.activation.reset();
  }
  return b;
}

ZooEntry mbconv_entry(std::string name, std::string desc, const std::vector<std::string>& strings, Coef c, Acts acts) {
  auto build = [name, strings, c, acts](const BuildOptions& o) {
    FamilyParams p = family(c, acts);
    p.resolution = o.resolution;
    return build_mbconv_family(name, blocks_for(strings, acts), p, o.batch, o.dtype);
  };
  return {name, std::move(desc), c.resolution, build, MbconvSpec{name, blocks_for(strings, acts), family(c, acts)}};
}

// Vision transformers (Dosovitskiy et al. 2021 Table 1: ViT-Base 12 layers, hidden 768, MLP 3072, 12 heads; Large
// 24 / 1024 / 4096 / 16; Touvron et al. 2021 Table 1: DeiT-S 12 layers, 384, 6 heads), patch 16, 1000 classes.
TransformerSpec vit(std::string name, int layers, int64_t hidden, int heads) {
  TransformerSpec s;
  s.name = std::move(name);
  s.layers = layers;
  s.hidden = hidden;
  s.heads = heads;
  s.mlp = 4 * hidden;
  s.patch = 16;
  s.classes = 1000;
  s.resolution = 224;
  return s;
}

// BERT (Devlin et al. 2019): WordPiece vocab 30522, 512 positions, 2 segments, post-LN, separate q / k / v dense
// layers (as the reference implementation), pooler; feed-forward 4 x hidden.
TransformerSpec bert(std::string name, int layers, int64_t hidden, int heads, int64_t seq) {
  TransformerSpec s;
  s.name = std::move(name);
  s.layers = layers;
  s.hidden = hidden;
  s.heads = heads;
  s.mlp = 4 * hidden;
  s.vocab = 30522;
  s.positions = 512;
  s.segments = 2;
  s.norm = NormPlacement::kPost;
  s.fused_qkv = false;
  s.pooler = true;
  s.seq_len = seq;
  return s;
}

// GPT-2 124M (Radford et al. 2019; Hugging Face config "gpt2"): 12 layers, 768, 12 heads, vocab 50257, 1024
// positions, pre-LN, causal. Ends at the final layer norm (the LM head shares the token table, which the IR cannot
// express without counting it twice, so it is left out: docs/models.md).
TransformerSpec gpt2(std::string name, bool decode, int64_t seq) {
  TransformerSpec s;
  s.name = std::move(name);
  s.vocab = 50257;
  s.positions = 1024;
  s.causal = true;
  s.decode = decode;
  s.seq_len = seq;
  return s;
}

ZooEntry transformer_entry(std::string desc, const TransformerSpec& s) {
  auto build = [s](const BuildOptions& o) { return build_transformer(s, o); };
  return {s.name, std::move(desc), s.resolution, build, std::nullopt, s.seq_len};
}

void add_transformers(std::vector<ZooEntry>& z) {
  z.push_back(
      transformer_entry("ViT-B/16 (Dosovitskiy et al. 2021), class token, pre-LN", vit("vit-b16", 12, 768, 12)));
  z.push_back(
      transformer_entry("ViT-L/16 (Dosovitskiy et al. 2021), class token, pre-LN", vit("vit-l16", 24, 1024, 16)));
  z.push_back(transformer_entry("DeiT-S (Touvron et al. 2021): ViT-S/16 dims, no distillation token",
                                vit("deit-s", 12, 384, 6)));
  SwinSpec swin;
  swin.name = "swin-t";
  z.push_back({swin.name, "Swin-T (Liu et al. 2021), window 7, shifted windows", swin.resolution,
               [swin](const BuildOptions& o) { return build_swin(swin, o); }});
  ConvNextSpec cnx;
  cnx.name = "convnext-t";
  z.push_back({cnx.name, "ConvNeXt-T (Liu et al. 2022), 7x7 depthwise, LN, GELU, layer scale", cnx.resolution,
               [cnx](const BuildOptions& o) { return build_convnext(cnx, o); }});
  z.push_back(transformer_entry("BERT-base (Devlin et al. 2019), post-LN, pooler; sequence 128",
                                bert("bert-base", 12, 768, 12, 128)));
  z.push_back(transformer_entry("BERT-large (Devlin et al. 2019), post-LN, pooler; sequence 384 (SQuAD)",
                                bert("bert-large", 24, 1024, 16, 384)));
  z.push_back(
      transformer_entry("GPT-2 124M (Radford et al. 2019), causal prefill of 1024 tokens", gpt2("gpt2", false, 1024)));
  z.push_back(transformer_entry("GPT-2 124M, one decode step over a KV cache of 1023 positions (--seq-len: cache)",
                                gpt2("gpt2-decode", true, 1023)));
}

std::vector<ZooEntry> make_zoo() {
  std::vector<ZooEntry> z;
  for (int i = 0; i < 8; ++i) {
    const std::string b = "b" + std::to_string(i);
    z.push_back(mbconv_entry("efficientnet-" + b, "EfficientNet-" + b + " (Tan & Le 2019), swish", kEfficientNetB0,
                             kEfficientNetCoefs[i], Acts::kSwish));
  }
  for (int i = 0; i < 8; ++i) {
    const std::string b = "b" + std::to_string(i);
    Coef c = kEfficientNetCoefs[i];
    c.se = kXSeCoef[i];
    z.push_back(mbconv_entry("efficientnet-x-" + b,
                             "EfficientNet-X-" + b + " (Li et al. 2021 Table 3), TPU activations", kEfficientNetXB0, c,
                             Acts::kXTpu));
    z.push_back(mbconv_entry("efficientnet-x-" + b + "-relu", "EfficientNet-X-" + b + ", ReLU everywhere (GPU variant)",
                             kEfficientNetXB0, c, Acts::kRelu));
  }
  for (int i = 0; i < 8; ++i) {
    const std::string b = "b" + std::to_string(i);
    z.push_back(mbconv_entry("efficientnet-x-tpu-" + b,
                             "EfficientNet-X-" + b + ", LACS TPU coefficients, TPU activations", kEfficientNetXB0,
                             kXTpuCoefs[i], Acts::kXTpu));
  }
  for (int i = 0; i < 8; ++i) {
    const std::string b = "b" + std::to_string(i);
    z.push_back(mbconv_entry("efficientnet-x-gpu-" + b,
                             "EfficientNet-X-" + b + ", LACS GPU coefficients, ReLU everywhere", kEfficientNetXB0,
                             kXGpuCoefs[i], Acts::kRelu));
  }
  const Coef b0x{1.0, 1.0, 224, 4};
  z.push_back(mbconv_entry("efficientnet-b0-s2d", "EfficientNet-B0 + space-to-depth (paper Table 4 step 1), swish",
                           kB0SpaceToDepth, b0x, Acts::kSwish));
  z.push_back(mbconv_entry("efficientnet-b0-s2d-fused",
                           "EfficientNet-B0 + space-to-depth + fused MBConv stages 2-3 (Table 4 step 2), swish",
                           kB0SpaceToDepthFused, b0x, Acts::kSwish));
  z.push_back({"resnet-50", "ResNet-50 v1.5 (torchvision)", 224,
               [](const BuildOptions& o) { return build_resnet50(o.resolution, o.batch, o.dtype); }, std::nullopt});
  z.push_back(mbconv_entry("mobilenet-v2", "MobileNetV2 1.0 (Sandler et al. 2018), ReLU6", kMobileNetV2,
                           {1.0, 1.0, 224, 1}, Acts::kRelu6));
  z.push_back(
      mbconv_entry("mnasnet-a1", "MnasNet-A1 (Tan et al. 2019), ReLU", kMnasNetA1, {1.0, 1.0, 224, 1}, Acts::kRelu));
  add_transformers(z);
  return z;
}

bool names_file(const std::string& spec) {
  auto ends = [&](const std::string& suf) {
    return spec.size() >= suf.size() && spec.compare(spec.size() - suf.size(), suf.size(), suf) == 0;
  };
  // A TorchScript file given as a model is a usage error of its own, not a YAML syntax error.
  if (ends(".pt") || ends(".pth") || ends(".ptl")) {
    throw UsageError(spec + ": a TorchScript model: give it as --torchscript " + spec + " --input-shape N,C,H,W");
  }
  return ends(".yaml") || ends(".yml") || spec.find('/') != std::string::npos;
}

}  // namespace

const std::vector<ZooEntry>& zoo() {
  static const std::vector<ZooEntry> table = make_zoo();
  return table;
}

std::vector<std::string> nearest_names(const std::string& name, size_t count) {
  std::vector<std::string> names;
  for (const auto& e : zoo()) names.push_back(e.name);
  return nearest(name, names, count, false);
}

[[noreturn]] static void unknown_model(const std::string& spec) {
  std::vector<std::string> names;
  for (const auto& e : zoo()) names.push_back(e.name);
  const std::string hint = did_you_mean(spec, names);
  throw UsageError("unknown model '" + spec + "'" + (hint.empty() ? "" : "; " + hint) +
                   " ('ridgepoint models' lists all)");
}

MbconvSpec mbconv_spec(const std::string& spec) {
  if (names_file(spec)) return load_network_spec(spec);
  for (const auto& e : zoo()) {
    if (e.name != spec) continue;
    if (!e.mbconv) throw UsageError("model '" + spec + "' is not built from MBConv block strings");
    return *e.mbconv;
  }
  unknown_model(spec);
}

void check_build_options(const BuildOptions& options, const std::string& batch_name, const std::string& resolution_name,
                         const std::string& seq_name) {
  if (options.batch < 1) throw UsageError(batch_name + " must be >= 1, got " + std::to_string(options.batch));
  if (options.batch > kMaxBatch) {
    throw UsageError(batch_name + " must be <= " + std::to_string(kMaxBatch) + ", got " +
                     std::to_string(options.batch));
  }
  if (options.resolution != 0 && (options.resolution < kMinResolution || options.resolution > kMaxResolution)) {
    throw UsageError(resolution_name + " must be 0 (the model's own) or in [" + std::to_string(kMinResolution) + ", " +
                     std::to_string(kMaxResolution) + "], got " + std::to_string(options.resolution));
  }
  if (options.seq_len < 0 || options.seq_len > kMaxSeqLen) {
    throw UsageError(seq_name + " must be 0 (the model's own) or in [1, " + std::to_string(kMaxSeqLen) + "], got " +
                     std::to_string(options.seq_len));
  }
}

Network build_model(const std::string& spec, const BuildOptions& options) {
  check_build_options(options);
  if (names_file(spec)) return load_network_file(spec, options);
  for (const auto& e : zoo()) {
    if (e.name == spec) {
      BuildOptions o = options;
      if (o.resolution == 0) o.resolution = e.default_resolution;
      if (o.seq_len == 0) o.seq_len = e.default_seq_len;
      return e.build(o);
    }
  }
  unknown_model(spec);
}

}  // namespace rp::traces
