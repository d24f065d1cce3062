#include "json_to_python.h"

namespace rp::py {

namespace pyb = pybind11;

pyb::object to_python(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      pyb::dict d;
      for (const auto& [key, value] : j.items()) d[pyb::str(key)] = to_python(value);
      return std::move(d);
    }
    case nlohmann::json::value_t::array: {
      pyb::list l;
      for (const auto& value : j) l.append(to_python(value));
      return std::move(l);
    }
    case nlohmann::json::value_t::string:
      return pyb::str(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return pyb::bool_(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return pyb::int_(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return pyb::int_(j.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return pyb::float_(j.get<double>());
    default:
      return pyb::none();
  }
}

}  // namespace rp::py
