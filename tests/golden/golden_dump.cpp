// Golden regression: prints every figure a simulation reports for a fixed set of zoo networks on one accelerator,
// one "network key value" line each, doubles with 17 significant digits (exact round trip). The engine is
// deterministic to the picosecond, so a reference file must match byte for byte; a change of model shows as a
// reviewed diff of tests/golden/*.txt (regenerate: scripts/regen-golden.sh).
//
//   rp_golden ACCEL                 print the figures
//   rp_golden ACCEL --check FILE    compare with FILE; exit 1 listing every differing, missing or new line
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/golden/golden_figures.h"

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--check")) {
    std::cerr << "usage: rp_golden ACCEL [--check FILE]\n";
    return 2;
  }
  std::vector<std::string> lines;
  try {
    lines = rp::golden::figures(argv[1]);
  } catch (const std::exception& e) {
    std::cerr << "rp_golden: " << e.what() << "\n";
    return 1;
  }
  if (argc == 2) {
    for (const auto& l : lines) std::cout << l << "\n";
    return 0;
  }
  std::ifstream in(argv[3]);
  if (!in) {
    std::cerr << "rp_golden: cannot open reference " << argv[3] << "\n";
    return 1;
  }
  // Lines are "network key value": compare by (network key).
  auto split = [](const std::string& l) {
    const size_t sp = l.rfind(' ');
    return std::make_pair(l.substr(0, sp), l.substr(sp + 1));
  };
  std::map<std::string, std::string> ref, got;
  std::vector<std::string> order;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ref.insert(split(line));
  }
  for (const auto& l : lines) {
    got.insert(split(l));
    order.push_back(split(l).first);
  }
  int bad = 0;
  for (const auto& [k, v] : ref) {
    const auto it = got.find(k);
    if (it == got.end()) {
      std::cout << "missing: " << k << " (reference " << v << ")\n";
      ++bad;
    } else if (it->second != v) {
      std::cout << "differs: " << k << ": reference " << v << ", now " << it->second << "\n";
      ++bad;
    }
  }
  for (const auto& k : order) {
    if (!ref.count(k)) {
      std::cout << "new:     " << k << " = " << got[k] << " (not in the reference: regenerate and review)\n";
      ++bad;
    }
  }
  std::cout << argv[1] << ": " << ref.size() << " reference figures, " << bad << " differences\n";
  return bad == 0 ? 0 : 1;
}
