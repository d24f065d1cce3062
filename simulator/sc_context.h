#pragma once
// Internal to the engine. RAII owner of one fresh SystemC simulation context.
//
// SystemC allows one elaboration per context, so every run() elaborates into a new sc_simcontext: the constructor
// makes it both sc_curr_simcontext and sc_default_global_context, the destructor deletes it and restores the previous
// pointers. Modules created in the context must be deleted before it. The first construction also configures
// SystemC process-wide: no copyright banner (SYSTEMC_DISABLE_COPYRIGHT_MESSAGE, unless the user set it), info
// reports dropped, warnings to stderr (never stdout), errors and fatals thrown as sc_core::sc_report (never abort).
namespace sc_core {
class sc_simcontext;
}

namespace rp::sim::detail {

class ScopedSimContext {
 public:
  ScopedSimContext();
  ~ScopedSimContext();
  ScopedSimContext(const ScopedSimContext&) = delete;
  ScopedSimContext& operator=(const ScopedSimContext&) = delete;

 private:
  sc_core::sc_simcontext* m_ctx = nullptr;
  sc_core::sc_simcontext* m_prev_curr = nullptr;
  sc_core::sc_simcontext* m_prev_default = nullptr;
};

}  // namespace rp::sim::detail
