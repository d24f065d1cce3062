#pragma once
// SHA-256 (FIPS 180-4) of a byte string, as 64 lower-case hex digits: the key of a `table` accuracy source for
// kinds whose candidates are network files (lacs: the candidate's network YAML as the `command` source writes it),
// so that `sha256sum network.yaml` gives the same key.
#include <string>

namespace rp::kinds {

std::string sha256_hex(const std::string& bytes);

}  // namespace rp::kinds
