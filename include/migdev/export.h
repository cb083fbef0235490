/*
** export.h - MIGDEV_API marks the functions the shared library exports.
**
** The library is compiled with hidden visibility: every function not marked
** MIGDEV_API stays inside libmigdev.so, so the only exported names are the
** migdev_-prefixed ones declared in these headers (tests/check_symbols.sh
** checks it with nm -D). For a program using the library the mark is
** harmless.
*/
#ifndef MIGDEV_EXPORT_H
#define MIGDEV_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MIGDEV_API __attribute__((visibility("default")))
#else
#define MIGDEV_API
#endif

#endif
