"""migdev: system-dynamics models of the migration-remittance feedback loop.

A thin layer over the migdev C library (libmigdev.so.0, through ctypes):
the numbers are the C engine's, the same to the bit as `migdev run` writes.

    import migdev
    m = migdev.load("configs/state_led.cfg")
    df = m.run(set={"remittance_reliance": 0}, vars=["net_migration"])
    m.constants            # name, value, units, doc, source
    m.variables            # name, kind, units, doc, equation
    m.loops()              # the feedback loops and their polarity
    migdev.sweep("configs/state_led.cfg", params=["k=0.1:0.5:0.1"], metrics=["final(x)"])

Errors in a model or scenario raise migdev.ModelError with file, line and
column; a run that blows up raises migdev.RunError naming the time and the
variable.

Copyright: the migdev authors. GPL-3.0-or-later.
"""
import ctypes
import math

import pandas as pd

from . import _lib
from ._lib import lib

__all__ = ["load", "sweep", "Model", "Simulation", "ModelError", "RunError", "version"]

_KINDS = ("constant", "stock", "flow", "auxiliary")


class ModelError(Exception):
    """A model, scenario or argument the library refused. Carries the
    position the library gives: file, line and column (0 when unknown),
    the message, and the library's error code."""

    def __init__(self, err):
        self.code = err.code
        self.file = err.file.decode()
        self.line = err.line
        self.column = err.column
        self.message = err.message.decode()
        buf = ctypes.create_string_buffer(1024)
        super().__init__(lib.migdev_error_format(ctypes.byref(err), buf, len(buf)).decode())


class RunError(ModelError):
    """A simulation that failed: a value not finite, or the solver gave up.
    The message names the time and the variable."""


def _raise(err):
    if err.code in (_lib.E_NONFINITE, _lib.E_INTEGRATOR):
        raise RunError(err)
    raise ModelError(err)


def _usage(message):
    err = _lib.Error()
    err.code = -10  # MIGDEV_E_USAGE
    err.message = message.encode()[:511]
    return ModelError(err)


def version():
    """The version of the C library in use."""
    return lib.migdev_version().decode()


class _Scenario:
    """An owned migdev_scenario (freed with the object)."""

    def __init__(self, path):
        err = _lib.Error()
        self.ptr = lib.migdev_scenario_load(str(path).encode(), ctypes.byref(err))
        if not self.ptr:
            _raise(err)

    def __del__(self):
        if getattr(self, "ptr", None):
            lib.migdev_scenario_free(self.ptr)
            self.ptr = None

    @property
    def model(self):
        return lib.migdev_scenario_model(self.ptr)


def _spec_edit(scn, method, dt, start, stop, save_every, seed):
    """Change the scenario's time span and solver as `migdev run` does with
    --method, --dt, --start, --stop, --save-every and --seed."""
    sp = lib.migdev_scenario_spec(scn.ptr)
    changed = False
    if start is not None:
        sp.start, changed = float(start), True
    if stop is not None:
        sp.stop, changed = float(stop), True
    if dt is not None:
        sp.dt, changed = float(dt), True
        if save_every is None and sp.save_every < sp.dt:
            sp.save_every = sp.dt  # a new dt keeps the old interval unless it no longer fits
    if save_every is not None:
        sp.save_every, changed = float(save_every), True
    if method is not None:
        m = lib.migdev_method_parse(str(method).encode())
        if m < 0:
            raise _usage(f"unknown method '{method}'")
        sp.method, changed = m, True
    if seed is not None:
        sp.seed, changed = int(seed), True
    lib.migdev_scenario_set_spec(scn.ptr, ctypes.byref(sp))
    if changed:
        err = _lib.Error()
        if lib.migdev_spec_check(ctypes.byref(sp), ctypes.byref(err)) != 0:
            _raise(err)


def _set_constants(scn, values):
    for name, value in (values or {}).items():
        err = _lib.Error()
        if lib.migdev_scenario_set(scn.ptr, str(name).encode(), float(value), ctypes.byref(err)) != 0:
            _raise(err)


def _set_vars(scn, vars):
    if vars is None:
        return
    if isinstance(vars, str):
        vars = [vars]
    err = _lib.Error()
    if lib.migdev_scenario_set_outputs(scn.ptr, ",".join(vars).encode(), ctypes.byref(err)) != 0:
        _raise(err)


def _var_name(model, i):
    info = _lib.VarInfo()
    lib.migdev_model_var(model, i, ctypes.byref(info))
    return info.name.decode()


def _frame(run, model, out_vars):
    """The recorded series of out_vars as a DataFrame indexed by time."""
    n = lib.migdev_run_n_saves(run)
    times = lib.migdev_run_times(run)
    index = pd.Index([times[j] for j in range(n)], name="time")
    data = {}
    for v in out_vars:
        s = lib.migdev_run_series(run, v)
        data[_var_name(model, v)] = [s[j] for j in range(n)] if s else [math.nan] * n
    return pd.DataFrame(data, index=index)


class Model:
    """A model or scenario file, loaded and checked (migdev.load)."""

    def __init__(self, path):
        self.path = str(path)
        self._scn = _Scenario(self.path)

    @property
    def name(self):
        return lib.migdev_scenario_name(self._scn.ptr).decode()

    @property
    def time_units(self):
        return lib.migdev_model_time_units(self._scn.model).decode()

    def _infos(self):
        model = self._scn.model
        for i in range(lib.migdev_model_n_vars(model)):
            info = _lib.VarInfo()
            lib.migdev_model_var(model, i, ctypes.byref(info))
            yield info

    @property
    def variables(self):
        """Every variable: name (the index), kind, units, doc, equation, source."""
        rows = [{"name": v.name.decode(), "kind": _KINDS[v.kind],
                 "units": v.units.decode(), "doc": v.doc.decode(),
                 "equation": v.equation.decode() if v.equation else None,
                 "source": v.source.decode()} for v in self._infos()]
        return pd.DataFrame(rows).set_index("name")

    @property
    def constants(self):
        """The constants with the model's values (name as index), units, doc, source.
        (A scenario's overrides apply to runs; see Model.run.)"""
        rows = [{"name": v.name.decode(), "value": v.value, "units": v.units.decode(),
                 "doc": v.doc.decode(), "source": v.source.decode()}
                for v in self._infos() if _KINDS[v.kind] == "constant"]
        return pd.DataFrame(rows).set_index("name")

    def _prepared(self, set, vars, method, dt, start, stop, save_every, seed):
        scn = _Scenario(self.path)  # a fresh copy: a run never changes the Model
        _set_constants(scn, set)
        _spec_edit(scn, method, dt, start, stop, save_every, seed)
        _set_vars(scn, vars)
        return scn

    def run(self, set=None, vars=None, method=None, dt=None, start=None, stop=None,
            save_every=None, seed=None):
        """Simulate as `migdev run` does and return a DataFrame indexed by
        time with one column per variable (the scenario's outputs, or vars).
        set: {constant: value}; method: "euler", "rk4", "rkf45", ...
        Raises ModelError for a bad name or setting, RunError when the run fails."""
        scn = self._prepared(set, vars, method, dt, start, stop, save_every, seed)
        err = _lib.Error()
        run = lib.migdev_scenario_new_run(scn.ptr, ctypes.byref(err))
        if not run:
            _raise(err)
        try:
            if lib.migdev_run_execute(run, ctypes.byref(err)) != 0:
                _raise(err)
            n = ctypes.c_int()
            outs = lib.migdev_scenario_outputs(scn.ptr, ctypes.byref(n))
            out_vars = [outs[i] for i in range(n.value)] if n.value else \
                range(lib.migdev_model_n_vars(scn.model))  # none listed: all
            return _frame(run, scn.model, out_vars)
        finally:
            lib.migdev_run_free(run)

    def simulation(self, set=None, method=None, dt=None, start=None, stop=None,
                   save_every=None, seed=None):
        """A run to drive step by step (games, policy changes mid-run)."""
        return Simulation(self._prepared(set, None, method, dt, start, stop, save_every, seed))

    def loops(self, set=None, scores=False):
        """The feedback loops of the model (over a run with the scenario's
        settings): id, name, polarity (R/B/U/0), variables, length; with
        scores=True also run-time polarity and mean and largest |relative score|."""
        scn = self._prepared(set, None, None, None, None, None, None, None)
        err = _lib.Error()
        run = lib.migdev_scenario_new_run(scn.ptr, ctypes.byref(err))
        if not run:
            _raise(err)
        try:
            opts = _lib.LoopsOpts(0, 0, 1 if scores else 0, 0)
            a = lib.migdev_loops_analyse(run, ctypes.byref(opts), ctypes.byref(err))
            if not a:
                _raise(err)
            try:
                rows = []
                model = scn.model
                for i in range(lib.migdev_loops_count(a)):
                    li = _lib.LoopInfo()
                    lib.migdev_loops_get(a, i, ctypes.byref(li))
                    row = {"id": li.id.decode(), "name": li.name.decode() if li.name else None,
                           "polarity": li.polarity.decode(), "length": li.n,
                           "variables": [_var_name(model, li.vars[k]) for k in range(li.n)]}
                    if scores:
                        row.update(runtime=li.runtime.decode() if li.runtime else None,
                                   mean_abs_rel=li.mean_abs_rel, max_abs_rel=li.max_abs_rel)
                    rows.append(row)
                return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()
            finally:
                lib.migdev_loops_free(a)
        finally:
            lib.migdev_run_free(run)


class Simulation:
    """A run driven step by step: advance(t), set(name, value), values."""

    def __init__(self, scn):
        self._scn = scn
        err = _lib.Error()
        self._run = lib.migdev_scenario_new_run(scn.ptr, ctypes.byref(err))
        if not self._run:
            _raise(err)
        self._model = scn.model

    def __del__(self):
        if getattr(self, "_run", None):
            lib.migdev_run_free(self._run)
            self._run = None

    def _index(self, name):
        i = lib.migdev_model_find(self._model, str(name).encode())
        if i < 0:
            raise _usage(f"unknown variable '{name}'")
        return i

    def advance(self, t):
        """Run on to time t (whole steps for euler and rk4)."""
        err = _lib.Error()
        if lib.migdev_run_advance(self._run, float(t), ctypes.byref(err)) != 0:
            _raise(err)
        return self

    def set(self, name, value):
        """Change a constant from the current time on."""
        err = _lib.Error()
        if lib.migdev_run_set_constant(self._run, self._index(name), float(value),
                                       ctypes.byref(err)) != 0:
            _raise(err)
        return self

    @property
    def time(self):
        return lib.migdev_run_time(self._run)

    @property
    def finished(self):
        return bool(lib.migdev_run_is_finished(self._run))

    def __getitem__(self, name):
        """The value of a variable at the current time."""
        return lib.migdev_run_value(self._run, self._index(name))

    def results(self):
        """What was recorded so far, as a DataFrame indexed by time."""
        return _frame(self._run, self._model, range(lib.migdev_model_n_vars(self._model)))


def load(path):
    """Load a model or scenario file (.cfg, or XMILE). Raises ModelError
    with file, line and column when it is not valid."""
    return Model(path)


def sweep(path, params=(), metrics=(), design=None, runs=None, seed=None, threads=1):
    """Run a parameter sweep as `migdev sweep --summary-only` does and return
    its summary as a DataFrame: run (the index), one column per parameter,
    one per metric (NaN when empty), status ("ok", "nonfinite", "solver",
    "error"). params and metrics use the command's syntax ("k=0.1:0.5:0.1",
    "k=uniform(0,1)", "final(x)", "crossing(x,10)"); the scenario file's
    `sweep` section gives the rest."""
    scn = _Scenario(path)
    err = _lib.Error()
    sw = lib.migdev_sweep_load(scn.ptr, ctypes.byref(err))
    if not sw:
        _raise(err)
    try:
        def check(rc):
            if rc != 0:
                _raise(err)
        if design is not None:
            check(lib.migdev_sweep_set_design(sw, str(design).encode(), ctypes.byref(err)))
        if runs is not None:
            check(lib.migdev_sweep_set_runs(sw, int(runs), ctypes.byref(err)))
        if seed is not None:
            lib.migdev_sweep_set_seed(sw, int(seed))
        for p in ([params] if isinstance(params, str) else params):
            check(lib.migdev_sweep_add_param_text(sw, p.encode(), ctypes.byref(err)))
        for m in ([metrics] if isinstance(metrics, str) else metrics):
            check(lib.migdev_sweep_add_metric_text(sw, m.encode(), ctypes.byref(err)))
        lib.migdev_sweep_summary_only(sw)
        check(lib.migdev_sweep_prepare(sw, ctypes.byref(err)))
        n_p, n_m = lib.migdev_sweep_n_params(sw), lib.migdev_sweep_n_metrics(sw)
        names = ([lib.migdev_sweep_param_name(sw, i).decode() for i in range(n_p)] +
                 [lib.migdev_sweep_metric_name(sw, i).decode() for i in range(n_m)])
        status_names = {0: "ok", _lib.E_NONFINITE: "nonfinite", _lib.E_INTEGRATOR: "solver"}
        rows, runs_done = [], []

        def on_result(ctx, rp):
            r = rp.contents
            rows.append([r.params[i] for i in range(n_p)] + [r.metrics[i] for i in range(n_m)] +
                        [status_names.get(r.status, "error")])
            runs_done.append(r.run)
            return 0

        cb = _lib.ON_RESULT(on_result)
        x = _lib.SweepExec(first=0, end=lib.migdev_sweep_n_runs(sw), block=64, n_parts=1,
                           part=0, n_threads=max(1, int(threads)), window=0, on_result=cb,
                           poll=_lib.POLL(), ctx=None, stop_after=0)
        done = ctypes.c_long()
        rc = lib.migdev_sweep_execute(sw, ctypes.byref(x), ctypes.byref(done), ctypes.byref(err))
        if rc < 0:
            _raise(err)
        df = pd.DataFrame(rows, columns=names + ["status"],
                          index=pd.Index(runs_done, name="run"))
        return df
    finally:
        lib.migdev_sweep_free(sw)
