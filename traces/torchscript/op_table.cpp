#include "traces/torchscript/op_table.h"

namespace rp::traces::ts {

const OpTable& op_table() {
  static const OpTable table = [] {
    OpTable t;
    add_conv_ops(t);
    add_elementwise_ops(t);
    add_pool_ops(t);
    add_shape_ops(t);
    add_prim_ops(t);
    add_control_ops(t);
    add_transformer_ops(t);
    add_fold_ops(t);
    return t;
  }();
  return table;
}

}  // namespace rp::traces::ts
