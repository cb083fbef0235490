#!/usr/bin/env python3
"""compare_regimes.py - the paper's development regimes side by side.

Runs the four scenarios of models/migration_development.cfg through the
migdev Python module and draws, to 2050, the emigrant stock, the
remittance dependence, the wage asymmetry and net migration, one line per
regime.

    python3 python/examples/compare_regimes.py [-o regimes.png]

Without -o the figure opens in a window (or is written to
compare_regimes.png when there is no display).
"""
import argparse
import os

import matplotlib

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    matplotlib.use("Agg")  # no display: draw into a file
import matplotlib.pyplot as plt

import migdev

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
REGIMES = {
    "remittance_based": "Remittance-based (Mexico)",
    "state_led": "State-led (South Korea-like)",
    "compensatory_integration": "Compensatory integration (EU-like)",
    "alternative_agenda": "Alternative agenda (Mexico from 2025)",
}
PANELS = [
    ("emigrant_stock", "Emigrant stock abroad (people)"),
    ("remittance_dependence", "Remittance dependence (share of output)"),
    ("wage_asymmetry", "Wage asymmetry (destination / origin)"),
    ("net_migration", "Net migration (people / year)"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", help="write the figure here (.png, .svg, .pdf)")
    args = ap.parse_args()

    runs = {label: migdev.load(os.path.join(ROOT, "configs", f"{name}.cfg"))
            .run(vars=[v for v, _ in PANELS])
            for name, label in REGIMES.items()}

    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True)
    for ax, (var, title) in zip(axes.flat, PANELS):
        for label, df in runs.items():
            ax.plot(df.index, df[var], label=label)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[1, 1].axhline(0, color="black", linewidth=0.6)
    axes[0, 0].legend(fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("year")
    fig.suptitle("Development regimes of the migration-remittance model")
    fig.tight_layout()

    out = args.output
    if not out and matplotlib.get_backend().lower() == "agg":
        out = "compare_regimes.png"
    if out:
        fig.savefig(out, dpi=110)
        print(f"wrote {out}")
    else:
        plt.show()


if __name__ == "__main__":
    main()
