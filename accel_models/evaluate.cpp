#include "accel_models/evaluate.h"

#include "accel_models/simulate.h"
#include "simulator/error.h"

namespace rp::accel {

Feasibility check(const traces::Network& net, const IAccelerator& acc) {
  try {
    acc.lower(net);
  } catch (const SimulationError& e) {
    return {false, e.what()};
  }
  return {};
}

Evaluation evaluate(const traces::Network& net, const IAccelerator& acc) {
  Evaluation e;
  Lowered low;
  try {
    low = acc.lower(net);  // the feasibility check
  } catch (const SimulationError& err) {
    e.reason = err.what();
    return e;
  }
  try {
    e.result = simulate_lowered(std::move(low), net, acc.info());
    e.ok = true;
  } catch (const SimulationError& err) {
    e.reason = err.what();
  }
  return e;
}

Evaluation evaluate(const std::function<traces::Network()>& make_network, const IAccelerator& acc) {
  try {
    const traces::Network net = make_network();
    return evaluate(net, acc);
  } catch (const UsageError& err) {
    Evaluation e;
    e.reason = std::string("bad network: ") + err.what();
    return e;
  }
}

}  // namespace rp::accel
