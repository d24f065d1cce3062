#pragma once
// The check an HDF5 output path passes before any work starts (experiments' `output:`, simulate --trace): Ridgepoint
// replaces only files it wrote itself, so a typo in `output:` can never destroy a user's data.
#include <string>

namespace rp::traces {

// True when `path` is a readable HDF5 file carrying Ridgepoint's marker: a `tool_version` attribute on its root
// group (NAS, LACS outputs) or on its /meta group (traces, sweep tables). False for anything else, including an
// HDF5 file cut short, and anything that is not a regular file (never opened: a FIFO would block).
bool written_by_ridgepoint(const std::string& path);

// Throws UsageError (one line naming the path) when `path` is empty, a directory or any other non-regular file (a
// FIFO, socket, device, or a symlink as its last component: refuse_non_regular_output, checked before anything is
// opened), when its directory does not exist or is not writable, or when it exists and was not written by
// Ridgepoint (written_by_ridgepoint): such a file is never overwritten, not even by --fresh. Loads the HDF5 module
// (h5_seam.h), so a missing one is one UsageError line before any work.
void check_h5_output(const std::string& path);

}  // namespace rp::traces
