/* The audit's three reports are one set: DIR/audit.{md,tex,json} from the
 * same run, and DIR/audit.manifest (their SHA-256 sums, `sha256sum -c`
 * format) written last.  Under a lock on DIR, the set is written into a
 * fresh temporary directory inside DIR, synced, and renamed into place
 * with SIGINT/SIGTERM/SIGHUP blocked; a signal before that removes the
 * temporaries and leaves the previous set.  docs/REPORTS.md has the rules. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "report_common.h"

#define NFILES 4 /* md, tex, json, manifest (renamed in this order) */
static const char *const names[NFILES] = {"audit.md", "audit.tex", "audit.json", "audit.manifest"};
static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS 3
#define TMP_PREFIX ".audit.tmp"

/* What the signal handler removes: paths computed before it is armed, so
 * the handler only calls unlink, rmdir, signal and raise. */
static struct {
  volatile sig_atomic_t armed;
  char dir[PATH_MAX];
  char file[NFILES][PATH_MAX + 32];
} tmp;

static void remove_temporaries(void)
{
  for (int i = 0; i < NFILES; i++)
    unlink(tmp.file[i]);
  rmdir(tmp.dir);
}

static void on_signal(int sig)
{
  if (tmp.armed)
    remove_temporaries();
  tmp.armed = 0;
  /* Die of the same signal, so the parent sees what happened. */
  signal(sig, SIG_DFL);
  raise(sig);
}

void tc_audit_options_init(tc_audit_options *o)
{
  o->lock_timeout = 60;
  o->hook = NULL;
  o->hook_data = NULL;
}

static void step(const tc_audit_options *o, int k)
{
  if (o->hook)
    o->hook(o->hook_data, k);
}

/* Wait for the exclusive lock on DIR/.thmcheck.lock (the file stays: removing a lock file races). */
static int lock_dir(int *fd, const char *dir, double timeout, char *err, size_t errlen)
{
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/.thmcheck.lock", dir);
  *fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (*fd < 0) {
    snprintf(err, errlen, "%s: cannot open lock file: %s", path, strerror(errno));
    return TC_EIO;
  }
  struct timespec pause = {0, 50000000};
  for (double waited = 0; flock(*fd, LOCK_EX | LOCK_NB) != 0; waited += 0.05) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(errno));
    } else if (waited >= timeout) {
      snprintf(err, errlen, "%s: another thmcheck audit is writing there (lock %s held for %g s); "
               "not written", dir, path, timeout);
    } else {
      nanosleep(&pause, NULL);
      continue;
    }
    close(*fd);
    return TC_EIO;
  }
  return TC_SUCCESS;
}

/* Temporary directories of writers killed by SIGKILL; none is live while
 * we hold the lock. */
static void remove_stale(const char *dir)
{
  DIR *d = opendir(dir);
  if (d == NULL)
    return;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
      continue;
    char path[PATH_MAX];
    for (int i = 0; i < NFILES; i++) {
      snprintf(path, sizeof path, "%s/%s/%s", dir, e->d_name, names[i]);
      unlink(path);
    }
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    rmdir(path);
  }
  closedir(d);
}

static int sync_path(const char *path)
{
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

/* Write len bytes to a new file at path (never an existing one) and sync it. */
static int write_new(const char *path, const char *data, size_t len)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0)
    return -1;
  for (size_t done = 0; done < len;) {
    ssize_t n = write(fd, data + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      close(fd);
      return -1;
    }
    done += (size_t)n;
  }
  int rc = fsync(fd);
  return close(fd) != 0 || rc != 0 ? -1 : 0;
}

/* The three reports and the manifest, in tmp.file[]. */
static int write_set(const tc_run_result *r, const tc_audit_options *o, char *err, size_t errlen)
{
  char manifest[3 * (64 + 2 + 16)] = "";
  for (int f = 0; f < 3; f++) {
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL)
      return TC_ENOMEM;
    int status = tc_report_write(mem, (tc_format)f, r);
    if (fclose(mem) != 0 && status == TC_SUCCESS)
      status = TC_ENOMEM;
    char hex[65];
    tc_report_sha256_hex(hex, buf, len);
    if (status == TC_SUCCESS && write_new(tmp.file[f], buf, len) != 0) {
      snprintf(err, errlen, "%s: cannot write: %s", tmp.file[f], strerror(errno));
      status = TC_EIO;
    }
    free(buf);
    if (status != TC_SUCCESS)
      return status;
    snprintf(manifest + strlen(manifest), sizeof manifest - strlen(manifest), "%s  %s\n", hex, names[f]);
    step(o, 1 + f);
  }
  if (write_new(tmp.file[3], manifest, strlen(manifest)) != 0 || sync_path(tmp.dir) != 0) {
    snprintf(err, errlen, "%s: cannot write: %s", tmp.file[3], strerror(errno));
    return TC_EIO;
  }
  step(o, 4);
  return TC_SUCCESS;
}

/* Rename the set into dir, manifest last.  Signals are blocked by the
 * caller: a set is replaced whole or not at all. */
static int publish(const char *dir, const tc_audit_options *o, char *err, size_t errlen)
{
  char target[NFILES][PATH_MAX];
  for (int i = 0; i < NFILES; i++) {
    snprintf(target[i], sizeof target[i], "%s/%s", dir, names[i]);
    if (tc_report_check_regular(target[i], err, errlen) != TC_SUCCESS)
      return TC_EIO;
  }
  for (int i = 0; i < NFILES; i++) {
    if (rename(tmp.file[i], target[i]) != 0) {
      snprintf(err, errlen, "%s: cannot rename into place: %s", target[i], strerror(errno));
      return TC_EIO;
    }
    step(o, 5 + i);
  }
  if (sync_path(dir) != 0) {
    snprintf(err, errlen, "%s: cannot sync: %s", dir, strerror(errno));
    return TC_EIO;
  }
  return TC_SUCCESS;
}

/* mkdtemp in dir and the paths the signal handler needs, then arm it. */
static int make_temporaries(const char *dir, struct sigaction old[NSIGNALS], char *err, size_t errlen)
{
  if (strlen(dir) + strlen(TMP_PREFIX) + 32 >= PATH_MAX) {
    snprintf(err, errlen, "%s: path too long", dir);
    return TC_EIO;
  }
  snprintf(tmp.dir, sizeof tmp.dir, "%s/" TMP_PREFIX "XXXXXX", dir);
  if (mkdtemp(tmp.dir) == NULL) {
    snprintf(err, errlen, "%s: cannot create a temporary directory: %s", dir, strerror(errno));
    return TC_EIO;
  }
  for (int i = 0; i < NFILES; i++)
    snprintf(tmp.file[i], sizeof tmp.file[i], "%s/%s", tmp.dir, names[i]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < NSIGNALS; i++)
    sigaddset(&sa.sa_mask, signals[i]);
  tmp.armed = 1;
  for (int i = 0; i < NSIGNALS; i++)
    sigaction(signals[i], &sa, &old[i]);
  return TC_SUCCESS;
}

int tc_report_write_audit(const char *dir, const tc_run_result *r, const tc_audit_options *opt,
                          char *err, size_t errlen)
{
  tc_audit_options defaults;
  tc_audit_options_init(&defaults);
  const tc_audit_options *o = opt ? opt : &defaults;
  int lock;
  int status = lock_dir(&lock, dir, o->lock_timeout, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  remove_stale(dir);
  struct sigaction old[NSIGNALS];
  status = make_temporaries(dir, old, err, errlen);
  if (status == TC_SUCCESS) {
    step(o, 0);
    status = write_set(r, o, err, errlen);
    sigset_t block, saved;
    sigemptyset(&block);
    for (int i = 0; i < NSIGNALS; i++)
      sigaddset(&block, signals[i]);
    sigprocmask(SIG_BLOCK, &block, &saved);
    if (status == TC_SUCCESS)
      status = publish(dir, o, err, errlen);
    tmp.armed = 0;
    remove_temporaries();
    /* Handlers back before unblocking: a signal that came during the
     * renames takes its usual effect now that the set is complete. */
    for (int i = 0; i < NSIGNALS; i++)
      sigaction(signals[i], &old[i], NULL);
    sigprocmask(SIG_SETMASK, &saved, NULL);
  }
  close(lock);
  return status;
}
