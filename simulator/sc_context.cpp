#include "simulator/sc_context.h"

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <systemc>

namespace rp::sim::detail {
namespace {

// Replaces SystemC's default report handler: it displays on stdout and may call abort(). Here info is dropped,
// warnings go to stderr, and anything that would stop, abort or interrupt throws the sc_report instead.
void report_handler(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  using namespace sc_core;
  const sc_severity sev = report.get_severity();
  if (sev == SC_INFO) return;
  if (sev == SC_WARNING) {
    if (actions & SC_DISPLAY)
      std::cerr << "SystemC warning: " << report.get_msg_type() << ": " << report.get_msg() << '\n';
    return;
  }
  if (actions & (SC_THROW | SC_ABORT | SC_INTERRUPT | SC_STOP)) {
    sc_report_handler::default_handler(report, SC_THROW);  // throws a copy of `report`, nothing else
  }
}

void configure_systemc_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", /*overwrite=*/0);
    sc_core::sc_report_handler::set_handler(&report_handler);
  });
}

}  // namespace

ScopedSimContext::ScopedSimContext() {
  configure_systemc_once();
  m_prev_curr = sc_core::sc_curr_simcontext;
  m_prev_default = sc_core::sc_default_global_context;
  m_ctx = new sc_core::sc_simcontext;
  sc_core::sc_curr_simcontext = m_ctx;
  sc_core::sc_default_global_context = m_ctx;
}

ScopedSimContext::~ScopedSimContext() {
  delete m_ctx;
  sc_core::sc_curr_simcontext = m_prev_curr;
  sc_core::sc_default_global_context = m_prev_default;
}

}  // namespace rp::sim::detail
