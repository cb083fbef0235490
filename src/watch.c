/*
** watch.c - which values a step's finiteness check must look at.
**
** After each evaluation of the step program both engines ask one question:
** is any value the step set (a stock, a flow, an auxiliary) not finite?
** Only when the answer is yes do they scan everything, in a fixed order, for
** the variable to report (run.c, find_nonfinite). The question can be
** answered from fewer values: IEEE 754 carries a non-finite operand through
** some operations whatever the other operand is --
**
**   x + y, x - y, x * y   either operand (inf - inf, inf * 0 are NaN)
**   x / y                 the numerator (x / inf is 0: not the denominator)
**   -x                    its operand
**
** so when a later equation of the same step reads x only through such
** operations up to its stored value, a non-finite x makes that value
** non-finite too, and x need not be looked at: the later value covers it.
** Every other operation (functions, pow, comparisons, min/max, lookups, the
** non-negative filters, the denominator) may turn a non-finite operand into
** a finite result and covers nothing. A value not covered by any later one
** is watched. Covering only points forward in the step order, so the chain
** from any non-finite value ends at a watched one: the check over the
** watched values answers the question exactly, for the VM and the generated
** code alike (native_gen.c), and the report does not change.
*/
#include "watch.h"

#include "opcodes.h"

#include <stdlib.h>
#include <string.h>

/* Per stack slot, the variables whose non-finite value would make the
** slot's value non-finite: a singly linked list through next[] (by load
** occurrence), head and tail per slot so that two lists join in O(1). */
typedef struct slot {
    int head, tail; /* load occurrences, -1: none */
} slot;

static slot nothing(void) { return (slot){-1, -1}; }

static slot join(slot a, slot b, int *next)
{
    if (a.head < 0)
        return b;
    if (b.head < 0)
        return a;
    next[a.tail] = b.head;
    return (slot){a.head, b.tail};
}

/* The load occurrences of one snippet: at most one per operation word. */
static int snippet_words(const int32_t *pc)
{
    int n = 0;
    while (*pc != OP_END) {
        pc += op_has_operand(*pc) ? 2 : 1;
        n++;
    }
    return n;
}

/* Mark covered[] for the variables the snippet at pc carries into its
** stored value. st holds max_stack slots, var/next one entry per word. */
static void cover(const int32_t *pc, slot *st, int *var, int *next, unsigned char *covered)
{
    int d = 0, n = 0;
    for (;;) {
        const int op = *pc++;
        const int a = op_has_operand(op) ? *pc++ : 0;
        slot load = nothing();
        if (op == OP_LOAD || (op >= OP_ADD_V && op <= OP_MUL_V)) {
            var[n] = a;
            next[n] = -1;
            load = (slot){n, n};
            n++;
        }
        switch (op) {
        case OP_END:
        case OP_RET:
            return;
        case OP_LOAD: st[d++] = load; break;
        case OP_STORE:
            d--;
            for (int k = st[d].head; k >= 0; k = next[k])
                covered[var[k]] = 1;
            break;
        case OP_ADD: case OP_SUB: case OP_MUL:
            st[d - 2] = join(st[d - 2], st[d - 1], next);
            d--;
            break;
        case OP_DIV: d--; break; /* the numerator's list stays */
        case OP_NEG: case OP_ADD_K: case OP_SUB_K: case OP_MUL_K: case OP_DIV_K:
        case OP_DIV_V:
            break; /* the stack operand's list stays */
        case OP_ADD_V: case OP_SUB_V: case OP_MUL_V:
            st[d - 1] = join(st[d - 1], load, next);
            break;
        case OP_NUM: case OP_TIME: case OP_DT: case OP_START: case OP_STOP:
            st[d++] = nothing();
            break;
        default: {
            /* anything else: pops its operands, pushes a value that covers
               nothing (the stack effect of each, as in vm.c) */
            int pops = 1;
            switch (op) {
            case OP_POW: case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT:
            case OP_GE: case OP_AND: case OP_OR: case OP_MOD: case OP_MIN: case OP_MAX:
            case OP_STEP: case OP_RAND_NORMAL: case OP_RAND_UNIFORM: case OP_RAND_LOGNORMAL:
                pops = 2;
                break;
            case OP_IF: case OP_SAFEDIV: case OP_RAMP: pops = 3; break;
            case OP_PULSE: pops = 4; break;
            case OP_ALLOC_PRIORITY: pops = 2 * a + 3; break;
            case OP_ALLOC_AVAILABLE: pops = 5 * a + 2; break;
            default: pops = 1; break; /* unary functions, lookups, filters, draws */
            }
            d -= pops;
            st[d++] = nothing();
            break;
        }
        }
    }
}

int watch_list(const migdev_model *m, int *out)
{
    const int nv = m->n_vars;
    unsigned char *covered = calloc((size_t)nv + 1, 1);
    unsigned char *is_dyn = calloc((size_t)nv + 1, 1);
    int words = 1;
    for (int k = 0; k < m->n_step; k++) {
        const int c = m->vars[m->step_order[k]].code;
        if (c >= 0) {
            const int w = snippet_words(m->code + c);
            words = w > words ? w : words;
        }
    }
    slot *st = malloc(((size_t)m->max_stack + 1) * sizeof *st);
    int *var = malloc((size_t)words * sizeof *var);
    int *next = malloc((size_t)words * sizeof *next);
    if (!covered || !is_dyn || !st || !var || !next) {
        free(covered), free(is_dyn), free(st), free(var), free(next);
        return -1;
    }
    for (int s = 0; s < m->n_stocks; s++)
        is_dyn[m->stocks[s]] = 1;
    for (int k = 0; k < m->n_step; k++)
        is_dyn[m->step_order[k]] = 1;
    /* a value covers only values of the same step: stocks (set before the
       equations) and equations that come before it; a store covers only
       through loads, which in step order read earlier values or stocks */
    for (int k = 0; k < m->n_step; k++) {
        const variable *v = &m->vars[m->step_order[k]];
        if (v->code >= 0)
            cover(m->code + v->code, st, var, next, covered);
    }
    int n = 0;
    for (int s = 0; s < m->n_stocks; s++)
        if (!covered[m->stocks[s]])
            out[n++] = m->stocks[s];
    for (int k = 0; k < m->n_step; k++) {
        const int i = m->step_order[k];
        /* a variable read by a later equation before its own is set cannot
           happen in step order; covered[] of a constant or an init value is
           ignored (they are not part of the step) */
        if (!covered[i] || !is_dyn[i])
            out[n++] = i;
    }
    free(covered), free(is_dyn), free(st), free(var), free(next);
    return n;
}
