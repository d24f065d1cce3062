#pragma once
// Ctrl-C / SIGTERM during a run. The handlers only record the signal (signals are per process: this is the one
// piece of process state the run side keeps); the run's StopCheck (stop_check()) turns it into rp::Interrupted at the
// next step of whatever is computing, the job pools poll it while they wait, and the CLI exits with 128 + the signal
// (130 for SIGINT, 143 for SIGTERM). Install the handlers before forking workers: a worker then inherits them, so a
// Ctrl-C sent to the whole process group does not kill it in the middle of a reply; the pool stops it instead.
#include <csignal>

#include "simulator/error.h"

namespace rp::run {

void install_interrupt_handlers();  // idempotent; also unblocks SIGINT and SIGTERM (see block_interrupts)
// Blocks SIGINT and SIGTERM (a signal then stays pending): `ridgepoint` does this before it executes
// ridgepoint-torch, whose main() installs the handlers (for `run`) and unblocks, so a Ctrl-C during the hand-over
// and LibTorch's loading is honoured as soon as the run starts, never lost and never a silent kill.
void block_interrupts();
void unblock_interrupts();
// For the length of a run in a process that has handlers of its own (Python): installs ours, and on destruction
// puts the previous ones back and forgets the signal, so the next run starts clean.
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

bool interrupted();
int interrupt_signal();       // SIGINT or SIGTERM once interrupted, else 0
void throw_if_interrupted();  // rp::Interrupted once interrupted
StopCheck stop_check();       // throw_if_interrupted, for the methods' options

}  // namespace rp::run
