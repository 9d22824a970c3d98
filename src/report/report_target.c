/* Output targets, checked before any work: a run of minutes must not end
 * in "cannot write", and a report never replaces a device node, a FIFO, a
 * directory or a symbolic link (rename() would replace the entry itself:
 * as root, `-o /dev/null` turned /dev/null into a regular file). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "report_common.h"

int tc_report_check_regular(const char *path, char *err, size_t errlen)
{
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT)
      return TC_SUCCESS;
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return TC_EIO;
  }
  const char *what = S_ISREG(st.st_mode) ? NULL
                     : S_ISLNK(st.st_mode) ? "a symbolic link (reports are not written through links)"
                     : S_ISDIR(st.st_mode) ? "a directory, not a file"
                     : S_ISFIFO(st.st_mode) ? "a FIFO, not a regular file"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device, not a regular file"
                     : "not a regular file";
  if (what == NULL)
    return TC_SUCCESS;
  snprintf(err, errlen, "%s: exists and is %s; refusing to replace it", path, what);
  return TC_EIO;
}

/* dir exists, is a directory (links to one are followed) and we may
 * create files in it. */
static int check_writable_dir(const char *dir, const char *shown, char *err, size_t errlen)
{
  struct stat st;
  if (stat(dir, &st) != 0) {
    snprintf(err, errlen, "%s: directory %s: %s", shown, dir, strerror(errno));
    return TC_EIO;
  }
  if (!S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: %s is not a directory", shown, dir);
    return TC_EIO;
  }
  if (access(dir, W_OK | X_OK) != 0) {
    snprintf(err, errlen, "%s: directory %s is not writable: %s", shown, dir, strerror(errno));
    return TC_EIO;
  }
  return TC_SUCCESS;
}

/* The directory part of path ("." when there is none); free it. */
static char *parent_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

int tc_report_check_file(const char *path, char *err, size_t errlen)
{
  int status = tc_report_check_regular(path, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  char *dir = parent_of(path);
  if (dir == NULL)
    return TC_ENOMEM;
  status = check_writable_dir(dir, path, err, errlen);
  free(dir);
  return status;
}

int tc_report_prepare_dir(const char *dir, char *err, size_t errlen)
{
  struct stat st;
  if (stat(dir, &st) != 0 && errno == ENOENT) {
    char *parent = parent_of(dir);
    if (parent == NULL)
      return TC_ENOMEM;
    int status = check_writable_dir(parent, dir, err, errlen);
    free(parent);
    if (status != TC_SUCCESS)
      return status;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
      snprintf(err, errlen, "%s: cannot create directory: %s", dir, strerror(errno));
      return TC_EIO;
    }
  }
  int status = check_writable_dir(dir, dir, err, errlen);
  static const char *const names[] = {"audit.md", "audit.tex", "audit.json", "audit.manifest"};
  for (int i = 0; i < 4 && status == TC_SUCCESS; i++) {
    size_t len = strlen(dir) + 32;
    char *path = malloc(len);
    if (path == NULL)
      return TC_ENOMEM;
    snprintf(path, len, "%s/%s", dir, names[i]);
    status = tc_report_check_regular(path, err, errlen);
    free(path);
  }
  return status;
}
