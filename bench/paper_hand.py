#!/usr/bin/env python3
"""The paper model as a hand-written C program (bench/native.sh; not a test).

    bench/paper_hand.py MODEL.cfg OUT.c PARAM

Writes what a careful person writes for the model's equations: one double
per variable, one statement per equation in dependency order, the Euler
loop, the lookup and data tables as static arrays with a linear
interpolation, smooth() as the stock it is, init() as a value kept from the
start, and each non-negative stock's flows capped at what the stock can
give over the step (inflows first, then outflows, as listed). The
equations are translated from the model file's text, operator for operator,
so the C compiler sees the operations in the file's order. PARAM names the
constant the program varies from run to run (like the sweep), read from
argv[2] as its lower bound and argv[3] as its upper bound.

The program, run as `prog 0`, prints every variable at every save time
(%.17g), which bench/native.sh compares with `migdev run` before timing
it; `prog RUNS LO HI` prints microseconds per run and a checksum.
"""
import csv
import math
import os
import re
import sys


# ---------------------------------------------------------------- libconfig
def lc_tokens(text):
    spec = r'''(?P<ws>\s+)|(?P<c1>\#[^\n]*|//[^\n]*)|(?P<c2>/\*.*?\*/)|(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)|(?P<p>[=:;,{}()\[\]])'''
    for m in re.finditer(spec, text, re.S):
        k = m.lastgroup
        if k in ('ws', 'c1', 'c2'):
            continue
        yield k, m.group(k)


def lc_parse(text):
    toks = list(lc_tokens(text))
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else (None, None)

    def take():
        t = toks[pos[0]]
        pos[0] += 1
        return t

    def value():
        k, v = take()
        if k == 'str':
            s = bytes(v[1:-1], 'utf-8').decode('unicode_escape')
            while peek()[0] == 'str':  # adjacent strings concatenate
                s += bytes(take()[1][1:-1], 'utf-8').decode('unicode_escape')
            return s
        if k == 'num':
            return float(v)
        if k == 'name':
            return v.lower() == 'true' if v.lower() in ('true', 'false') else v
        if v == '{':
            return group('}')
        if v in '([':
            out = []
            close = ')' if v == '(' else ']'
            while peek()[1] != close:
                out.append(value())
                if peek()[1] == ',':
                    take()
            take()
            return out
        raise ValueError('unexpected ' + v)

    def group(close):
        d = {}
        while peek()[1] != close and peek()[0] is not None:
            name = take()[1]
            take()  # = or :
            d[name] = value()
            if peek()[1] in (';', ','):
                take()
        if close:
            take()
        return d

    return group(None)


# ---------------------------------------------------------------- equations
TOK = re.compile(r'\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|<>|==|!=|[-+*/^(),<>=]))')
BIN = {'or': (1, 1), 'and': (2, 2), '<': (3, 3), '<=': (3, 3), '>': (3, 3), '>=': (3, 3),
       '=': (3, 3), '==': (3, 3), '<>': (3, 3), '!=': (3, 3), '+': (4, 4), '-': (4, 4),
       '*': (5, 5), '/': (5, 5), '^': (7, 6)}
UNARY = 6  # -x ^ y is -(x ^ y); -x * y is (-x) * y: the same bits either way


def tokenize(s):
    out, i = [], 0
    s = s.strip()
    while i < len(s):
        m = TOK.match(s, i)
        if not m:
            raise ValueError('cannot read ' + s[i:])
        out.append(m.group(1) and ('num', m.group(1)) or m.group(2) and ('name', m.group(2))
                   or ('op', m.group(3)))
        i = m.end()
    return out


def parse_expr(s):
    toks = tokenize(s)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else (None, None)

    def primary():
        k, v = toks[pos[0]]
        pos[0] += 1
        if k == 'num':
            return ('num', v)
        if k == 'op' and v == '(':
            e = expr(0)
            pos[0] += 1
            return e
        if k == 'op' and v == '-':
            return ('neg', expr(UNARY))
        if k == 'op' and v == '+':
            return expr(UNARY)
        if k == 'name' and v.lower() == 'not':
            return ('not', expr(3))
        if peek() == ('op', '('):
            pos[0] += 1
            args = []
            while peek() != ('op', ')'):
                args.append(expr(0))
                if peek() == ('op', ','):
                    pos[0] += 1
            pos[0] += 1
            return ('call', v, args)
        return ('var', v)

    def expr(limit):
        left = primary()
        while True:
            k, v = peek()
            op = v.lower() if k == 'name' else v
            if k is None or op not in BIN or BIN[op][0] <= limit - 1 or BIN[op][0] < limit:
                return left
            lp, rp = BIN[op]
            pos[0] += 1
            right = expr(rp + (0 if op == '^' else 1))
            left = ('bin', op, left, right)

    return expr(0)


def refs(e, out, with_init=False):
    """The variables e reads in a step; with_init: at the start, where
    init(x) reads x too."""
    if e[0] == 'var':
        out.add(e[1])
    elif e[0] == 'init':
        if with_init:
            out.add(e[1])
    elif e[0] in ('neg', 'not'):
        refs(e[1], out, with_init)
    elif e[0] == 'bin':
        refs(e[2], out, with_init)
        refs(e[3], out, with_init)
    elif e[0] == 'call':
        for a in e[2]:
            refs(a, out, with_init)
    return out


def cnum(v):
    x = float(v)
    return repr(x) if math.isfinite(x) else ('INFINITY' if x > 0 else '-INFINITY')


class Model:
    def __init__(self, path, param):
        self.dir = os.path.dirname(os.path.abspath(path))
        cfg = lc_parse(open(path).read())
        t = cfg['time']
        self.start, self.stop, self.dt = t['start'], t['stop'], t['dt']
        self.save_every = t.get('save_every', self.dt)
        self.param = param
        self.consts = {c['name']: c['value'] for c in cfg.get('constants', [])}
        self.lookups = {l['name']: (l['x'], l['y']) for l in cfg.get('lookups', [])}
        self.data = {}
        for d in cfg.get('data', []):
            xs, ys = [], []
            with open(os.path.join(self.dir, d['file'])) as f:
                for row in csv.DictReader(f):
                    a, b = row[d['time_column']].strip(), row[d['column']].strip()
                    if a and b:
                        xs.append(float(a))
                        ys.append(float(b))
            self.data[d['name']] = (xs, ys)
        self.stocks = cfg['stocks']
        self.eqs = {}  # flows and auxiliaries: name -> tree
        self.kind = {}
        for k in ('flows', 'auxiliaries'):
            for v in cfg.get(k, []):
                self.eqs[v['name']] = parse_expr(str(v['equation']) if not isinstance(v['equation'], float) else repr(v['equation']))
                self.kind[v['name']] = k
        self.smooths = []  # (stock name, input tree, time tree, init tree)
        self.inits = {}    # init(x): name -> C variable
        for name in list(self.eqs):
            self.eqs[name] = self.lift(self.eqs[name])
        self.stock_init = {s['name']: self.lift(parse_expr(str(s['init']) if not isinstance(s['init'], float) else repr(s['init']))) for s in self.stocks}

    def lift(self, e):
        """smooth() becomes a stock of its own; init(x) a value of the start."""
        if e[0] == 'call' and e[1] == 'smooth':
            args = [self.lift(a) for a in e[2]]
            name = 'smooth%d' % len(self.smooths)
            self.smooths.append((name, args[0], args[1], args[2] if len(args) > 2 else args[0]))
            return ('var', name)
        if e[0] == 'call' and e[1] == 'init':
            x = e[2][0]
            key = x[1] if x[0] == 'var' else None
            self.inits[key] = 'init_' + key
            return ('init', key)
        if e[0] == 'call':
            return ('call', e[1], [self.lift(a) for a in e[2]])
        if e[0] == 'bin':
            return ('bin', e[1], self.lift(e[2]), self.lift(e[3]))
        if e[0] in ('neg', 'not'):
            return (e[0], self.lift(e[1]))
        return e

    def c(self, e):
        k = e[0]
        if k == 'num':
            return cnum(e[1])
        if k == 'var':
            n = e[1]
            if n == 'time':
                return 't'
            if n == 'start_time':
                return 'START'
            if n == 'dt':
                return 'DT'
            return 'm->' + n
        if k == 'init':
            return 'm->init_' + e[1]
        if k == 'neg':
            return '(-' + self.c(e[1]) + ')'
        if k == 'not':
            return '(' + self.c(e[1]) + ' == 0.0)'
        if k == 'bin':
            op, a, b = e[1], self.c(e[2]), self.c(e[3])
            if op == '^':
                return 'pow(%s, %s)' % (a, b)
            if op in ('and', 'or'):
                return '((%s != 0.0) %s (%s != 0.0))' % (a, '&&' if op == 'and' else '||', b)
            cop = {'=': '==', '<>': '!='}.get(op, op)
            if cop in ('<', '<=', '>', '>=', '==', '!='):
                return '(double)(%s %s %s)' % (a, cop, b)
            return '(%s %s %s)' % (a, cop, b)
        if k == 'call':
            f, a = e[1], [self.c(x) for x in e[2]]
            if f in self.lookups:
                return 'table(%s_x, %s_y, %d, %s)' % (f, f, len(self.lookups[f][0]), a[0])
            return {'exp': lambda: 'exp(%s)' % a[0], 'ln': lambda: 'log(%s)' % a[0],
                    'max': lambda: 'max2(%s, %s)' % (a[0], a[1]),
                    'min': lambda: 'min2(%s, %s)' % (a[0], a[1]),
                    'if_then_else': lambda: '(%s != 0.0 ? %s : %s)' % (a[0], a[1], a[2]),
                    'step': lambda: 'step_fn(t, %s, %s)' % (a[0], a[1]),
                    'ramp': lambda: 'ramp_fn(t, %s, %s, %s)' % (a[0], a[1], a[2]),
                    }[f]()
        raise ValueError(str(e))

    def order(self, names, known):
        """Dependency order of names (equations), given the known ones."""
        done, out = set(known), []

        def visit(n, path):
            if n in done or n not in self.eqs:
                return
            if n in path:
                raise ValueError('cycle at ' + n)
            path.add(n)
            for r in sorted(refs(self.eqs[n], set())):
                visit(r, path)
            path.discard(n)
            done.add(n)
            out.append(n)

        for n in names:
            visit(n, set())
        return out


def write(m, out):
    stocks = [s['name'] for s in m.stocks] + [s[0] for s in m.smooths]
    data = m.data
    known = set(m.consts) | set(stocks) | set(data) | {'time', 'start_time', 'dt'}
    step_order = m.order(list(m.eqs), known)
    # non-negative stocks: each flow capped, in the stock's order
    nn = []
    for s in m.stocks:
        if s.get('non_negative'):
            served = []
            for sign, lst in ((1, s.get('inflows', [])), (-1, s.get('outflows', []))):
                for f in lst:
                    nn.append((s['name'], f, sign, list(served)))
                    served.append((f, sign))
    nn_of = {}
    for rule in nn:
        nn_of.setdefault(rule[1], []).append(rule)
    names = list(m.consts) + stocks + list(data) + step_order + ['init_' + k for k in m.inits]
    w = out.write
    w('/* The paper model by hand (bench/paper_hand.py wrote it from %s). */\n'
      % os.path.basename(sys.argv[1]))
    w('#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <time.h>\n\n')
    w('static const double START = %s, STOP = %s, DT = %s;\n' % (cnum(m.start), cnum(m.stop), cnum(m.dt)))
    w('enum { N_STEPS = %d, SAVE_EVERY = %d };\n\n' % (round((m.stop - m.start) / m.dt),
                                                       round(m.save_every / m.dt)))
    for n, (xs, ys) in list(m.lookups.items()) + list(data.items()):
        w('static const double %s_x[] = {%s};\n' % (n, ', '.join(cnum(x) for x in xs)))
        w('static const double %s_y[] = {%s};\n' % (n, ', '.join(cnum(y) for y in ys)))
    w('''
/* linear interpolation in a table, the end values held outside it */
static double table(const double *xs, const double *ys, int n, double x)
{
    if (x <= xs[0])
        return ys[0];
    if (x >= xs[n - 1])
        return ys[n - 1];
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        const int mid = lo + (hi - lo) / 2;
        if (xs[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return ys[lo] + (x - xs[lo]) * (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
}
static double max2(double a, double b) { return b > a ? b : a; }
static double min2(double a, double b) { return b < a ? b : a; }
/* step and ramp as migdev defines them (a time within rounding of t counts) */
static double step_fn(double t, double h, double at)
{
    return t >= at - 1e-9 * (fabs(at) + fabs(DT) + 1.0) ? h : 0.0;
}
static double ramp_fn(double t, double slope, double t0, double t1)
{
    return t <= t0 ? 0.0 : t >= t1 ? slope * (t1 - t0) : slope * (t - t0);
}
/* a flow of a non-negative stock, capped at what the stock can give over a
   step after the flows served before it */
static double cap(double flow, double stock, int sign, double served)
{
    if (sign < 0 ? !(flow > 0.0) : !(flow < 0.0))
        return flow;
    double avail = (stock > 0.0 ? stock / DT : 0.0) + served;
    if (avail < 0.0)
        avail = 0.0;
    const double want = sign < 0 ? flow : -flow;
    return want <= avail ? flow : (sign < 0 ? avail : -avail);
}

typedef struct model {
''')
    for n in names:
        w('    double %s;\n' % n)
    w('} model;\n\n')
    # one evaluation at time t (the stocks set)
    w('static void equations(model *m, double t)\n{\n')
    for n in data:
        w('    m->%s = table(%s_x, %s_y, %d, t);\n' % (n, n, n, len(data[n][0])))
    computed = set()
    for n in step_order:
        w('    m->%s = %s;\n' % (n, m.c(m.eqs[n])))
        computed.add(n)
        for (stock, f, sign, served) in nn_of.get(n, []):
            # the flows served before it, summed in order: those this step
            # has computed already
            terms = ''.join(' %s m->%s' % ('+' if sg > 0 else '-', sf) for sf, sg in served
                            if sf in computed)
            w('    m->%s = cap(m->%s, m->%s, %d, 0.0%s);\n' % (f, f, stock, sign, terms))
    w('}\n\n')
    w('static void initial(model *m)\n{\n')
    # the start: stocks' initial values and the equations they need, in one
    # dependency order (a stock's init may read an auxiliary that reads
    # another stock)
    init_of = {s['name']: m.stock_init[s['name']] for s in m.stocks}
    init_of.update({sm[0]: sm[3] for sm in m.smooths})
    done, seq = set(m.consts) | set(data) | {'time', 'start_time', 'dt'}, []

    def visit(n):
        if n in done:
            return
        done.add(n)
        e = init_of.get(n, m.eqs.get(n))
        if e is None:
            return
        for r in sorted(refs(e, set(), True)):
            visit(r)
        seq.append(n)

    for n in list(init_of) + list(m.inits):
        visit(n)
    w('    const double t = START;\n')
    for n in data:
        w('    m->%s = table(%s_x, %s_y, %d, t);\n' % (n, n, n, len(data[n][0])))
    for n in m.inits:
        if n in data or n in m.consts:
            w('    m->init_%s = m->%s;\n' % (n, n))
    for n in seq:
        w('    m->%s = %s;\n' % (n, m.c(init_of.get(n, m.eqs.get(n)))))
        if n in m.inits:
            w('    m->init_%s = m->%s;\n' % (n, n))
    w('    equations(m, t);\n')
    for k in m.inits:
        w('    m->init_%s = m->%s;\n' % (k, k))
    w('}\n\n')
    w('static void advance(model *m)\n{\n')
    for s in m.stocks:
        d = '0.0' + ''.join(' + m->' + f for f in s.get('inflows', [])) + \
            ''.join(' - m->' + f for f in s.get('outflows', []))
        w('    m->%s = m->%s + DT * (%s);\n' % (s['name'], s['name'], d))
    for sm in m.smooths:
        w('    m->%s = m->%s + DT * (0.0 + (%s - m->%s) / %s);\n'
          % (sm[0], sm[0], m.c(sm[1]), sm[0], m.c(sm[2])))
    w('}\n\n')
    w('static const model BASE = {\n')
    for n in names:
        if n in m.consts:
            w('    .%s = %s,\n' % (n, cnum(m.consts[n])))
    w('};\n\n')
    w('''static double run(model *m, int print)
{
    initial(m);
    for (long k = 0;; k++) {
        const double t = k == N_STEPS ? STOP : START + (double)k * DT;
        if (k > 0)
            equations(m, t);
        if (print && (k % SAVE_EVERY == 0 || k == N_STEPS)) {
            printf("%.17g", t);
''')
    for n in names:
        w('            printf(",%%.17g", m->%s);\n' % n)
    w('''            printf("\\n");
        }
        if (k == N_STEPS)
            return m->%s;
        advance(m);
    }
}

int main(int argc, char **argv)
{
    const long runs = atol(argv[1]);
    if (runs == 0) { /* every variable at every save time, for the comparison */
        printf("time");
''' % step_order[-1])
    for n in names:
        w('        printf(",%s");\n' % n)
    w('''        printf("\\n");
        model m = BASE;
        run(&m, 1);
        return 0;
    }
    const double lo = atof(argv[2]), hi = atof(argv[3]); /* the swept constant's range */
    double sink = 0.0;
    const clock_t t0 = clock();
    for (long r = 0; r < runs; r++) {
        model m = BASE;
        m.%s = lo + (hi - lo) * (double)r / (double)runs;
        sink += run(&m, 0);
    }
    const double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("%%.3f %%.17g\\n", 1e6 * sec / (double)runs, sink);
    return 0;
}
''' % m.param)


def main():
    m = Model(sys.argv[1], sys.argv[3])
    with open(sys.argv[2], 'w') as out:
        write(m, out)


if __name__ == '__main__':
    main()
