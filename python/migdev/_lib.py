# _lib.py - ctypes declarations of the migdev C library (libmigdev.so.0).
#
# Only what the Python module uses is declared. The structures mirror the
# public headers (include/migdev/*.h); tests/test_migdev.py checks results
# against the command-line tool, so a mismatch shows.
#
# Copyright: the migdev authors. GPL-3.0-or-later.
import ctypes
import ctypes.util
import os

_SONAME = "libmigdev.so.0"


class Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("line", ctypes.c_int), ("column", ctypes.c_int),
                ("file", ctypes.c_char * 256), ("message", ctypes.c_char * 512)]


class SimSpec(ctypes.Structure):
    _fields_ = [("start", ctypes.c_double), ("stop", ctypes.c_double),
                ("dt", ctypes.c_double), ("save_every", ctypes.c_double),
                ("method", ctypes.c_int), ("abs_tol", ctypes.c_double),
                ("rel_tol", ctypes.c_double), ("max_step", ctypes.c_double),
                ("seed", ctypes.c_ulong)]


class VarInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("kind", ctypes.c_int),
                ("equation", ctypes.c_char_p), ("value", ctypes.c_double),
                ("units", ctypes.c_char_p), ("doc", ctypes.c_char_p),
                ("source", ctypes.c_char_p), ("label", ctypes.c_char_p),
                ("line", ctypes.c_int),
                ("non_negative", ctypes.c_int), ("data_file", ctypes.c_char_p),
                ("data_column", ctypes.c_char_p), ("provenance", ctypes.c_char_p),
                ("tuned_to", ctypes.c_char_p), ("column", ctypes.c_int),
                ("_spare", ctypes.c_char * 64)]  # room for fields a newer library adds


class LoopsOpts(ctypes.Structure):
    _fields_ = [("max_loops", ctypes.c_long), ("discover", ctypes.c_int),
                ("scores", ctypes.c_int), ("partial", ctypes.c_int)]


class LoopInfo(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("name", ctypes.c_char_p),
                ("vars", ctypes.POINTER(ctypes.c_int)), ("signs", ctypes.c_char_p),
                ("n", ctypes.c_int), ("n_hidden", ctypes.c_int), ("polarity", ctypes.c_char),
                ("partition", ctypes.c_int), ("runtime", ctypes.c_char_p),
                ("mean_abs_rel", ctypes.c_double), ("max_abs_rel", ctypes.c_double),
                ("_spare", ctypes.c_char * 64)]  # room for fields a newer library adds


class SweepResult(ctypes.Structure):
    _fields_ = [("run", ctypes.c_long), ("status", ctypes.c_int),
                ("error", ctypes.POINTER(Error)), ("params", ctypes.POINTER(ctypes.c_double)),
                ("metrics", ctypes.POINTER(ctypes.c_double)),
                ("series", ctypes.POINTER(ctypes.c_double)), ("row", ctypes.c_char_p)]


ON_RESULT = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(SweepResult))
POLL = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


class SweepExec(ctypes.Structure):
    _fields_ = [("first", ctypes.c_long), ("end", ctypes.c_long), ("block", ctypes.c_long),
                ("n_parts", ctypes.c_int), ("part", ctypes.c_int),
                ("n_threads", ctypes.c_int), ("window", ctypes.c_int),
                ("on_result", ON_RESULT), ("poll", POLL), ("ctx", ctypes.c_void_p),
                ("stop_after", ctypes.c_long), ("rows", ctypes.c_int)]


def _candidates():
    """Where libmigdev may be: $MIGDEV_LIBRARY, the system's loader path,
    then a build tree next to this source tree (python/../build)."""
    env = os.environ.get("MIGDEV_LIBRARY")
    if env:
        yield env
        return
    yield _SONAME
    found = ctypes.util.find_library("migdev")
    if found:
        yield found
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "..", "..", "build", _SONAME)


def _open():
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path}: {e}")
    raise ImportError("cannot load the migdev C library (" + "; ".join(tried) +
                      "): install migdev (cmake --install) or set MIGDEV_LIBRARY "
                      "to the path of libmigdev.so.0")


lib = _open()

_P = ctypes.c_void_p
_E = ctypes.POINTER(Error)
_D = ctypes.c_double
_I = ctypes.c_int
_S = ctypes.c_char_p

_SIGNATURES = {
    "migdev_version": (_S, []),
    "migdev_global_init": (None, []),
    "migdev_error_format": (_S, [_E, ctypes.c_char_p, ctypes.c_size_t]),
    "migdev_model_n_vars": (_I, [_P]),
    "migdev_model_var": (_I, [_P, _I, ctypes.POINTER(VarInfo)]),
    "migdev_model_find": (_I, [_P, _S]),
    "migdev_model_name": (_S, [_P]),
    "migdev_model_time_units": (_S, [_P]),
    "migdev_method_parse": (_I, [_S]),
    "migdev_scenario_load": (_P, [_S, _E]),
    "migdev_scenario_free": (None, [_P]),
    "migdev_scenario_model": (_P, [_P]),
    "migdev_scenario_name": (_S, [_P]),
    "migdev_scenario_spec": (SimSpec, [_P]),
    "migdev_scenario_set_spec": (None, [_P, ctypes.POINTER(SimSpec)]),
    "migdev_scenario_set": (_I, [_P, _S, _D, _E]),
    "migdev_scenario_set_outputs": (_I, [_P, _S, _E]),
    "migdev_scenario_outputs": (ctypes.POINTER(_I), [_P, ctypes.POINTER(_I)]),
    "migdev_scenario_new_run": (_P, [_P, _E]),
    "migdev_spec_check": (_I, [ctypes.POINTER(SimSpec), _E]),
    "migdev_run_free": (None, [_P]),
    "migdev_run_execute": (_I, [_P, _E]),
    "migdev_run_n_saves": (ctypes.c_size_t, [_P]),
    "migdev_run_times": (ctypes.POINTER(_D), [_P]),
    "migdev_run_series": (ctypes.POINTER(_D), [_P, _I]),
    "migdev_run_set_constant": (_I, [_P, _I, _D, _E]),
    "migdev_run_start": (_I, [_P, _E]),
    "migdev_run_advance": (_I, [_P, _D, _E]),
    "migdev_run_time": (_D, [_P]),
    "migdev_run_value": (_D, [_P, _I]),
    "migdev_run_is_finished": (_I, [_P]),
    "migdev_loops_analyse": (_P, [_P, ctypes.POINTER(LoopsOpts), _E]),
    "migdev_loops_free": (None, [_P]),
    "migdev_loops_count": (_I, [_P]),
    "migdev_loops_get": (_I, [_P, _I, ctypes.POINTER(LoopInfo)]),
    "migdev_sweep_load": (_P, [_P, _E]),
    "migdev_sweep_free": (None, [_P]),
    "migdev_sweep_set_design": (_I, [_P, _S, _E]),
    "migdev_sweep_set_runs": (_I, [_P, ctypes.c_long, _E]),
    "migdev_sweep_set_seed": (None, [_P, ctypes.c_uint64]),
    "migdev_sweep_add_param_text": (_I, [_P, _S, _E]),
    "migdev_sweep_add_metric_text": (_I, [_P, _S, _E]),
    "migdev_sweep_summary_only": (None, [_P]),
    "migdev_sweep_prepare": (_I, [_P, _E]),
    "migdev_sweep_n_runs": (ctypes.c_long, [_P]),
    "migdev_sweep_n_params": (_I, [_P]),
    "migdev_sweep_param_name": (_S, [_P, _I]),
    "migdev_sweep_n_metrics": (_I, [_P]),
    "migdev_sweep_metric_name": (_S, [_P, _I]),
    "migdev_sweep_execute": (_I, [_P, ctypes.POINTER(SweepExec), ctypes.POINTER(ctypes.c_long), _E]),
}

for _name, (_res, _args) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

lib.migdev_global_init()

# error codes (include/migdev/error.h)
OK = 0
E_NONFINITE = -8
E_INTEGRATOR = -9
