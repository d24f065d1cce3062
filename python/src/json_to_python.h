#pragma once
// nlohmann::json -> Python objects (dict, list, str, int, float, bool, None), so the module returns exactly the
// objects the CLI prints with --json (same builders, same numbers).
#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

namespace rp::py {

pybind11::object to_python(const nlohmann::json& j);

}  // namespace rp::py
