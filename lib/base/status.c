/* SPDX-License-Identifier: MIT
 * Status names and messages, generated from include/rouse/rouse_status.def, and the
 * runtime version. */
#include "base.h"

const char *rouse_strerror(int status) {
  switch (status) {
#define X(name, value, message) \
  case value:                   \
    return message;
#include "rouse/rouse_status.def"
#undef X
  }
  return "unknown status";
}

const char *rouse_status_name(int status) {
  switch (status) {
#define X(name, value, message) \
  case value:                   \
    return "ROUSE_" #name;
#include "rouse/rouse_status.def"
#undef X
  }
  return "ROUSE_UNKNOWN";
}

int rouse_version_number(void) { return ROUSE_VERSION_NUMBER; }
const char *rouse_version_string(void) { return ROUSE_VERSION_STRING; }
