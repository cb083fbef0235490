/*
** native.h - the native engine: the step program as compiled C.
**
** native_gen.c writes C from a compiled model's step program (one statement
** per bytecode operation, stack slots as locals, variables as indexes into
** the flat array v[]); native_cache.c compiles it with the system C
** compiler into a shared object, keeps it in the user's cache and loads it.
** The generated step function does exactly what run_eval() does with the
** VM, and the generated Euler loop what integrate.c's does -- the same
** operations in the same order -- so both engines give the same bits.
** Private, never installed.
*/
#ifndef MIGDEV_NATIVE_H
#define MIGDEV_NATIVE_H

#include <math.h>
#include <stddef.h>

#include "migdev/model.h"
#include "native/native_abi.h"

NATIVE_ABI(NATIVE_AS_CODE)

/* Where and how to build: the compiler command (one program, no flags) and
** the cache folder. */
typedef struct native_cfg {
    char cc[512];
    char cache_dir[1024];
} native_cfg;

/* Loaded code for one model: owned by the model, shared by its runs. */
typedef struct native_code {
    void *handle;                /* dlopen() handle */
    const native_entry *entry;
    int was_cached;              /* found in the cache, not compiled now */
    double compile_seconds;      /* time spent compiling (0 when cached) */
} native_code;

/* The C source of m's step program, NUL-terminated, owned (free()). NULL
** with err set when out of memory. *len gets its length. */
char *native_gen(const migdev_model *m, size_t *len, migdev_error *err);

/* The compiler and cache folder from the environment: MIGDEV_CC (default
** "cc"), $XDG_CACHE_HOME/migdev or $HOME/.cache/migdev. Returns 0, or -1
** with err set when no cache folder can be named. */
int native_cfg_default(native_cfg *cfg, migdev_error *err);

/* Whether cfg->cc names an executable program (found on PATH when it has
** no slash); the full path into path (n bytes). */
int native_find_cc(const native_cfg *cfg, char *path, size_t n);

/* The cache file for source src under cfg (key: a hash of the source, the
** ABI version, the compiler's identity and the flags) into path. Returns 0,
** or -1 when the compiler cannot be found. */
int native_cache_path(const native_cfg *cfg, const char *src, size_t len, char *path,
                      size_t n);

/* Load src's object from the cache, or compile it there first. Returns
** owned code, or NULL with err set (MIGDEV_E_NATIVE: no compiler, the
** compiler's first error, an unusable cache). file names the model in
** messages. */
native_code *native_load(const native_cfg *cfg, const char *src, size_t len, int n_vars,
                         int n_stocks, const char *file, migdev_error *err);

void native_free(native_code *c);

#endif
