/* passwords.h — which new passwords are too weak to set: too short, one of the passwords
   every guessing list starts with, or the account's own name. */
#ifndef ISMS_PASSWORDS_H
#define ISMS_PASSWORDS_H
#include "../base/err.h"

#define PASSWORDS_MIN_LENGTH 10

/* 0 if password may be set for username (which may be NULL); otherwise -1 with ERR_INVALID
   on field "password" saying why, never echoing the password. */
int passwords_check(const char *username, const char *password, struct err *e);

#endif
