#include "experiments/run/job_pool.h"

#include <cstdio>

#include "experiments/run/interrupt.h"
#include "simulator/error.h"

namespace rp::run {
namespace {

class SerialPool : public JobPool {
 public:
  explicit SerialPool(Job job) : job_(std::move(job)) {}
  void run(const std::vector<std::string>& requests, const Reply& done) override {
    for (size_t i = 0; i < requests.size(); ++i) {
      throw_if_interrupted();
      done(i, job_(requests[i]));
    }
    throw_if_interrupted();
  }
  int workers() const override { return 1; }

 private:
  Job job_;
};

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

}  // namespace

std::string exact_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::unique_ptr<JobPool> make_serial_pool(Job job) { return std::make_unique<SerialPool>(std::move(job)); }

std::string encode_reply(const Job& job, const std::string& request) {
  try {
    return one_line("+" + job(request));
  } catch (const UsageError& e) {
    return one_line(std::string("!u") + e.what());
  } catch (const std::exception& e) {
    return one_line(std::string("!s") + e.what());
  }
}

std::string decode_reply(const std::string& wire, const std::string& where) {
  if (!wire.empty() && wire[0] == '+') return wire.substr(1);
  if (wire.size() >= 2 && wire[0] == '!') {
    if (wire[1] == 'u') throw UsageError(wire.substr(2));
    throw SimulationError(wire.substr(2));
  }
  throw SimulationError(where + ": malformed reply '" + wire.substr(0, 80) + "'");
}

}  // namespace rp::run
