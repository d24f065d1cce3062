#include "json_to_python.h"

#include <string_view>
#include <unordered_map>

namespace rp::py {

namespace pyb = pybind11;

namespace {

// One conversion, with CPython's API directly (it runs with the GIL held, so it is kept short): lists made at
// their size, and one str per distinct key (the per-layer table's rows share their keys: a result's JSON has about
// a thousand nodes and forty distinct keys). Every function returns a new reference, or nullptr with a Python
// error set.
class Converter {
 public:
  ~Converter() {
    for (auto& [text, key] : keys_) Py_DECREF(key);
  }

  PyObject* convert(const nlohmann::json& j) {
    switch (j.type()) {
      case nlohmann::json::value_t::object:
        return object(j);
      case nlohmann::json::value_t::array:
        return array(j);
      case nlohmann::json::value_t::string: {
        const auto& s = j.get_ref<const std::string&>();
        return PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
      }
      case nlohmann::json::value_t::boolean:
        return PyBool_FromLong(j.get<bool>() ? 1 : 0);
      case nlohmann::json::value_t::number_integer:
        return PyLong_FromLongLong(j.get<int64_t>());
      case nlohmann::json::value_t::number_unsigned:
        return PyLong_FromUnsignedLongLong(j.get<uint64_t>());
      case nlohmann::json::value_t::number_float:
        return PyFloat_FromDouble(j.get<double>());
      default:
        Py_RETURN_NONE;
    }
  }

 private:
  PyObject* object(const nlohmann::json& j) {
    PyObject* d = PyDict_New();
    if (d == nullptr) return nullptr;
    for (const auto& [text, value] : j.items()) {
      PyObject* k = key(text);
      PyObject* v = k != nullptr ? convert(value) : nullptr;
      const bool ok = v != nullptr && PyDict_SetItem(d, k, v) == 0;
      Py_XDECREF(v);
      if (!ok) {
        Py_DECREF(d);
        return nullptr;
      }
    }
    return d;
  }

  PyObject* array(const nlohmann::json& j) {
    PyObject* l = PyList_New(static_cast<Py_ssize_t>(j.size()));
    if (l == nullptr) return nullptr;
    Py_ssize_t i = 0;
    for (const auto& value : j) {
      PyObject* v = convert(value);
      if (v == nullptr) {
        Py_DECREF(l);  // the slots not yet set are NULL, which list_dealloc skips
        return nullptr;
      }
      PyList_SET_ITEM(l, i++, v);  // steals v
    }
    return l;
  }

  // A borrowed reference to the key's str, made at its first use in this conversion.
  PyObject* key(const std::string& text) {
    const auto it = keys_.find(text);
    if (it != keys_.end()) return it->second;
    PyObject* k = PyUnicode_FromStringAndSize(text.data(), static_cast<Py_ssize_t>(text.size()));
    if (k != nullptr) keys_.emplace(text, k);
    return k;
  }

  std::unordered_map<std::string, PyObject*> keys_;  // owned references
};

}  // namespace

pyb::object to_python(const nlohmann::json& j) {
  PyObject* o = Converter().convert(j);
  if (o == nullptr) throw pyb::error_already_set();
  return pyb::reinterpret_steal<pyb::object>(o);
}

}  // namespace rp::py
