# setup.py - pip install ./python (offline: needs only Debian's python3,
# python3-setuptools and python3-pandas; the C library libmigdev.so.0 is
# found at import time, see migdev/_lib.py).
from setuptools import setup

setup(
    name="migdev",
    version="0.1.0",
    description="System-dynamics models of the migration-remittance feedback loop (migdev)",
    license="GPL-3.0-or-later",
    packages=["migdev"],
    python_requires=">=3.9",
    install_requires=["pandas"],
)
