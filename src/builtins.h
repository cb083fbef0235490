/*
** builtins.h - the table of built-in functions and names.
**
** A static const table: name, arity range, and how the compiler treats the
** call (a plain opcode, a time-dependent opcode, a zero-argument value such
** as `time`, or a stateful function that becomes hidden stocks).
*/
#ifndef MIGDEV_BUILTINS_H
#define MIGDEV_BUILTINS_H

typedef enum {
    BK_PURE,      /* a function of its arguments only */
    BK_TIMED,     /* depends on the current time (step, pulse, ramp) */
    BK_VALUE,     /* a name with no arguments: time, dt, pi, ... */
    BK_STATEFUL,  /* smooth, delay...: expanded into hidden stocks */
    BK_INIT,      /* init(x): the value of x at the start */
    BK_RANDOM     /* a random sample, drawn once per time step (op k) */
} builtin_kind;

typedef enum {
    SF_NONE = 0, SF_SMOOTH, SF_SMOOTH3, SF_DELAY1, SF_DELAY3,
    SF_SMOOTHN, SF_DELAYN,   /* n stages; n (argument 3) a number in the equation */
    SF_DELAYN_STAGED,        /* delayn whose stages keep the delay time they saw */
    SF_TREND, SF_FORECAST,   /* fractional trend over a first-order smooth */
    SF_DELAY_FIXED,          /* the input as it was a fixed time ago */
    SF_PREVIOUS              /* the input as it was one step ago */
} stateful_fn;

typedef struct builtin {
    const char *name;
    int min_args, max_args; /* max_args < 0: any number >= min_args */
    builtin_kind kind;
    int op;                 /* opcode (BK_PURE, BK_TIMED, BK_VALUE) */
    int stateful;           /* a stateful_fn for BK_STATEFUL */
    const char *signature;  /* for messages: "smooth(input, delay[, init])" */
} builtin;

/* The builtin called name (case-insensitive), or NULL. */
const builtin *builtin_find(const char *name);

/* Number of builtins and the i-th one (for suggestions and docs). */
int builtin_count(void);
const builtin *builtin_at(int i);

#endif
