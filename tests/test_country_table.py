#!/usr/bin/env python3
"""The rules of scripts/country_table.py on hand-made series (expected
values worked out by hand in the comments)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
import country_table as ct  # noqa: E402


class SignRuns(unittest.TestCase):
    def test_runs(self):
        # - - + + + - : three runs
        pts = list(zip(range(2000, 2006), [-1, -2, 3, 1, 2, -5]))
        self.assertEqual(ct.sign_runs(pts), [(-1, 2000, 2001), (1, 2002, 2004), (-1, 2005, 2005)])

    def test_zero_counts_as_negative(self):
        self.assertEqual(ct.sign_runs([(1990, 0.0), (1991, 1.0)]), [(-1, 1990, 1990), (1, 1991, 1991)])

    def test_centred_mean_smooths_a_one_year_artefact(self):
        # Italy-like: +5, +5, -4, +5, +5 -> centred means of the middle three
        # are (5+5-4)/3 = 2, (5-4+5)/3 = 2, (-4+5+5)/3 = 2: no sign change
        s = {1993: 5.0, 1994: 5.0, 1995: -4.0, 1996: 5.0, 1997: 5.0}
        self.assertEqual(ct.centred_mean(s, range(1994, 1997)), [(1994, 2.0), (1995, 2.0), (1996, 2.0)])

    def test_matched_within_three_years(self):
        data_run = (1, 1995, 2008)
        self.assertTrue(ct.matched(data_run, [(1, 1998, 2005)]))      # 3 years late, 3 early
        self.assertFalse(ct.matched(data_run, [(1, 1999, 2008)]))     # 4 years late
        self.assertFalse(ct.matched(data_run, [(1, 1995, 2004)]))     # ends 4 years early
        self.assertFalse(ct.matched(data_run, [(-1, 1995, 2008)]))    # wrong sign
        self.assertTrue(ct.matched(data_run, [(1, 1990, 2014)]))      # covers it

    def test_mape(self):
        # |1.1-1|/1 = 10 %, |1.8-2|/2 = 10 %, zero data skipped
        self.assertAlmostEqual(ct.mape([(1.1, 1.0), (1.8, 2.0), (5.0, 0.0)]), 10.0)


if __name__ == "__main__":
    unittest.main()
