#include "simulator/error.h"

#include <string>

namespace rp {

Interrupted::Interrupted(int signal)
    : std::runtime_error("interrupted by signal " + std::to_string(signal)), signal_(signal) {}

}  // namespace rp
