/*
** native_gen.c - write a model's step program as C.
**
** Input: the compiled, ordered model (model_int.h): the stocks, the
** step_order snippets of bytecode (opcodes.h) and the flow table. Output:
** one C file whose function `step` does what run_eval() does with the VM,
** operation for operation: copy the stocks into v[], run every snippet,
** gather the flows into dydt[] and say whether any value is not finite.
**
** Each bytecode operation becomes one C statement on locals s0, s1, ... (the
** VM's stack slots), so the C compiler sees the same operations in the same
** order; compiled without -ffast-math and with -ffp-contract=off it gives the
** VM's bits. Literals are written as their IEEE bit patterns; non-finite
** ones are read from the model's pool. The rare operations (lookups,
** non-negative filters, pulse, ramp, step, random draws) call back into
** vm.c, so there is one implementation of each.
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
    default: return NULL;
    }
}

/* One snippet (ending at OP_END) as statements; d is the stack depth.
** Returns the number of operations, or -1 for an opcode this file does not
** know (a generator out of step with opcodes.h). */
static int put_snippet(FILE *f, const migdev_model *m, const int32_t *pc)
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
            case OP_STORE: fprintf(f, "v[%d] = s%d;\n", a, --d); break;
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
            case OP_LOOKUP:
                fprintf(f, "s%d = c->lookup(c, %d, s%d);\n", d - 1, a, d - 1);
                break;
            case OP_MAX0: fprintf(f, "s%d = s%d > 0.0 ? s%d : 0.0;\n", d - 1, d - 1, d - 1); break;
            case OP_NNLIMIT:
                fprintf(f, "s%d = c->nnlimit(c, %d, s%d);\n", d - 1, a, d - 1);
                break;
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
            "\nstatic __attribute__((noinline)) void part%d(double *v, const native_ctx *c)\n"
            "{\n  double s0",
            part);
    for (int k = 1; k < max_stack; k++)
        fprintf(f, ", s%d", k);
    fputs(";\n  (void)c;\n", f);
}

/* The derivative of stock s as run_eval() sums it: 0.0, then each flow
** added or subtracted in the flow table's order. */
static void put_flow_sum(FILE *f, const migdev_model *m, int s)
{
    fputs("0.0", f);
    for (int k = m->flow_off[s]; k < m->flow_off[s + 1]; k++)
        fprintf(f, " %c v[%d]", m->flow_sign[k] > 0 ? '+' : '-', m->flow_var[k]);
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
** path reads) is not finite: its exponent bits all set, so that adding one
** to them carries into bit 63 (integer work, as in run.c). Runs of
** consecutive indexes become loops; the rest a table. */
static int put_check(FILE *f, const migdev_model *m)
{
    int *w = malloc(((size_t)m->n_stocks + (size_t)m->n_step + 1) * sizeof *w);
    const int n = w ? watch_list(m, w) : -1;
    if (n < 0) {
        free(w);
        return -1;
    }
    qsort(w, (size_t)n, sizeof *w, cmp_int);
    fputs("\nstatic inline unsigned long long nf(double d)\n{\n"
          "  union { double d; unsigned long long u; } x;\n  x.d = d;\n"
          "  return (x.u & 0x7ff0000000000000ULL) + 0x0010000000000000ULL;\n}\n",
          f);
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
    fputs("\nstatic int check(const double *v)\n{\n  unsigned long long b0 = 0, b1 = 0;\n", f);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && w[j] == w[j - 1] + 1)
            j++;
        if (j - i >= GEN_CHECK_RUN) {
            const int len = j - i;
            fprintf(f,
                    "  for (int i = %d; i < %d; i += 2) {\n"
                    "    b0 |= nf(v[i]);\n    b1 |= nf(v[i + 1]);\n  }\n",
                    w[i], w[i] + len / 2 * 2);
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
    fputs("  return (int)((b0 | b1) >> 63);\n}\n", f);
    free(w);
    return 0;
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
            "static inline double B(unsigned long long u)\n"
            "{\n  union { unsigned long long u; double d; } x;\n  x.u = u;\n  return x.d;\n}\n",
            NATIVE_ABI_VERSION, NATIVE_ABI(NATIVE_AS_TEXT));
    const int max_stack = m->max_stack > 0 ? m->max_stack : 1;
    const int euler = has_euler(m);
    int part = 0, ops = 0, bad = 0;
    if (m->n_step > 0)
        open_part(f, part, max_stack);
    for (int k = 0; k < m->n_step; k++) {
        const int i = m->step_order[k];
        const variable *var = &m->vars[i];
        if (var->code < 0)
            continue;
        if (ops >= GEN_PART_OPS) {
            fputs("}\n", f);
            open_part(f, ++part, max_stack);
            ops = 0;
        }
        fprintf(f, "  /* v[%d] ", i);
        put_escaped(f, var->name);
        fputs(" */\n", f);
        const int got = put_snippet(f, m, m->code + var->code);
        if (got < 0)
            bad = 1;
        ops += got;
    }
    if (m->n_step > 0)
        fputs("}\n", f);
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
                fprintf(f, "  v[%d] = v[%d] + dt * (", m->stocks[s], m->stocks[s]);
                put_flow_sum(f, m, s);
                fputs(");\n", f);
            }
            fputs("}\n", f);
        }
    }
    if (put_check(f, m) != 0)
        bad = 2;
    fputs("\nstatic int step(double *v, const double *y, double *dydt, const native_ctx *c)\n{\n",
          f);
    for (int p = 0; p < n_io; p++)
        fprintf(f, "  load%d(v, y);\n", p);
    for (int p = 0; m->n_step > 0 && p <= part; p++)
        fprintf(f, "  part%d(v, c);\n", p);
    for (int p = 0; p < n_io; p++)
        fprintf(f, "  gather%d(v, dydt);\n", p);
    fputs("  (void)y, (void)dydt, (void)c;\n  return check(v);\n}\n", f);
    if (euler) {
        /* integrate.c's run_euler with the stocks kept in v: the same times,
           save steps (a countdown) and operations */
        fputs("\nstatic int euler(double *v, native_ctx *c, native_loop *L)\n{\n"
              "  const double dt = L->dt, t0 = L->start;\n"
              "  const long n = L->n_steps;\n"
              "  long left = 1;\n"
              "  for (long k = 0;; k++) {\n"
              "    const double t = k == n ? L->stop : t0 + (double)k * dt;\n"
              "    c->time = t;\n",
              f);
        for (int p = 0; m->n_step > 0 && p <= part; p++)
            fprintf(f, "    part%d(v, c);\n", p);
        fputs("    if (check(v)) {\n"
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
