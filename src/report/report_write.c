/* Format selection and atomic report files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "report_common.h"

int tc_format_parse(tc_format *f, const char *name)
{
  if (strcmp(name, "md") == 0) *f = TC_FORMAT_MD;
  else if (strcmp(name, "tex") == 0) *f = TC_FORMAT_TEX;
  else if (strcmp(name, "json") == 0) *f = TC_FORMAT_JSON;
  else return TC_EDOM;
  return TC_SUCCESS;
}

int tc_report_write(FILE *out, tc_format f, const tc_run_result *r)
{
  switch (f) {
  case TC_FORMAT_MD: return tc_report_md(out, r);
  case TC_FORMAT_TEX: return tc_report_tex(out, r);
  default: return tc_report_json(out, r);
  }
}

typedef struct {
  tc_format f;
  const tc_run_result *r;
} report_args;

static int write_report(FILE *out, const void *data)
{
  const report_args *a = data;
  return tc_report_write(out, a->f, a->r);
}

int tc_report_write_file(const char *path, tc_format f, const tc_run_result *r, char *err, size_t errlen)
{
  report_args a = {f, r};
  return tc_report_write_atomic(path, write_report, &a, err, errlen);
}

int tc_report_write_atomic(const char *path, int (*write)(FILE *, const void *), const void *data,
                           char *err, size_t errlen)
{
  int status = tc_report_check_regular(path, err, errlen);
  if (status != TC_SUCCESS)
    return status;
  size_t len = strlen(path) + 16;
  char *tmp = malloc(len);
  if (tmp == NULL)
    return TC_ENOMEM;
  /* Same directory as the target, so rename() is atomic; mkstemp creates
   * the file exclusively, so it never opens an existing link or device. */
  snprintf(tmp, len, "%s.tmpXXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot create temporary file: %s", path, strerror(errno));
    free(tmp);
    return TC_EIO;
  }
  /* mkstemp creates 0600; a report is an ordinary readable file. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  FILE *out = fdopen(fd, "w");
  status = out ? write(out, data) : TC_EIO;
  if (out && (fflush(out) != 0 || fsync(fd) != 0))
    status = TC_EIO;
  if (out && fclose(out) != 0)
    status = TC_EIO;
  if (out == NULL)
    close(fd);
  if (status != TC_SUCCESS)
    snprintf(err, errlen, "%s: cannot write report: %s", path, strerror(errno));
  /* Checked again: the path may have changed during the run. */
  else if ((status = tc_report_check_regular(path, err, errlen)) == TC_SUCCESS && rename(tmp, path) != 0) {
    snprintf(err, errlen, "%s: cannot write report: %s", path, strerror(errno));
    status = TC_EIO;
  }
  if (status != TC_SUCCESS)
    unlink(tmp);
  free(tmp);
  return status;
}
