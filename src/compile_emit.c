/*
** compile_emit.c - emission: bytecode of every equation (folding constant subexpressions).
**
** Part of the compiler (see compile.c for the steps and compile_int.h).
*/
#include "builtins.h"
#include "compile_int.h"
#include "error_int.h"
#include "lexer.h"
#include "model_int.h"
#include "opcodes.h"
#include "util.h"
#include "vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------- code */

typedef struct emitter {
    migdev_model *m;
    int depth, max_depth;
    int failed;
    double scratch[256]; /* VM stack for folding; kept off emit()'s recursive frames */
} emitter;

static void emit1(emitter *e, int32_t x)
{
    migdev_model *m = e->m;
    if (util_grow((void **)&m->code, &m->cap_code, m->n_code + 1, sizeof *m->code)) {
        e->failed = 1;
        return;
    }
    m->code[m->n_code++] = x;
}

static void push(emitter *e, int n)
{
    e->depth += n;
    if (e->depth > e->max_depth)
        e->max_depth = e->depth;
}

static void emit_num(emitter *e, double x)
{
    migdev_model *m = e->m;
    if (util_grow((void **)&m->pool, &m->cap_pool, m->n_pool + 1, sizeof *m->pool)) {
        e->failed = 1;
        return;
    }
    m->pool[m->n_pool] = x;
    emit1(e, OP_NUM);
    emit1(e, m->n_pool++);
    push(e, 1);
}

static int binop(int tok)
{
    switch (tok) {
    case TK_PLUS: return OP_ADD;
    case TK_MINUS: return OP_SUB;
    case TK_STAR: return OP_MUL;
    case TK_SLASH: return OP_DIV;
    case TK_CARET: return OP_POW;
    case TK_EQ: return OP_EQ;
    case TK_NE: return OP_NE;
    case TK_LT: return OP_LT;
    case TK_LE: return OP_LE;
    case TK_GT: return OP_GT;
    case TK_GE: return OP_GE;
    case TK_AND: return OP_AND;
    default: return OP_OR;
    }
}

/* Emit code that pushes the value of n. Returns 1 when the value is a
** compile-time constant (and then folds it into one literal). */
static int emit(emitter *e, const node *n)
{
    const int start = e->m->n_code;
    const int depth0 = e->depth;
    int is_const = 1;
    switch (n->kind) {
    case N_NUM:
        emit_num(e, n->num);
        return 1;
    case N_REF:
        emit1(e, OP_LOAD);
        emit1(e, n->ref);
        push(e, 1);
        return 0;
    case N_UNARY:
        is_const = emit(e, n->args[0]);
        if (n->op == TK_MINUS)
            emit1(e, OP_NEG);
        else if (n->op == TK_NOT)
            emit1(e, OP_NOT);
        break;
    case N_BINARY: {
        is_const = emit(e, n->args[0]);
        const int right = e->m->n_code;
        is_const &= emit(e, n->args[1]);
        const int op = binop(n->op);
        const int32_t *rc = e->m->code + right;
        if (!e->failed && e->m->n_code - right == 2 && (rc[0] == OP_LOAD || rc[0] == OP_NUM) &&
            op >= OP_ADD && op <= OP_DIV) {
            /* fuse "push operand; op" into one instruction */
            const int fused = (rc[0] == OP_LOAD ? OP_ADD_V : OP_ADD_K) + (op - OP_ADD);
            e->m->code[right] = fused;
            push(e, -1);
            break;
        }
        emit1(e, op);
        push(e, -1);
        break;
    }
    case N_CALL:
        if (!n->is_lookup && n->nargs >= 2 &&
            (builtin_at(n->fn)->op == OP_MIN || builtin_at(n->fn)->op == OP_MAX)) {
            /* a b c -> min(min(a, b), c): emitted left to right, each argument
               once (emitting them all first, then again, made nested MINs cost
               2^depth) */
            const int op = builtin_at(n->fn)->op;
            is_const = emit(e, n->args[0]);
            for (int i = 1; i < n->nargs; i++) {
                is_const &= emit(e, n->args[i]);
                emit1(e, op);
                push(e, -1);
            }
            break;
        }
        for (int i = 0; i < n->nargs; i++)
            is_const &= emit(e, n->args[i]);
        if (n->is_lookup) {
            emit1(e, OP_LOOKUP);
            emit1(e, n->fn);
            break;
        }
        {
            const builtin *b = builtin_at(n->fn);
            if (b->kind == BK_VALUE) {
                emit1(e, b->op);
                push(e, 1);
                return 0; /* time, dt, start and stop are per run */
            }
            if (b->kind == BK_TIMED)
                is_const = 0;
            if (b->kind == BK_RANDOM) {
                emit1(e, b->op);
                emit1(e, n->ref); /* the call site */
                push(e, 1 - n->nargs);
                return 0;
            }
            if (b->op == OP_SAFEDIV && n->nargs == 2)
                emit_num(e, 0.0);
            if (b->op == OP_PULSE) {
                if (n->nargs < 3) {
                    emit1(e, OP_DT);
                    push(e, 1);
                }
                if (n->nargs < 4)
                    emit_num(e, 0.0);
            }
            if (b->op == OP_RAMP && n->nargs < 3)
                emit_num(e, INFINITY);
            const int n_in = b->op == OP_PULSE ? 4 : (b->op == OP_RAMP || b->op == OP_IF || b->op == OP_SAFEDIV) ? 3 : n->nargs;
            emit1(e, b->op);
            if (b->op == OP_ALLOC_PRIORITY)
                emit1(e, (n->nargs - 3) / 2); /* the requesters */
            if (b->op == OP_ALLOC_AVAILABLE)
                emit1(e, (n->nargs - 2) / 5);
            push(e, 1 - n_in);
        }
        break;
    }
    if (is_const && !e->failed) {
        /* fold: run the fragment now and keep only its value */
        emit1(e, OP_RET);
        if (e->failed)
            return 0;
        if (e->max_depth - depth0 < 256) {
            vm_env env = {.pool = e->m->pool, .tables = e->m->lookups};
            const double x = vm_value(e->m->code + start, &env, e->scratch);
            e->m->n_code = start;
            e->depth = depth0;
            emit_num(e, x);
        } else {
            e->m->n_code--; /* drop OP_RET, keep the code */
        }
    }
    return is_const;
}

/* Length of a snippet up to (not including) its OP_END. */
static int snippet_len(const int32_t *c)
{
    int j = 0;
    while (c[j] != OP_END)
        j += op_has_operand(c[j]) ? 2 : 1;
    return j;
}

int comp_generate(migdev_model *m, migdev_error *err)
{
    emitter e = {m, 0, 0, 0, {0.0}};
    for (int i = 0; i < m->n_vars && !e.failed; i++) {
        variable *v = &m->vars[i];
        if (v->kind == VK_CONST || !v->eq)
            continue;
        v->code = m->n_code;
        e.depth = 0;
        emit(&e, v->eq);
        if (v->kind == VK_FLOW && v->non_negative)
            emit1(&e, OP_MAX0);
        for (int r = 0; r < 2 && v->kind == VK_FLOW && v->nn[r] >= 0; r++) {
            emit1(&e, OP_NNLIMIT);
            emit1(&e, v->nn[r]);
        }
        emit1(&e, OP_STORE);
        emit1(&e, i);
        emit1(&e, OP_END);
    }
    if (e.failed)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    m->max_stack = e.max_depth + 1;
    /* the step program: dynamic snippets back to back, one OP_END */
    int len = 1;
    for (int k = 0; k < m->n_step; k++) {
        len += snippet_len(m->code + m->vars[m->step_order[k]].code);
    }
    m->step_code = malloc((size_t)len * sizeof *m->step_code);
    if (!m->step_code)
        return err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
    int at = 0;
    for (int k = 0; k < m->n_step; k++) {
        const int32_t *c = m->code + m->vars[m->step_order[k]].code;
        const int j = snippet_len(c);
        memcpy(m->step_code + at, c, (size_t)j * sizeof *c);
        at += j;
    }
    m->step_code[at] = OP_END;
    return 0;
}
