/* enospc_shim.c: an LD_PRELOAD library that makes a disk look full, for full_disk.py where mounting a small tmpfs
 * is not allowed. Writes (write, pwrite, pwrite64, writev, pwritev, pwritev64) to regular files under
 * $RP_ENOSPC_DIR count against a budget of $RP_ENOSPC_BUDGET bytes; the write that crosses it is cut short at the
 * budget, and every later one fails with ENOSPC, as on a full file system. The count lives in the 8-byte file
 * $RP_ENOSPC_STATE (mapped shared), so forked workers and exec'ed children draw on the same budget.
 * Limits: space freed by removing files is not given back; writes that glibc makes internally (stdio's fwrite,
 * fclose) do not pass through the interposed symbols and are not counted; nor are mmap'ed writes. Without the three
 * variables set, the library changes nothing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int64_t* used; /* shared byte count, NULL when the shim is off */
static int64_t budget;
static char dir[PATH_MAX];
static size_t dir_len;

__attribute__((constructor)) static void init(void) {
  const char *d = getenv("RP_ENOSPC_DIR"), *b = getenv("RP_ENOSPC_BUDGET"), *s = getenv("RP_ENOSPC_STATE");
  if (!d || !b || !s || !realpath(d, dir)) return;
  dir_len = strlen(dir);
  budget = strtoll(b, NULL, 10);
  const int fd = open(s, O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  void* p = mmap(NULL, sizeof(int64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p != MAP_FAILED) used = (int64_t*)p;
}

/* True for a regular file under the budgeted directory. */
static int counted(int fd) {
  struct stat st;
  if (!used || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 0) return 0;
  path[n] = '\0';
  return strncmp(path, dir, dir_len) == 0 && (path[dir_len] == '/' || path[dir_len] == '\0');
}

/* How many of `want` bytes may be written now: reserves them, or sets errno = ENOSPC and returns -1. */
static ssize_t reserve(int fd, size_t want) {
  if (!counted(fd) || want == 0) return (ssize_t)want;
  const int64_t before = __atomic_fetch_add(used, (int64_t)want, __ATOMIC_SEQ_CST);
  const int64_t left = budget - before;
  if (left <= 0) {
    __atomic_fetch_sub(used, (int64_t)want, __ATOMIC_SEQ_CST);
    errno = ENOSPC;
    return -1;
  }
  if ((int64_t)want > left) {
    __atomic_fetch_sub(used, (int64_t)want - left, __ATOMIC_SEQ_CST);
    return (ssize_t)left;
  }
  return (ssize_t)want;
}

static size_t iov_total(const struct iovec* iov, int n) {
  size_t t = 0;
  for (int i = 0; i < n; ++i) t += iov[i].iov_len;
  return t;
}

/* The first `keep` bytes of an iovec array, in `out` (at most `n` entries); returns the entry count. */
static int iov_cut(const struct iovec* iov, int n, size_t keep, struct iovec* out) {
  int k = 0;
  for (int i = 0; i < n && keep > 0; ++i, ++k) {
    out[k] = iov[i];
    if (out[k].iov_len > keep) out[k].iov_len = keep;
    keep -= out[k].iov_len;
  }
  return k;
}

typedef ssize_t (*write_fn)(int, const void*, size_t);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void*, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec*, int);
typedef ssize_t (*pwritev_fn)(int, const struct iovec*, int, off_t);
typedef ssize_t (*pwritev64_fn)(int, const struct iovec*, int, off64_t);

/* The next definition of `name` (libc's), looked up once. */
#define REAL(name, type)   \
  static type real = NULL; \
  if (!real) real = (type)dlsym(RTLD_NEXT, name)

ssize_t write(int fd, const void* buf, size_t count) {
  REAL("write", write_fn);
  const ssize_t ok = reserve(fd, count);
  return ok < 0 ? -1 : real(fd, buf, (size_t)ok);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t off) {
  REAL("pwrite", pwrite_fn);
  const ssize_t ok = reserve(fd, count);
  return ok < 0 ? -1 : real(fd, buf, (size_t)ok, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t off) {
  REAL("pwrite64", pwrite64_fn);
  const ssize_t ok = reserve(fd, count);
  return ok < 0 ? -1 : real(fd, buf, (size_t)ok, off);
}

ssize_t writev(int fd, const struct iovec* iov, int n) {
  REAL("writev", writev_fn);
  const ssize_t ok = reserve(fd, iov_total(iov, n));
  if (ok < 0) return -1;
  struct iovec cut[IOV_MAX];
  return real(fd, cut, iov_cut(iov, n < IOV_MAX ? n : IOV_MAX, (size_t)ok, cut));
}

ssize_t pwritev(int fd, const struct iovec* iov, int n, off_t off) {
  REAL("pwritev", pwritev_fn);
  const ssize_t ok = reserve(fd, iov_total(iov, n));
  if (ok < 0) return -1;
  struct iovec cut[IOV_MAX];
  return real(fd, cut, iov_cut(iov, n < IOV_MAX ? n : IOV_MAX, (size_t)ok, cut), off);
}

ssize_t pwritev64(int fd, const struct iovec* iov, int n, off64_t off) {
  REAL("pwritev64", pwritev64_fn);
  const ssize_t ok = reserve(fd, iov_total(iov, n));
  if (ok < 0) return -1;
  struct iovec cut[IOV_MAX];
  return real(fd, cut, iov_cut(iov, n < IOV_MAX ? n : IOV_MAX, (size_t)ok, cut), off);
}
