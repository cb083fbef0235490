/*
** builtins.c - the built-in function table.
**
** Tag: OPCODES -- every op named here is implemented in vm.c.
*/
#include "builtins.h"

#include "opcodes.h"

#include <stddef.h>
#include <strings.h>

static const builtin table[] = {
    /* values */
    {"time", 0, 0, BK_VALUE, OP_TIME, SF_NONE, "time"},
    {"dt", 0, 0, BK_VALUE, OP_DT, SF_NONE, "dt"},
    {"start_time", 0, 0, BK_VALUE, OP_START, SF_NONE, "start_time"},
    {"stop_time", 0, 0, BK_VALUE, OP_STOP, SF_NONE, "stop_time"},
    {"pi", 0, 0, BK_VALUE, OP_NUM, SF_NONE, "pi"},
    /* arithmetic and logic */
    {"if_then_else", 3, 3, BK_PURE, OP_IF, SF_NONE, "if_then_else(condition, then, else)"},
    {"min", 2, -1, BK_PURE, OP_MIN, SF_NONE, "min(a, b, ...)"},
    {"max", 2, -1, BK_PURE, OP_MAX, SF_NONE, "max(a, b, ...)"},
    {"abs", 1, 1, BK_PURE, OP_ABS, SF_NONE, "abs(x)"},
    {"exp", 1, 1, BK_PURE, OP_EXP, SF_NONE, "exp(x)"},
    {"ln", 1, 1, BK_PURE, OP_LN, SF_NONE, "ln(x)"},
    {"log10", 1, 1, BK_PURE, OP_LOG10, SF_NONE, "log10(x)"},
    {"sqrt", 1, 1, BK_PURE, OP_SQRT, SF_NONE, "sqrt(x)"},
    {"int", 1, 1, BK_PURE, OP_INT, SF_NONE, "int(x)"},
    {"mod", 2, 2, BK_PURE, OP_MOD, SF_NONE, "mod(a, b)"},
    {"pow", 2, 2, BK_PURE, OP_POW, SF_NONE, "pow(base, exponent)"},
    {"sin", 1, 1, BK_PURE, OP_SIN, SF_NONE, "sin(x)"},
    {"cos", 1, 1, BK_PURE, OP_COS, SF_NONE, "cos(x)"},
    {"tan", 1, 1, BK_PURE, OP_TAN, SF_NONE, "tan(x)"},
    {"arcsin", 1, 1, BK_PURE, OP_ASIN, SF_NONE, "arcsin(x)"},
    {"arccos", 1, 1, BK_PURE, OP_ACOS, SF_NONE, "arccos(x)"},
    {"arctan", 1, 1, BK_PURE, OP_ATAN, SF_NONE, "arctan(x)"},
    {"sinh", 1, 1, BK_PURE, OP_SINH, SF_NONE, "sinh(x)"},
    {"cosh", 1, 1, BK_PURE, OP_COSH, SF_NONE, "cosh(x)"},
    {"tanh", 1, 1, BK_PURE, OP_TANH, SF_NONE, "tanh(x)"},
    {"safediv", 2, 3, BK_PURE, OP_SAFEDIV, SF_NONE, "safediv(a, b[, if_zero])"},
    /* Vensim's ALLOCATE BY PRIORITY, one requester's share (the element's
       index from 0), rectangular priority profiles of the given width */
    {"allocate_by_priority", 5, -1, BK_PURE, OP_ALLOC_PRIORITY, SF_NONE,
     "allocate_by_priority(element, width, supply, request1, priority1, ...)"},
    /* Vensim's ALLOCATE AVAILABLE, one requester's share: each requester's
       request and priority profile (type 1-4, priority, width, extra) */
    {"allocate_available", 7, -1, BK_PURE, OP_ALLOC_AVAILABLE, SF_NONE,
     "allocate_available(element, avail, request1, type1, priority1, width1, extra1, ...)"},
    /* time functions */
    {"step", 2, 2, BK_TIMED, OP_STEP, SF_NONE, "step(height, time)"},
    {"pulse", 2, 4, BK_TIMED, OP_PULSE, SF_NONE, "pulse(height, start[, width[, interval]])"},
    {"ramp", 2, 3, BK_TIMED, OP_RAMP, SF_NONE, "ramp(slope, start[, end])"},
    /* stateful functions (hidden stocks) */
    {"smooth", 2, 3, BK_STATEFUL, 0, SF_SMOOTH, "smooth(input, delay[, init])"},
    {"smooth3", 2, 3, BK_STATEFUL, 0, SF_SMOOTH3, "smooth3(input, delay[, init])"},
    {"delay1", 2, 3, BK_STATEFUL, 0, SF_DELAY1, "delay1(input, delay[, init])"},
    {"delay3", 2, 3, BK_STATEFUL, 0, SF_DELAY3, "delay3(input, delay[, init])"},
    {"smoothn", 3, 4, BK_STATEFUL, 0, SF_SMOOTHN, "smoothn(input, delay, n[, init])"},
    {"delayn", 3, 4, BK_STATEFUL, 0, SF_DELAYN, "delayn(input, delay, n[, init])"},
    /* Vensim's DELAY N: stage k drains over the delay time of k steps ago */
    {"delayn_staged", 3, 4, BK_STATEFUL, 0, SF_DELAYN_STAGED,
     "delayn_staged(input, delay, n[, init])"},
    {"trend", 2, 3, BK_STATEFUL, 0, SF_TREND, "trend(input, average_time[, initial_trend])"},
    {"forecast", 3, 4, BK_STATEFUL, 0, SF_FORECAST,
     "forecast(input, average_time, horizon[, initial_trend])"},
    {"delay_fixed", 2, 3, BK_STATEFUL, 0, SF_DELAY_FIXED, "delay_fixed(input, delay[, init])"},
    {"previous", 2, 2, BK_STATEFUL, 0, SF_PREVIOUS, "previous(x, init)"},
    {"init", 1, 1, BK_INIT, 0, SF_NONE, "init(x)"},
    /* random samples (the optional seed: a number in the equation) */
    {"random_normal", 2, 3, BK_RANDOM, OP_RAND_NORMAL, SF_NONE, "random_normal(mean, sd[, seed])"},
    {"random_uniform", 2, 3, BK_RANDOM, OP_RAND_UNIFORM, SF_NONE, "random_uniform(min, max[, seed])"},
    {"random_poisson", 1, 2, BK_RANDOM, OP_RAND_POISSON, SF_NONE, "random_poisson(mean[, seed])"},
    {"random_exponential", 1, 2, BK_RANDOM, OP_RAND_EXPONENTIAL, SF_NONE,
     "random_exponential(mean[, seed])"},
    {"random_lognormal", 2, 3, BK_RANDOM, OP_RAND_LOGNORMAL, SF_NONE,
     "random_lognormal(mean, sd[, seed])"},
};

const builtin *builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

int builtin_count(void)
{
    return (int)(sizeof table / sizeof table[0]);
}

const builtin *builtin_at(int i)
{
    if (i < 0 || i >= builtin_count())
        return NULL;
    return &table[i];
}
