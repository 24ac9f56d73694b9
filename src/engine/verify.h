/* verify.h — checking the change log's hash chain and that every record's current state is
   the state its last change recorded. */
#ifndef ISMS_VERIFY_H
#define ISMS_VERIFY_H
#include <stdio.h>

#include "record.h"

struct verify_result {
	long long checked;   /* change rows read */
	long long first_bad; /* 0 when everything is consistent */
	long long problems;
	long long blobs; /* stored files re-hashed */
	char head[65]; /* the head hash, worth writing down somewhere else */
};

/* Reads the whole log, every record table and every stored file (whose SHA-256 must still
   be its key); describes each problem on out (at most a
   few dozen lines). Returns -1 only if the store could not be read. */
int verify_run(struct ctx *c, struct verify_result *res, FILE *out, struct err *e);

#endif
