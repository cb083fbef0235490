# test_migdev.py - the Python module against the command-line tool (the same
# numbers, to the bit), against closed forms (a policy change under Euler),
# and its errors (positions, run failures). Run by ctest (python_tests).
import io
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import migdev
from conftest import REPO

BIN = os.environ.get("MIGDEV_BIN", os.path.join(REPO, "build", "migdev"))


def repo(*p):
    return os.path.join(REPO, *p)


def cli_csv(*args):
    """Run the migdev program; its CSV on standard output as a DataFrame,
    parsed so that every number is the double the program printed."""
    out = subprocess.run([BIN, *args], check=True, capture_output=True, text=True).stdout
    return pd.read_csv(io.StringIO(out), float_precision="round_trip")


def same_bits(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


@pytest.mark.parametrize("args,kw", [
    ([], {}),
    (["--set", "remittance_reliance=0", "--method", "rk4", "--dt", "0.125"],
     {"set": {"remittance_reliance": 0}, "method": "rk4", "dt": 0.125}),
    (["--method", "rkf45", "--stop", "2020"], {"method": "rkf45", "stop": 2020}),
])
def test_run_equals_cli_to_the_bit(args, kw):
    vars = ["net_migration", "wage_asymmetry", "remittance_dependence", "migrants_abroad_recent"]
    want = cli_csv("run", repo("configs", "state_led.cfg"), "-q", "-o", "-", "--no-plots",
                   "--vars", ",".join(vars), *args)
    got = migdev.load(repo("configs", "state_led.cfg")).run(vars=vars, **kw)
    assert got.index.name == "time"
    assert list(got.columns) == vars
    assert np.allclose(got.index.values, want["time"].values, rtol=0, atol=1e-9)
    for v in vars:
        assert same_bits(got[v].values, want[v].values), v


def test_run_all_outputs_of_a_scenario():
    want = cli_csv("run", repo("models", "examples", "teacup.cfg"), "-q", "-o", "-")
    got = migdev.load(repo("models", "examples", "teacup.cfg")).run()
    assert list(got.columns) == list(want.columns[1:])
    assert same_bits(got.values, want.values[:, 1:])


def test_bad_model_raises_with_its_position(tmp_path):
    text = ('time = { stop = 10.0; dt = 1.0; };\n'
            'constants = ( { name = "k"; value = 0.1; } );\n'
            'stocks = ( { name = "x"; init = 1.0; outflows = ["loss"]; } );\n'
            'flows = ( { name = "loss"; equation = "k * * x"; } );\n')
    path = tmp_path / "bad.cfg"
    path.write_text(text)
    # the parser stops at the second '*' of line 4 (columns count from 1)
    col = text.splitlines()[3].index("* x") + 1
    with pytest.raises(migdev.ModelError) as e:
        migdev.load(path)
    assert (e.value.file, e.value.line, e.value.column) == (str(path), 4, col)
    assert str(e.value).startswith(f"{path}:4:{col}: error: ")


def test_unknown_names_and_settings():
    m = migdev.load(repo("tests", "models", "logistic.cfg"))
    with pytest.raises(migdev.ModelError, match="no_such_constant"):
        m.run(set={"no_such_constant": 1})
    with pytest.raises(migdev.ModelError, match="no_such_variable"):
        m.run(vars=["no_such_variable"])
    with pytest.raises(migdev.ModelError, match="unknown method"):
        m.run(method="rk5")
    with pytest.raises(migdev.ModelError):
        m.run(dt=-1)


def test_run_failure_names_time_and_variable(tmp_path):
    path = tmp_path / "blow.cfg"
    path.write_text('time = { stop = 5.0; dt = 0.5; };\n'
                    'auxiliaries = ( { name = "y"; equation = "1 / (time - 2.5)"; } );\n')
    with pytest.raises(migdev.RunError, match=r"at t=2\.5: 'y' became \+infinity") as e:
        migdev.load(path).run()
    assert e.value.line == 2


def test_constants_and_variables():
    m = migdev.load(repo("tests", "models", "logistic.cfg"))
    c = m.constants
    assert list(c.index) == ["maximum_growth_rate", "carrying_capacity"]
    assert c.loc["carrying_capacity", "value"] == 1000.0
    assert c.loc["maximum_growth_rate", "units"] == "1/year"
    assert c.loc["carrying_capacity", "doc"] == "Population the environment supports."
    v = m.variables
    assert v.loc["population", "kind"] == "stock"
    assert v.loc["net_birth_rate", "kind"] == "flow"
    assert v.loc["net_birth_rate", "equation"] == "fractional_growth_rate * population"
    assert v.loc["fraction_of_carrying_capacity_used", "units"] == "dimensionless"
    assert m.time_units == "year"


def test_logistic_against_hand_computation():
    # Euler, dt = 1: P(t+1) = P + 0.12 P (1 - P/1000), P(0) = 5
    df = migdev.load(repo("tests", "models", "logistic.cfg")).run(vars=["population"])
    p = 5.0
    for t in range(1, 11):
        p = p + 0.12 * (1 - p / 1000.0) * p
        assert df.loc[float(t), "population"] == pytest.approx(p, rel=1e-14)


def test_loops_of_the_logistic_model():
    # one reinforcing loop (births grow the population) and one balancing
    # loop through the share of the carrying capacity used (the model's doc)
    lp = migdev.load(repo("tests", "models", "logistic.cfg")).loops()
    assert sorted(lp["polarity"]) == ["B", "R"]
    r = lp[lp["polarity"] == "R"].iloc[0]
    b = lp[lp["polarity"] == "B"].iloc[0]
    assert sorted(r["variables"]) == ["net_birth_rate", "population"]
    assert set(b["variables"]) == {"population", "fraction_of_carrying_capacity_used",
                                   "fractional_growth_rate", "net_birth_rate"}


def test_sweep_equals_cli_summary(tmp_path):
    scenario = repo("tests", "models", "logistic.cfg")
    params = ["maximum_growth_rate=0.05:0.25:0.05", "carrying_capacity=500,1000"]
    metrics = ["final(population)", "half=crossing(population,250)"]
    out = tmp_path / "summary.csv"
    args = ["sweep", scenario, "-j", "2", "-o", str(out), "--summary-only", "--no-sensitivity",
            "--no-progress"]
    for p in params:
        args += ["--param", p]
    for m in metrics:
        args += ["--metric", m]
    subprocess.run([BIN, *args], check=True, capture_output=True)
    want = pd.read_csv(out, float_precision="round_trip").set_index("run")
    got = migdev.sweep(scenario, params=params, metrics=metrics, threads=2)
    assert list(got.columns) == list(want.columns)
    assert len(got) == 10
    assert list(got.index) == list(want.index)
    for c in got.columns[:-1]:
        assert same_bits(got[c].values, want[c].values), c
    assert list(got["status"]) == list(want["status"])


def test_step_by_step_policy_change(tmp_path):
    path = tmp_path / "decay.cfg"
    path.write_text('time = { start = 0.0; stop = 10.0; dt = 0.25; save_every = 1.0; };\n'
                    'constants = ( { name = "k"; value = 0.1; } );\n'
                    'stocks = ( { name = "x"; init = 100.0; outflows = ["loss"]; } );\n'
                    'flows = ( { name = "loss"; equation = "k * x"; } );\n')
    sim = migdev.load(path).simulation()
    sim.advance(4.0)
    assert sim.time == 4.0
    x4 = 100 * 0.975 ** 16  # Euler: x *= (1 - k dt) per step
    assert sim["x"] == pytest.approx(x4, rel=1e-13)
    sim.set("k", 0.3).advance(10.0)
    assert sim.finished
    assert sim["x"] == pytest.approx(x4 * 0.925 ** 24, rel=1e-12)
    res = sim.results()
    assert res.loc[4.0, "loss"] == pytest.approx(0.3 * x4, rel=1e-13)
    with pytest.raises(migdev.ModelError, match="already at"):
        sim.advance(3.0)


@pytest.mark.parametrize("header,struct,cls", [
    ("model.h", "migdev_var_info", "VarInfo"),
    ("model.h", "migdev_sim_spec", "SimSpec"),
    ("error.h", "migdev_error", "Error"),
    ("loops.h", "migdev_loop_info", "LoopInfo"),
    ("loops.h", "migdev_loops_opts", "LoopsOpts"),
    ("sweep.h", "migdev_sweep_result", "SweepResult"),
    ("sweep.h", "migdev_sweep_exec", "SweepExec"),
])
def test_structures_follow_the_headers(header, struct, cls):
    """The ctypes structures list the C structures' fields in order: a field
    added to a header without the module following fails here."""
    import re
    from migdev import _lib
    text = open(repo("include", "migdev", header)).read()
    body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (struct, struct), text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    names = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        m = re.match(r"[^(]*\(\s*\*\s*(\w+)\s*\)", decl)  # function pointer
        if m:
            names.append(m.group(1))
            continue
        head, _, rest = decl.rpartition(" ")
        parts = [p.strip() for p in decl.split(",")]
        first = re.search(r"(\w+)(\[[^]]*\])?$", parts[0]).group(1)
        names.append(first)
        names += [re.search(r"(\w+)", p).group(1) for p in parts[1:]]
    got = [f[0] for f in getattr(_lib, cls)._fields_ if not f[0].startswith("_")]
    assert got == names
