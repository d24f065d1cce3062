#include "nas/train/ir_module.h"

#include <stdexcept>

#include "nas/train/ir_probe.h"
#include "nas/train/trainer.h"

namespace rp::nas {
namespace {

using traces::LayerKind;

// TF SAME / VALID / explicit padding of a window op as {left, right, top, bottom}.
std::vector<int64_t> tf_padding(const traces::Layer& l, const traces::Shape& in) {
  const traces::ConvAttrs& a = l.conv;
  if (a.padding.mode == traces::Padding::Mode::kExplicit) {
    return {a.padding.left, a.padding.right, a.padding.top, a.padding.bottom};
  }
  if (a.padding.mode == traces::Padding::Mode::kValid) return {0, 0, 0, 0};
  const int64_t th = std::max<int64_t>((l.output.h - 1) * a.stride_h + a.kernel_h - in.h, 0);
  const int64_t tw = std::max<int64_t>((l.output.w - 1) * a.stride_w + a.kernel_w - in.w, 0);
  return {tw / 2, tw - tw / 2, th / 2, th - th / 2};
}

}  // namespace

IrModuleImpl::IrModuleImpl(const traces::Network& ir) {
  for (const traces::Layer& l : ir.layers()) {
    Op op;
    op.kind = l.kind;
    op.name = l.name;
    op.group = l.group;
    op.inputs = l.inputs;
    op.act = l.act;
    const std::string reg = "l" + std::to_string(ops_.size());
    switch (l.kind) {
      case LayerKind::kInput:
      case LayerKind::kActivation:
      case LayerKind::kAdd:
      case LayerKind::kMul:
      case LayerKind::kGlobalAvgPool:
      case LayerKind::kFlatten:
      case LayerKind::kConcat:
        break;
      case LayerKind::kSplit:
        if (l.parts < 1 || l.axis != 3) {
          throw std::logic_error("proxy training: only equal channel splits have a LibTorch mapping (" + l.name + ")");
        }
        op.parts = l.parts;
        op.part = l.part;
        break;
      case LayerKind::kChannelShuffle:
        op.groups = l.shuffle_groups;
        break;
      case LayerKind::kConv2D:
      case LayerKind::kMaxPool: {
        const traces::Shape in = ir.layer(l.inputs[0]).output;
        std::vector<int64_t> p = tf_padding(l, in);
        const bool symmetric = p[0] == p[1] && p[2] == p[3];
        const int64_t ph = symmetric ? p[2] : 0, pw = symmetric ? p[0] : 0;
        if (!symmetric) op.pad = p;
        if (l.kind == LayerKind::kConv2D) {
          op.conv = register_module(
              reg, torch::nn::Conv2d(torch::nn::Conv2dOptions(in.c, l.conv.filters, {l.conv.kernel_h, l.conv.kernel_w})
                                         .stride({l.conv.stride_h, l.conv.stride_w})
                                         .padding({ph, pw})
                                         .groups(l.conv.groups)
                                         .bias(l.conv.bias)));
        } else {
          op.pool =
              register_module(reg, torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions({l.conv.kernel_h, l.conv.kernel_w})
                                                            .stride({l.conv.stride_h, l.conv.stride_w})
                                                            .padding({ph, pw})));
        }
        break;
      }
      case LayerKind::kBatchNorm:
        op.bn = register_module(reg, torch::nn::BatchNorm2d(l.output.c));
        break;
      case LayerKind::kDense: {
        const traces::Shape in = ir.layer(l.inputs[0]).output;
        op.linear =
            register_module(reg, torch::nn::Linear(torch::nn::LinearOptions(in.c, l.conv.filters).bias(l.conv.bias)));
        break;
      }
      default:
        throw std::logic_error("proxy training: layer kind " + traces::kind_name(l.kind) + " (" + l.name +
                               ") has no LibTorch mapping");
    }
    ops_.push_back(std::move(op));
  }
}

torch::Tensor IrModuleImpl::forward(torch::Tensor x) {
  namespace F = torch::nn::functional;
  std::vector<torch::Tensor> out(ops_.size());
  for (size_t i = 0; i < ops_.size(); ++i) {
    poll(stop_);
    Op& op = ops_[i];
    torch::Tensor t = op.inputs.empty() ? x : out[static_cast<size_t>(op.inputs[0])];
    if (!op.pad.empty()) t = F::pad(t, F::PadFuncOptions(op.pad));
    switch (op.kind) {
      case LayerKind::kInput:
        out[i] = x;
        break;
      case LayerKind::kConv2D:
        out[i] = op.conv->forward(t);
        break;
      case LayerKind::kMaxPool:
        out[i] = op.pool->forward(t);
        break;
      case LayerKind::kBatchNorm:
        out[i] = op.bn->forward(t);
        break;
      case LayerKind::kActivation:
        switch (op.act) {
          case traces::Act::kReLU:
            out[i] = torch::relu(t);
            break;
          case traces::Act::kReLU6:
            out[i] = torch::clamp(t, 0, 6);
            break;
          case traces::Act::kSwish:
            out[i] = torch::silu(t);
            break;
          case traces::Act::kHSwish:
            out[i] = torch::hardswish(t);
            break;
          case traces::Act::kSigmoid:
            out[i] = torch::sigmoid(t);
            break;
          case traces::Act::kGELU:
            out[i] = torch::gelu(t);
            break;
          case traces::Act::kHSigmoid:
            out[i] = torch::hardsigmoid(t);
            break;
          case traces::Act::kTanh:
            out[i] = torch::tanh(t);
            break;
          case traces::Act::kSqrt:
            out[i] = torch::sqrt(t);
            break;
        }
        break;
      case LayerKind::kAdd:
        out[i] = t + out[static_cast<size_t>(op.inputs[1])];
        break;
      // The second operand may be N x C x 1 x 1 (SE gate): torch broadcasts it over H x W.
      case LayerKind::kMul:
        out[i] = t * out[static_cast<size_t>(op.inputs[1])];
        break;
      case LayerKind::kConcat: {
        std::vector<torch::Tensor> parts;
        for (int in : op.inputs) parts.push_back(out[static_cast<size_t>(in)]);
        out[i] = torch::cat(parts, 1);
        break;
      }
      case LayerKind::kSplit: {
        const int64_t width = t.size(1) / op.parts;
        out[i] = t.narrow(1, op.part * width, width);
        break;
      }
      case LayerKind::kChannelShuffle: {
        // ShuffleNetV2: N x g x C/g x H x W, swap the two channel axes, flatten back (channel k of group j
        // moves to position k * g + j).
        const int64_t n = t.size(0), c = t.size(1), h = t.size(2), w = t.size(3);
        out[i] = t.reshape({n, op.groups, c / op.groups, h, w}).transpose(1, 2).reshape({n, c, h, w});
        break;
      }
      case LayerKind::kGlobalAvgPool:
        out[i] = t.mean({2, 3}, true);
        break;
      case LayerKind::kFlatten:
        out[i] = t.flatten(1);
        break;
      case LayerKind::kDense:
        out[i] = op.linear->forward(t.flatten(1));
        break;
      default:
        throw std::logic_error("unreachable layer kind in proxy forward");
    }
  }
  return out.back();
}

std::vector<ModuleOp> describe_module(const traces::Network& ir) {
  IrModule net(ir);
  std::vector<ModuleOp> out;
  for (const auto& op : net->ops()) {
    ModuleOp m;
    m.group = op.group;
    if (op.conv) {
      const auto& o = op.conv->options;
      m.kind = "conv";
      m.kernel = static_cast<int>((*o.kernel_size())[0]);
      m.stride = static_cast<int>((*o.stride())[0]);
      m.depthwise = o.groups() > 1 && o.groups() == o.in_channels() && o.groups() == o.out_channels();
      m.channels = o.out_channels();
    } else if (op.bn) {
      m.kind = "batch_norm";
    } else if (op.linear) {
      m.kind = "dense";
    } else if (op.pool) {
      m.kind = "max_pool";
    } else {
      m.kind = traces::kind_name(op.kind);
      if (op.kind == LayerKind::kActivation) m.act = traces::act_name(op.act);
    }
    out.push_back(m);
  }
  return out;
}

std::vector<float> forward_ir(const traces::Network& ir, const std::vector<float>& input, uint64_t seed) {
  const traces::Shape s = ir.layer(0).output;
  if (static_cast<int64_t>(input.size()) != s.elements()) {
    throw std::invalid_argument("forward_ir: input has " + std::to_string(input.size()) + " values, the IR input " +
                                s.str() + " needs " + std::to_string(s.elements()));
  }
  torch::manual_seed(seed);
  IrModule net(ir);
  net->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::from_blob(const_cast<float*>(input.data()), {s.n, s.c, s.h, s.w}, torch::kFloat32);
  const torch::Tensor y = net->forward(x.clone()).contiguous();
  return std::vector<float>(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
}

int64_t module_params(const traces::Network& ir) {
  IrModule net(ir);
  int64_t n = 0;
  for (const auto& p : net->parameters()) n += p.numel();
  return n;
}

}  // namespace rp::nas
