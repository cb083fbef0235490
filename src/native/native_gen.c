/*
** native_gen.c - write a model's step program as C.
**
** Input: the compiled, ordered model (model_int.h): the stocks, the
** step_order snippets of bytecode (opcodes.h) and the flow table. Output:
** one C file with two entry points (native_abi.h): `step` does what
** run_eval() does with the VM -- copy the stocks into v[], run every
** snippet, gather the flows into dydt[], say whether a watched value
** (watch.c) is not finite -- and `euler` is integrate.c's Euler loop
** itself, the stocks kept in v[] (no copy in, no gathering out).
**
** Each bytecode operation becomes one C statement on locals s0, s1, ... (the
** VM's stack slots), so the C compiler sees the same operations in the same
** order; compiled without -ffast-math and with -ffp-contract=off it gives the
** VM's bits. Two equations of the same shape (a chain's links) become one
** statement list on pairs of doubles (vector extension: per-lane IEEE
** arithmetic, the same bits, half the divisions). Literals are written as
** their IEEE bit patterns; non-finite ones are read from the model's pool.
** Lookup tables and non-negative filters are inline: the VM's own
** vm_lookup and vm_nn_limit (native_abi.h) on static copies of the tables
** and rules. The rare operations (pulse, ramp, step, random draws) call
** back into vm.c, so there is one implementation of each.
**
** The finiteness check reads each watched value as it is stored, while it
** is still in a register; check() reads the rest (stocks, mostly).
**
** Security: the source contains no text from the model except inside
** comments, escaped so that only [A-Za-z0-9_] pass through (anything else,
** '*' and '/' included, becomes %XX). Variables are indexes, never
** identifiers.
**
** Tag: OPCODES -- every opcode vm.c runs has a case here.
*/
#include "native/native.h"

#include "error_int.h"
#include "model_int.h"
#include "opcodes.h"
#include "watch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Operations per generated function: gcc -O2's time grows faster than the
** function's size (alias walking, dead-store elimination); with 200 it
** compiles a 5,000-equation model in about 2 s of CPU, half the time of
** 3,000 and as fast at run time (docs/design.md). */
enum { GEN_PART_OPS = 200 };

/* Stocks per function that copies them in and gathers their flows. */
enum { GEN_PART_STOCKS = 250 };

/* Consecutive watched indexes that the check reads in a loop of their own. */
enum { GEN_CHECK_RUN = 8 };

/* Write name as a comment body: [A-Za-z0-9_] as is, any other byte %XX. */
static void put_escaped(FILE *f, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        const int c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_')
            fputc(c, f);
        else
            fprintf(f, "%%%02X", (unsigned)c);
    }
}

/* A literal: its bit pattern (exact, independent of the locale), or the
** pool slot for a non-finite value. */
static void put_literal(FILE *f, const migdev_model *m, int k)
{
    const double x = m->pool[k];
    if (x - x != 0.0) {
        fprintf(f, "c->pool[%d]", k);
        return;
    }
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    fprintf(f, "B(0x%016llxULL)", (unsigned long long)u);
}

static const char *binop(int op)
{
    switch (op) {
    case OP_ADD: case OP_ADD_V: case OP_ADD_K: return "+";
    case OP_SUB: case OP_SUB_V: case OP_SUB_K: return "-";
    case OP_MUL: case OP_MUL_V: case OP_MUL_K: return "*";
    case OP_DIV: case OP_DIV_V: case OP_DIV_K: return "/";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    default: return NULL;
    }
}

static const char *unary_fn(int op)
{
    switch (op) {
    case OP_ABS: return "__builtin_fabs";
    case OP_EXP: return "exp";
    case OP_LN: return "log";
    case OP_LOG10: return "log10";
    case OP_SQRT: return "__builtin_sqrt";
    case OP_INT: return "floor";
    case OP_SIN: return "sin";
    case OP_COS: return "cos";
    case OP_TAN: return "tan";
    case OP_ASIN: return "asin";
    case OP_ACOS: return "acos";
    case OP_ATAN: return "atan";
    case OP_SINH: return "sinh";
    case OP_COSH: return "cosh";
    case OP_TANH: return "tanh";
    default: return NULL;
    }
}

/* One snippet (ending at OP_END) as statements; d is the stack depth.
** Returns the number of operations, or -1 for an opcode this file does not
** know (a generator out of step with opcodes.h). */
static int put_snippet(FILE *f, const migdev_model *m, const int32_t *pc,
                       const unsigned char *watched)
{
    int d = 0, n = 0;
    for (;; n++) {
        const int op = *pc++;
        const int a = op_has_operand(op) ? *pc++ : 0;
        const char *bo = binop(op), *uf = unary_fn(op);
        if (op == OP_END)
            return n;
        fputs("  ", f);
        if (bo && op >= OP_ADD_V && op <= OP_DIV_V) {
            fprintf(f, "s%d = s%d %s v[%d];\n", d - 1, d - 1, bo, a);
        } else if (bo && op >= OP_ADD_K && op <= OP_DIV_K) {
            fprintf(f, "s%d = s%d %s ", d - 1, d - 1, bo);
            put_literal(f, m, a);
            fputs(";\n", f);
        } else if (bo) {
            fprintf(f, "s%d = s%d %s s%d;\n", d - 2, d - 2, bo, d - 1);
            d--;
        } else if (uf) {
            fprintf(f, "s%d = %s(s%d);\n", d - 1, uf, d - 1);
        } else {
            switch (op) {
            case OP_NUM:
                fprintf(f, "s%d = ", d++);
                put_literal(f, m, a);
                fputs(";\n", f);
                break;
            case OP_LOAD: fprintf(f, "s%d = v[%d];\n", d, a), d++; break;
            case OP_STORE:
                fprintf(f, "v[%d] = s%d;\n", a, --d);
                if (watched[a]) /* the check, on the value still in a register */
                    fprintf(f, "  w |= nf(s%d);\n", d);
                break;
            case OP_TIME: fprintf(f, "s%d = c->time;\n", d++); break;
            case OP_DT: fprintf(f, "s%d = c->dt;\n", d++); break;
            case OP_START: fprintf(f, "s%d = c->start;\n", d++); break;
            case OP_STOP: fprintf(f, "s%d = c->stop;\n", d++); break;
            case OP_POW: fprintf(f, "s%d = pow(s%d, s%d);\n", d - 2, d - 2, d - 1), d--; break;
            case OP_NEG: fprintf(f, "s%d = -s%d;\n", d - 1, d - 1); break;
            case OP_AND:
                fprintf(f, "s%d = (s%d != 0.0) && (s%d != 0.0);\n", d - 2, d - 2, d - 1), d--;
                break;
            case OP_OR:
                fprintf(f, "s%d = (s%d != 0.0) || (s%d != 0.0);\n", d - 2, d - 2, d - 1), d--;
                break;
            case OP_NOT: fprintf(f, "s%d = s%d == 0.0;\n", d - 1, d - 1); break;
            case OP_IF:
                fprintf(f, "s%d = s%d != 0.0 ? s%d : s%d;\n", d - 3, d - 3, d - 2, d - 1);
                d -= 2;
                break;
            case OP_MOD: fprintf(f, "s%d = vm_mod(s%d, s%d);\n", d - 2, d - 2, d - 1), d--; break;
            case OP_MIN: fprintf(f, "s%d = vm_min(s%d, s%d);\n", d - 2, d - 2, d - 1), d--; break;
            case OP_MAX: fprintf(f, "s%d = vm_max(s%d, s%d);\n", d - 2, d - 2, d - 1), d--; break;
            case OP_SAFEDIV:
                fprintf(f, "s%d = s%d != 0.0 ? s%d / s%d : s%d;\n", d - 3, d - 2, d - 3, d - 2,
                        d - 1);
                d -= 2;
                break;
            case OP_STEP:
                fprintf(f, "s%d = c->step(c, s%d, s%d);\n", d - 2, d - 2, d - 1), d--;
                break;
            case OP_PULSE:
                fprintf(f, "s%d = c->pulse(c, s%d, s%d, s%d, s%d);\n", d - 4, d - 4, d - 3,
                        d - 2, d - 1);
                d -= 3;
                break;
            case OP_RAMP:
                fprintf(f, "s%d = c->ramp(c, s%d, s%d, s%d);\n", d - 3, d - 3, d - 2, d - 1);
                d -= 2;
                break;
            case OP_LOOKUP: fprintf(f, "s%d = lk%d(s%d);\n", d - 1, a, d - 1); break;
            case OP_MAX0: fprintf(f, "s%d = s%d > 0.0 ? s%d : 0.0;\n", d - 1, d - 1, d - 1); break;
            case OP_NNLIMIT: {
                const nn_rule *r = &m->nn_rules[a];
                fprintf(f, "s%d = vm_nn_limit(v, c->nn_h, %d, %d, nr%d, ns%d, %d, s%d);\n", d - 1,
                        r->stock, r->sign, a, a, r->n, d - 1);
                break;
            }
            case OP_RAND_NORMAL:
            case OP_RAND_UNIFORM:
            case OP_RAND_LOGNORMAL:
                fprintf(f, "s%d = c->sample(c, %d, %d, s%d, s%d);\n", d - 2, op, a, d - 2,
                        d - 1);
                d--;
                break;
            case OP_RAND_POISSON:
            case OP_RAND_EXPONENTIAL:
                fprintf(f, "s%d = c->sample(c, %d, %d, s%d, 0.0);\n", d - 1, op, a, d - 1);
                break;
            case OP_ALLOC_PRIORITY: { /* the operands as one array, as in vm.c */
                const int m_in = 2 * a + 3;
                fputs("{\n    const double al[] = {", f);
                for (int k = d - m_in; k < d; k++)
                    fprintf(f, "s%d%s", k, k + 1 < d ? ", " : "");
                fprintf(f, "};\n    s%d = vm_alloc_priority(al, %d);\n  }\n", d - m_in, a);
                d -= m_in - 1;
                break;
            }
            case OP_ALLOC_AVAILABLE: {
                const int m_in = 5 * a + 2;
                fputs("{\n    const double al[] = {", f);
                for (int k = d - m_in; k < d; k++)
                    fprintf(f, "s%d%s", k, k + 1 < d ? ", " : "");
                fprintf(f, "};\n    s%d = vm_alloc_available(al, %d);\n  }\n", d - m_in, a);
                d -= m_in - 1;
                break;
            }
            default: return -1; /* OP_RET never reaches the step program */
            }
        }
    }
}

static void open_part(FILE *f, int part, int max_stack)
{
    /* noinline: gcc would put every part, called once, back into one huge
       function, and its time grows faster than the function */
    fprintf(f,
            "\nstatic __attribute__((noinline)) unsigned long long part%d(double *v,\n"
            "                                                            const native_ctx *c)\n"
            "{\n  unsigned long long w = 0;\n  double s0",
            part);
    for (int k = 1; k < max_stack; k++)
        fprintf(f, ", s%d", k);
    fputs(";\n#if NATIVE_VEC\n  D2 p0", f);
    for (int k = 1; k < max_stack; k++)
        fprintf(f, ", p%d", k);
    fputs(";\n  U2 w2 = {0, 0};\n#endif\n  (void)c;\n", f);
}

/* The end of a part: the OR of the checks of the watched values it set. */
static void close_part(FILE *f)
{
    fputs("#if NATIVE_VEC\n  w |= w2[0] | w2[1];\n#endif\n  return w;\n}\n", f);
}

/* The derivative of stock s as run_eval() sums it: 0.0, then each flow
** added or subtracted in the flow table's order. */
static void put_flow_sum(FILE *f, const migdev_model *m, int s)
{
    fputs("0.0", f);
    for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++)
        fprintf(f, " %c v[%d]", m->flow_sign[k] > 0 ? '+' : '-', m->flow_var[k]);
}

/* Whether stocks s and s + 1 have as many flows with the same signs. */
static int same_flows(const migdev_model *m, int s, int t)
{
    const int n = m->flow_off[s + 1] - m->flow_off[s];
    if (m->flow_off[t + 1] - m->flow_off[t] != n)
        return 0;
    for (int k = 0; k < n; k++)
        if (m->flow_sign[m->flow_off[s] + k] != m->flow_sign[m->flow_off[t] + k])
            return 0;
    return 1;
}

static void put_pair_operand(FILE *f, const migdev_model *m, int op, int a, int b);

/* The Euler update of stocks s and s + 1 on two lanes (see put_pair):
** stock + dt * (0.0 +- flow ...), each lane as the scalar statement. */
static void put_update_pair(FILE *f, const migdev_model *m, int s)
{
    const int a = m->stocks[s], b = m->stocks[s + 1];
    fputs("#if NATIVE_VEC\n  {\n    D2 x = ", f);
    put_pair_operand(f, m, OP_LOAD, a, b);
    fputs(" + (D2){dt, dt} * ((D2){0.0, 0.0}", f);
    const int n = m->flow_off[s + 1] - m->flow_off[s];
    for (int k = 0; k < n; k++) {
        const int ka = m->flow_off[s] + k, kb = m->flow_off[s + 1] + k;
        fprintf(f, " %c ", m->flow_sign[ka] > 0 ? '+' : '-');
        put_pair_operand(f, m, OP_LOAD, m->flow_var[ka], m->flow_var[kb]);
    }
    if (b == a + 1)
        fprintf(f, ");\n    S2(v + %d, x);\n  }\n#else\n", a);
    else
        fprintf(f, ");\n    v[%d] = x[0];\n    v[%d] = x[1];\n  }\n#else\n", a, b);
    for (int t = s; t <= s + 1; t++) {
        fprintf(f, "  v[%d] = v[%d] + dt * (", m->stocks[t], m->stocks[t]);
        put_flow_sum(f, m, t);
        fputs(");\n", f);
    }
    fputs("#endif\n", f);
}

/* Whether the generated code can run the Euler loop itself: no delays (their
** rings live in the run), no random draws (they need the step number) and
** no flow that is a stock (the update reads flows while it writes stocks). */
static int has_euler(const migdev_model *m)
{
    if (m->n_hist > 0 || m->n_rand > 0 || m->n_stocks == 0)
        return 0;
    for (int k = 0; k < m->flow_off[m->n_stocks]; k++)
        if (m->stock_of_var[m->flow_var[k]] >= 0)
            return 0;
    return 1;
}

static int cmp_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* check(v): 1 when a watched value (watch.c, the same list run_eval's VM
** path reads) that no part sets (stocks, mostly) is not finite: its
** exponent bits all set, so that adding one to them carries into bit 63
** (integer work, as in run.c). Runs of consecutive indexes become loops;
** the rest a table. The parts check what they set as they store it. */
static int put_check(FILE *f, const migdev_model *m, const unsigned char *in_part)
{
    int *w = malloc(((size_t)m->n_stocks + (size_t)m->n_step + 1) * sizeof *w);
    int n = w ? watch_list(m, w) : -1;
    if (n < 0) {
        free(w);
        return -1;
    }
    int kept = 0; /* the parts check the values they set themselves */
    for (int k = 0; k < n; k++)
        if (!in_part[w[k]])
            w[kept++] = w[k];
    n = kept;
    qsort(w, (size_t)n, sizeof *w, cmp_int);
    /* single indexes (runs shorter than GEN_CHECK_RUN) into a table */
    int n_single = 0;
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && w[j] == w[j - 1] + 1)
            j++;
        if (j - i < GEN_CHECK_RUN)
            n_single += j - i;
        i = j;
    }
    if (n_single > 0) {
        fputs("\nstatic const int watched[] = {", f);
        int c = 0;
        for (int i = 0; i < n;) {
            int j = i + 1;
            while (j < n && w[j] == w[j - 1] + 1)
                j++;
            for (int k = i; j - i < GEN_CHECK_RUN && k < j; k++)
                {
                fprintf(f, "%s%d", c == 0 ? "\n  " : (c % 16 ? ", " : ",\n  "), w[k]);
                c++;
            }
            i = j;
        }
        fputs("\n};\n", f);
    }
    fputs("\nstatic int check(const double *v)\n{\n  unsigned long long b0 = 0, b1 = 0;\n"
          "#if NATIVE_VEC\n  U2 b2 = {0, 0};\n#endif\n",
          f);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && w[j] == w[j - 1] + 1)
            j++;
        if (j - i >= GEN_CHECK_RUN) {
            const int len = j - i;
            fprintf(f,
                    "#if NATIVE_VEC\n"
                    "  for (int i = %d; i < %d; i += 2) {\n"
                    "    U2 x;\n    __builtin_memcpy(&x, v + i, sizeof x);\n"
                    "    b2 |= (x & (U2){NF_EXP, NF_EXP}) + (U2){NF_ONE, NF_ONE};\n  }\n"
                    "#else\n"
                    "  for (int i = %d; i < %d; i += 2) {\n"
                    "    b0 |= nf(v[i]);\n    b1 |= nf(v[i + 1]);\n  }\n"
                    "#endif\n",
                    w[i], w[i] + len / 2 * 2, w[i], w[i] + len / 2 * 2);
            if (len % 2)
                fprintf(f, "  b0 |= nf(v[%d]);\n", w[j - 1]);
        }
        i = j;
    }
    if (n_single > 0)
        fprintf(f,
                "  for (int i = 0; i < %d; i++)\n"
                "    b0 |= nf(v[watched[i]]);\n",
                n_single);
    fputs("#if NATIVE_VEC\n  b1 |= b2[0] | b2[1];\n#endif\n"
          "  return (int)((b0 | b1) >> 63);\n}\n", f);
    free(w);
    return 0;
}

/* x as an exact hexadecimal floating constant (C99), from its bits: no
** rounding and no locale (an infinity or NaN as <math.h>'s constant). */
static void put_hex_double(FILE *f, double x)
{
    if (x != x) {
        fputs("NAN", f);
        return;
    }
    if (x - x != 0.0) {
        fputs(x > 0 ? "INFINITY" : "-INFINITY", f);
        return;
    }
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    const int neg = (int)(u >> 63);
    const int e = (int)((u >> 52) & 0x7ff);
    const uint64_t frac = u & ((UINT64_C(1) << 52) - 1);
    if (e == 0 && frac == 0) {
        fputs(neg ? "-0x0p+0" : "0x0p+0", f);
        return;
    }
    fprintf(f, "%s0x%d.%013llxp%+d", neg ? "-" : "", e ? 1 : 0, (unsigned long long)frac,
            e ? e - 1023 : -1022);
}

/* Table t as a function of its own: the points as static constants, the
** VM's vm_lookup (native_abi.h) with the table's kind, which gcc then
** specialises; no call back into the library. */
static void put_table(FILE *f, const migdev_model *m, int t)
{
    const lookup_tbl *L = &m->lookups[t];
    for (int k = 0; k < 2; k++) {
        const double *p = k ? L->y : L->x;
        fprintf(f, "\nstatic const double lk%d_%c[%d] = {", t, k ? 'y' : 'x', L->n);
        for (int i = 0; i < L->n; i++) {
            fputs(i == 0 ? "\n  " : (i % 4 ? ", " : ",\n  "), f);
            put_hex_double(f, p[i]);
        }
        fputs("\n};\n", f);
    }
    fprintf(f,
            "\nstatic double lk%d(double x)\n{\n"
            "  return vm_lookup(lk%d_x, lk%d_y, %d, %d, %d, %d, %d, %d, %d, x);\n}\n",
            t, t, t, L->n, L->kind == LK_DISCRETE, L->kind == LK_EXTRAPOLATE, L->is_data,
            L->outside_nan, L->kind == LK_RAW, L->kind == LK_FORWARD);
}

/* The flows served before non-negative filter r (nn_rule): their indexes
** and signs as static constants for vm_nn_limit (native_abi.h). */
static void put_nn_rule(FILE *f, const migdev_model *m, int r)
{
    const nn_rule *R = &m->nn_rules[r];
    fprintf(f, "\nstatic const int nr%d[%d] = {", r, R->n + 1);
    for (int k = 0; k < R->n; k++)
        fprintf(f, "%d, ", m->nn_ref[R->first + k]);
    fprintf(f, "0};\nstatic const signed char ns%d[%d] = {", r, R->n + 1);
    for (int k = 0; k < R->n; k++)
        fprintf(f, "%d, ", m->nn_sign[R->first + k]);
    fputs("0};\n", f);
}

/* The tables and filters the step program reads, each once. done has room
** for n_lookups + n_nn_rules marks. */
static void put_tables(FILE *f, const migdev_model *m, unsigned char *done)
{
    for (const int32_t *pc = m->step_code; *pc != OP_END; pc += op_has_operand(*pc) ? 2 : 1)
        if (*pc == OP_LOOKUP && !done[pc[1]]) {
            done[pc[1]] = 1;
            put_table(f, m, pc[1]);
        } else if (*pc == OP_NNLIMIT && !done[m->n_lookups + pc[1]]) {
            done[m->n_lookups + pc[1]] = 1;
            put_nn_rule(f, m, pc[1]);
        }
}

/* ---- pairs: two equations of the same shape as one two-lane statement.
** Two equations with the same operations on different variables (the
** links of a chain, the cohorts of an aging chain) are written once on
** pairs of doubles (GCC's vector extension, SSE2 on x86-64): each lane is
** the scalar operation, IEEE 754 rounding per element, so the bits do not
** change, and one divpd does the work of two divsd. Only plain arithmetic
** pairs (opcodes below); the second equation is moved up to the first,
** which changes nothing when it reads nothing written in between. Under a
** compiler without the extension (tcc) the same pair is two scalar
** equations (#if NATIVE_VEC). */

/* Equations looked at ahead of one for its partner. */
enum { GEN_PAIR_WINDOW = 16 };

static int pairable_op(int op)
{
    switch (op) {
    case OP_LOAD: case OP_NUM: case OP_STORE: case OP_TIME: case OP_DT: case OP_START:
    case OP_STOP: case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_NEG:
    case OP_ADD_V: case OP_SUB_V: case OP_MUL_V: case OP_DIV_V:
    case OP_ADD_K: case OP_SUB_K: case OP_MUL_K: case OP_DIV_K:
        return 1;
    default:
        return 0;
    }
}

/* Whether the snippet at pc is plain arithmetic ending in its one store. */
static int pairable(const int32_t *pc)
{
    int stores = 0;
    for (; *pc != OP_END; pc += op_has_operand(*pc) ? 2 : 1) {
        if (!pairable_op(*pc))
            return 0;
        stores += *pc == OP_STORE;
    }
    return stores == 1 && pc[-2] == OP_STORE;
}

/* Same operations in the same order (operands aside). */
static int same_shape(const int32_t *a, const int32_t *b)
{
    for (;;) {
        if (*a != *b)
            return 0;
        if (*a == OP_END)
            return 1;
        const int step = op_has_operand(*a) ? 2 : 1;
        a += step;
        b += step;
    }
}

/* The variable the snippet stores into, -1 when none. */
static int stored_var(const int32_t *pc)
{
    for (; *pc != OP_END; pc += op_has_operand(*pc) ? 2 : 1)
        if (*pc == OP_STORE)
            return pc[1];
    return -1;
}

/* Whether the snippet reads variables its operands do not name (the
** non-negative filters read the flows served before). */
static int reads_hidden(const int32_t *pc)
{
    for (; *pc != OP_END; pc += op_has_operand(*pc) ? 2 : 1)
        if (*pc == OP_NNLIMIT)
            return 1;
    return 0;
}

/* Whether the snippet at pc reads variable x. */
static int reads_var(const int32_t *pc, int x)
{
    for (; *pc != OP_END; pc += op_has_operand(*pc) ? 2 : 1)
        if ((*pc == OP_LOAD || (*pc >= OP_ADD_V && *pc <= OP_DIV_V)) && pc[1] == x)
            return 1;
    return 0;
}

/* A two-lane literal or variable operand. */
static void put_pair_operand(FILE *f, const migdev_model *m, int op, int a, int b)
{
    if (op == OP_LOAD || (op >= OP_ADD_V && op <= OP_DIV_V)) {
        if (b == a + 1) /* neighbours: one unaligned load */
            fprintf(f, "L2(v + %d)", a);
        else
            fprintf(f, "(D2){v[%d], v[%d]}", a, b);
        return;
    }
    fputs("(D2){", f);
    put_literal(f, m, a);
    fputs(", ", f);
    put_literal(f, m, b);
    fputs("}", f);
}

/* Two same-shape snippets as one two-lane statement list on p0, p1, ... */
static void put_pair(FILE *f, const migdev_model *m, const int32_t *pa, const int32_t *pb,
                     const unsigned char *watched)
{
    int d = 0;
    for (;;) {
        const int op = *pa;
        const int has = op_has_operand(op);
        const int a = has ? pa[1] : 0, b = has ? pb[1] : 0;
        pa += has ? 2 : 1;
        pb += has ? 2 : 1;
        const char *bo = binop(op);
        switch (op) {
        case OP_END: return;
        case OP_LOAD: case OP_NUM:
            fprintf(f, "  p%d = ", d++);
            put_pair_operand(f, m, op, a, b);
            fputs(";\n", f);
            break;
        case OP_TIME: fprintf(f, "  p%d = (D2){c->time, c->time};\n", d++); break;
        case OP_DT: fprintf(f, "  p%d = (D2){c->dt, c->dt};\n", d++); break;
        case OP_START: fprintf(f, "  p%d = (D2){c->start, c->start};\n", d++); break;
        case OP_STOP: fprintf(f, "  p%d = (D2){c->stop, c->stop};\n", d++); break;
        case OP_STORE:
            d--;
            if (b == a + 1)
                fprintf(f, "  S2(v + %d, p%d);\n", a, d);
            else
                fprintf(f, "  v[%d] = p%d[0];\n  v[%d] = p%d[1];\n", a, d, b, d);
            if (watched[a] || watched[b])
                fprintf(f, "  w2 |= ((U2)p%d & (U2){NF_EXP, NF_EXP}) + (U2){NF_ONE, NF_ONE};\n",
                        d);
            break;
        case OP_NEG: fprintf(f, "  p%d = -p%d;\n", d - 1, d - 1); break;
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
            fprintf(f, "  p%d = p%d %s p%d;\n", d - 2, d - 2, bo, d - 1);
            d--;
            break;
        default: /* the fused forms */
            fprintf(f, "  p%d = p%d %s ", d - 1, d - 1, bo);
            put_pair_operand(f, m, op, a, b);
            fputs(";\n", f);
            break;
        }
    }
}

/* The equations of the step program in the order they are written, each
** with its partner (-1: alone): partner[k] of position k. The pairs only
** reorder equations that do not depend on each other. */
static int plan_pairs(const migdev_model *m, int *order, int *partner)
{
    int n = 0;
    for (int k = 0; k < m->n_step; k++)
        if (m->vars[m->step_order[k]].code >= 0)
            order[n++] = m->step_order[k];
    unsigned char *taken = calloc((size_t)n + 1, 1);
    int *out = malloc(((size_t)n + 1) * sizeof *out);
    if (!taken || !out) {
        free(taken), free(out);
        return -1;
    }
    int w = 0;
    for (int p = 0; p < n; p++) {
        if (taken[p])
            continue;
        taken[p] = 1;
        const int32_t *cp = m->code + m->vars[order[p]].code;
        int found = -1;
        if (pairable(cp)) {
            for (int q = p + 1; q < n && q <= p + GEN_PAIR_WINDOW && found < 0; q++) {
                const int32_t *cq = m->code + m->vars[order[q]].code;
                if (taken[q] || !same_shape(cp, cq))
                    continue;
                /* q may move up to p when, of p and the equations still
                   to come before q, it reads nothing they write and none
                   reads what it writes (explicitly, or through a filter) */
                const int xq = stored_var(cq);
                int ok = 1;
                for (int r = p; ok && r < q; r++) {
                    if (taken[r] && r != p)
                        continue;
                    const int32_t *cr = m->code + m->vars[order[r]].code;
                    ok = !reads_var(cq, stored_var(cr)) && !reads_var(cr, xq) &&
                         !reads_hidden(cr);
                }
                found = ok ? q : -1;
            }
        }
        out[w] = order[p];
        partner[w] = -1;
        if (found >= 0) {
            taken[found] = 1;
            partner[w] = order[found];
        }
        w++;
    }
    memcpy(order, out, (size_t)w * sizeof *out);
    free(taken), free(out);
    return w;
}

char *native_gen(const migdev_model *m, size_t *len, migdev_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f) {
        err_set(err, MIGDEV_E_NOMEM, m->file, 0, 0, "out of memory");
        return NULL;
    }
    fprintf(f,
            "/* Generated by migdev: the step program of one model for the native engine\n"
            "   (ABI %d). Variables are indexes into v[]; names appear in comments only,\n"
            "   escaped. Compile without -ffast-math, with -ffp-contract=off. */\n"
            "#include <math.h>\n%s\n"
            "#if defined(__GNUC__) && !defined(__TINYC__)\n"
            "#define NATIVE_VEC 1 /* pairs of equations as two-lane vectors */\n"
            "typedef double D2 __attribute__((vector_size(16)));\n"
            "typedef unsigned long long U2 __attribute__((vector_size(16)));\n"
            "static inline D2 L2(const double *p)\n"
            "{\n  D2 x;\n  __builtin_memcpy(&x, p, sizeof x);\n  return x;\n}\n"
            "static inline void S2(double *p, D2 x) { __builtin_memcpy(p, &x, sizeof x); }\n"
            "#else\n#define NATIVE_VEC 0\n#endif\n"
            "#ifdef __TINYC__ /* no builtins: the library's functions */\n"
            "#define __builtin_fabs fabs\n#define __builtin_sqrt sqrt\n#endif\n"
            "#define NF_EXP 0x7ff0000000000000ULL\n#define NF_ONE 0x0010000000000000ULL\n"
            "static inline unsigned long long nf(double d)\n{\n"
            "  union { double d; unsigned long long u; } x;\n  x.d = d;\n"
            "  return (x.u & NF_EXP) + NF_ONE;\n}\n"
            "static inline double B(unsigned long long u)\n"
            "{\n  union { unsigned long long u; double d; } x;\n  x.u = u;\n  return x.d;\n}\n",
            NATIVE_ABI_VERSION, NATIVE_ABI(NATIVE_AS_TEXT));
    const int max_stack = m->max_stack > 0 ? m->max_stack : 1;
    const int euler = has_euler(m);
    int part = 0, ops = 0, bad = 0;
    unsigned char *tables = calloc((size_t)m->n_lookups + (size_t)m->n_nn_rules + 1, 1);
    if (tables)
        put_tables(f, m, tables);
    else
        bad = 2;
    free(tables);
    if (m->n_step > 0)
        open_part(f, part, max_stack);
    int *order = malloc(((size_t)m->n_step + 1) * sizeof *order);
    int *partner = malloc(((size_t)m->n_step + 1) * sizeof *partner);
    int *wl = malloc(((size_t)m->n_stocks + (size_t)m->n_step + 1) * sizeof *wl);
    unsigned char *watched = calloc((size_t)m->n_vars + 1, 1);
    unsigned char *in_part = calloc((size_t)m->n_vars + 1, 1);
    const int n_w = wl ? watch_list(m, wl) : -1;
    const int n_eq = order && partner && watched && in_part && n_w >= 0
                         ? plan_pairs(m, order, partner)
                         : -1;
    if (n_eq < 0)
        bad = 2;
    for (int k = 0; n_eq >= 0 && k < n_w; k++)
        watched[wl[k]] = 1;
    for (int k = 0; k < n_eq; k++) {
        const int i = order[k], j = partner[k];
        const variable *var = &m->vars[i];
        if (ops >= GEN_PART_OPS) {
            close_part(f);
            open_part(f, ++part, max_stack);
            ops = 0;
        }
        fprintf(f, "  /* v[%d] ", i);
        put_escaped(f, var->name);
        if (j >= 0) {
            fprintf(f, " and v[%d] ", j);
            put_escaped(f, m->vars[j].name);
            fputs(" */\n#if NATIVE_VEC\n", f);
            put_pair(f, m, m->code + var->code, m->code + m->vars[j].code, watched);
            fputs("#else\n", f);
        } else {
            fputs(" */\n", f);
        }
        in_part[i] = 1;
        if (j >= 0)
            in_part[j] = 1;
        int got = put_snippet(f, m, m->code + var->code, watched);
        if (got < 0)
            bad = 1;
        ops += got;
        if (j >= 0) {
            got = put_snippet(f, m, m->code + m->vars[j].code, watched);
            if (got < 0)
                bad = 1;
            ops += got;
            fputs("#endif\n", f);
        }
    }
    free(order), free(partner), free(wl), free(watched);
    if (m->n_step > 0)
        close_part(f);
    /* the stocks in, the flows out: straight-line code in functions of
       GEN_PART_STOCKS stocks (one function for all made gcc's alias
       analysis quadratic: 50 s for 10,000 stocks) */
    const int n_io = (m->n_stocks + GEN_PART_STOCKS - 1) / GEN_PART_STOCKS;
    for (int p = 0; p < n_io; p++) {
        const int s0 = p * GEN_PART_STOCKS;
        const int s1 = s0 + GEN_PART_STOCKS < m->n_stocks ? s0 + GEN_PART_STOCKS : m->n_stocks;
        fprintf(f, "\nstatic __attribute__((noinline)) void load%d(double *v, const double *y)\n{\n",
                p);
        for (int s = s0; s < s1; s++)
            fprintf(f, "  v[%d] = y[%d];\n", m->stocks[s], s);
        fprintf(f, "}\n\nstatic __attribute__((noinline)) void gather%d(const double *v, double *dydt)\n{\n",
                p);
        for (int s = s0; s < s1; s++) {
            fprintf(f, "  dydt[%d] = ", s);
            put_flow_sum(f, m, s);
            fputs(";\n", f);
        }
        fputs("}\n", f);
        if (euler) {
            /* the Euler step on the stocks in v: y += dt * dydt, as
               integrate.c does it, the derivative summed as gather does */
            fprintf(f, "\nstatic __attribute__((noinline)) void update%d(double *v, double dt)\n{\n",
                    p);
            for (int s = s0; s < s1; s++) {
                if (s + 1 < s1 && same_flows(m, s, s + 1)) {
                    put_update_pair(f, m, s);
                    s++;
                    continue;
                }
                fprintf(f, "  v[%d] = v[%d] + dt * (", m->stocks[s], m->stocks[s]);
                put_flow_sum(f, m, s);
                fputs(");\n", f);
            }
            fputs("}\n", f);
        }
    }
    if (!in_part || put_check(f, m, in_part) != 0)
        bad = 2;
    free(in_part);
    fputs("\nstatic int step(double *v, const double *y, double *dydt, const native_ctx *c)\n{\n",
          f);
    for (int p = 0; p < n_io; p++)
        fprintf(f, "  load%d(v, y);\n", p);
    fputs("  unsigned long long w = 0;\n", f);
    for (int p = 0; m->n_step > 0 && p <= part; p++)
        fprintf(f, "  w |= part%d(v, c);\n", p);
    for (int p = 0; p < n_io; p++)
        fprintf(f, "  gather%d(v, dydt);\n", p);
    fputs("  (void)y, (void)dydt, (void)c;\n  return (int)(w >> 63) | check(v);\n}\n", f);
    if (euler) {
        /* integrate.c's run_euler with the stocks kept in v: the same times,
           save steps (a countdown) and operations */
        fputs("\nstatic int euler(double *v, native_ctx *c, native_loop *L)\n{\n"
              "  const double dt = L->dt, t0 = L->start;\n"
              "  const long n = L->n_steps;\n"
              "  long left = 1;\n"
              "  for (long k = 0;; k++) {\n"
              "    const double t = k == n ? L->stop : t0 + (double)k * dt;\n"
              "    c->time = t;\n"
              "    unsigned long long w = 0;\n",
              f);
        for (int p = 0; m->n_step > 0 && p <= part; p++)
            fprintf(f, "    w |= part%d(v, c);\n", p);
        fputs("    if ((int)(w >> 63) | check(v)) {\n"
              "      L->failed_at = t;\n"
              "      return 1;\n"
              "    }\n"
              "    if (--left == 0) {\n"
              "      left = L->save_ratio;\n"
              "      L->save(L->run, t);\n"
              "    } else if (k == n) {\n"
              "      L->save(L->run, t);\n"
              "    }\n"
              "    if (k == n)\n"
              "      return 0;\n",
              f);
        for (int p = 0; p < n_io; p++)
            fprintf(f, "    update%d(v, dt);\n", p);
        fputs("  }\n}\n", f);
    }
    fprintf(f,
            "\n__attribute__((visibility(\"default\")))\n"
            "const native_entry %s = {0x%xu, %d, %d, %d, %d, step, %s};\n",
            NATIVE_ENTRY_SYMBOL, NATIVE_MAGIC, NATIVE_ABI_VERSION, m->n_vars, m->n_stocks,
            m->n_step, euler ? "euler" : "0");
    if (fclose(f) != 0 || !buf || bad) {
        free(buf);
        err_set(err, bad == 1 ? MIGDEV_E_UNSUPPORTED : MIGDEV_E_NOMEM, m->file, 0, 0,
                bad == 1 ? "the native engine does not know an operation of this model"
                         : "out of memory");
        return NULL;
    }
    *len = n;
    return buf;
}
