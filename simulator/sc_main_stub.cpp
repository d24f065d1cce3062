// libsystemc.so defines main() and needs an sc_main() to link. Ridgepoint programs (the CLI, the test runners) bring
// their own main() and drive SystemC through rp::sim::run(), so this definition only satisfies the linker; it is
// pulled in by `-Wl,--undefined=sc_main` (see CMakeLists.txt) unless the program defines sc_main itself.
#include <cstdio>

extern "C" int sc_main(int /*argc*/, char* /*argv*/[]) {
  std::fputs("ridgepoint: sc_main() is not an entry point; link a main() that calls rp::sim::run()\n", stderr);
  return 1;
}
