#include "experiments/kinds/hurricane/fitness_job.h"

#include <nlohmann/json.hpp>

#include "experiments/run/interrupt.h"
#include "experiments/run/job_pool.h"
#include "simulator/error.h"

namespace rp::kinds {

std::string FitnessRequest::encode() const {
  return nlohmann::json{{"weights", weights}, {"choices", choices}, {"width", width},
                        {"arch", arch},       {"val", val_images},  {"bn", bn_images}}
      .dump();
}

FitnessRequest FitnessRequest::decode(const std::string& line) {
  try {
    const auto j = nlohmann::json::parse(line);
    FitnessRequest r;
    r.weights = j.at("weights").get<std::string>();
    r.choices = j.at("choices").get<hurricane::Choices>();
    r.width = j.at("width").get<double>();
    r.arch = j.at("arch").get<hurricane::Arch>();
    r.val_images = j.at("val").get<int64_t>();
    r.bn_images = j.at("bn").get<int64_t>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed fitness request: ") + e.what());
  }
}

std::string FitnessWorker::operator()(const std::string& request) {
  const FitnessRequest r = FitnessRequest::decode(request);
  const std::string key = r.weights + "|" + nlohmann::json(r.choices).dump() + "|" + run::exact_number(r.width);
  if (key != key_ || !net_) {
    const std::string prefix = files_.dir() + "/";
    if (r.weights.compare(0, prefix.size(), prefix) != 0) {
      throw std::logic_error("fitness request: weights '" + r.weights + "' are not in " + files_.dir());
    }
    const auto bytes = files_.read(r.weights.substr(prefix.size()));
    if (!bytes) throw SimulationError("supernet weights " + r.weights + " are missing");
    net_.reset();
    key_.clear();
    auto net = std::make_unique<hurricane::Supernet>(hurricane::supernet_spec(r.choices, r.width), 0);
    net->load_weights(*bytes, r.weights);
    net_ = std::move(net);
    key_ = key;
  }
  return run::exact_number(net_->evaluate(r.arch, data_, r.val_images, r.bn_images, 1, run::stop_check()));
}

}  // namespace rp::kinds
