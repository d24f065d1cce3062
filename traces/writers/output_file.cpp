#include "traces/writers/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "simulator/error.h"

namespace rp::traces {

OutputFile::OutputFile(std::string path) : m_path(std::move(path)), m_tmp(m_path + ".tmp") {
  if (m_path.empty()) throw UsageError("output file name is empty");
  errno = 0;
  std::ofstream probe(m_tmp, std::ios::binary | std::ios::trunc);
  if (!probe) {
    const int err = errno;
    throw UsageError("cannot write '" + m_path + "': " + (err ? std::strerror(err) : "cannot create file"));
  }
}

OutputFile::~OutputFile() {
  if (!m_committed) std::remove(m_tmp.c_str());
}

void OutputFile::commit() {
  if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0) {
    const int err = errno;
    throw SimulationError("cannot rename '" + m_tmp + "' to '" + m_path + "': " + std::strerror(err));
  }
  m_committed = true;
}

}  // namespace rp::traces
