#pragma once
// Ctrl-C / SIGTERM during a run: the handler only sets a flag; workers finish the point they are on (so the
// journal stays consistent) and stop. The flag is process state by nature (signals are per process).
namespace rp::run {

void install_interrupt_handlers();
bool interrupted();

}  // namespace rp::run
