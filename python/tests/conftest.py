# conftest.py - where the tests find the migdev program, the repository
# and the library (ctest passes MIGDEV_BIN and MIGDEV_LIBRARY).
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "python"))  # the module from this tree
