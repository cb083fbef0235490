# scripts/plot.gp - how migdev draws its figures (gnuplot 5.4).
#
# `migdev plot`, `migdev compare` and the `plots` of a scenario run
# gnuplot and send it some settings and the data, then this file. Change
# colours, fonts, sizes or the key here; pass another template with
# `--template FILE` or MIGDEV_PLOT_TEMPLATE=FILE.
#
# Defined before this file runs:
#   fig_format        'png' 'svg' 'pdf' 'dumb' 'qt' 'wxt' 'x11'
#   fig_width, fig_height   the requested size (pixels; characters for
#                     dumb), 0 when not given
#   fig_layout        'panels' (one per variable) or 'overlay' (one axes)
#   fig_logscale      1 for logarithmic value axes
#   fig_title         '' when none
#   n_vars, var_name[v], var_units[v]   the variables; var_units[v] is ''
#                     when the model gives none
#   units_known       0 when the data came without a model (a CSV)
#   time_units        '' when unknown
#   n_groups, group_name[g]   the scenarios (one group for a single run)
#   $data             one block per group (select with `index g-1`), with
#                     the columns time, variable 1, ..., variable n_vars
#   fig_shade, fig_shade_from, fig_shade_label   1: shade the times from
#                     fig_shade_from on (a calibration's hold-out), with
#                     the label ('' none)
#   fig_points_group  the group drawn as points, not lines ('' none): the
#                     data of `migdev calibrate --figure`
#
# SAFETY: the names, units and titles above come from model and scenario
# files. They are plain string values here: never put them through eval,
# an @macro, system(), load or a backquote, or gnuplot would run them.
# Enhanced text stays off so that they print literally (a_b is not a
# subscript).
#
# (gnuplot 5.4 has no `else if`: use separate `if`s, or nest them.)

# ---- the output device -------------------------------------------------
text = (fig_format eq 'dumb')
multi = (fig_layout eq 'panels' && n_vars > 1)
cols = (!multi || text) ? 1 : (n_vars <= 6) ? 2 : 3
rows = (!multi) ? 1 : int((n_vars + cols - 1) / cols)
if (text) {
    w = (fig_width > 0) ? fig_width : 100
    h = (fig_height > 0) ? fig_height : (multi ? 26 * rows : 32)
} else {
    w = (fig_width > 0) ? fig_width : (multi ? 520 * cols : 900)
    h = (fig_height > 0) ? fig_height : (multi ? 360 * rows + 60 : 600)
}
if (fig_format eq 'png') {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size w, h font 'DejaVu Sans,10' linewidth 1.6 noenhanced
    } else {
        set terminal png size w, h noenhanced
    }
}
if (fig_format eq 'svg') {
    set terminal svg size w, h fixed font 'DejaVu Sans,11' linewidth 1.4 background rgb 'white' noenhanced
}
if (fig_format eq 'pdf') {
    set terminal pdfcairo size (w / 100.0), (h / 100.0) font 'DejaVu Sans,8' linewidth 1.4 noenhanced
}
if (text) {
    set terminal dumb size w, h noenhanced
}
if (fig_format eq 'qt') {
    set terminal qt size w, h font 'DejaVu Sans,10' noenhanced
}
if (fig_format eq 'wxt') {
    set terminal wxt size w, h font 'DejaVu Sans,10' noenhanced
}
if (fig_format eq 'x11') {
    set terminal x11 size w, h noenhanced
}
set termoption noenhanced
set encoding utf8

# ---- common style ------------------------------------------------------
if (!text) { set grid lc rgb '#d8d8d8' }
set border lc rgb '#404040'
set tics nomirror
# a missing value (NaN: an empty cell of a table, e.g. data between the
# years it was measured) is skipped; the line joins the points around it
set datafile missing NaN
set autoscale xfix
set xlabel (time_units eq '') ? 'time' : 'time [' . time_units . ']'
set ytics format '%g'
if (fig_logscale) { set logscale y }
if (fig_shade) {
    set object 1 rect from first fig_shade_from, graph 0 to graph 1, graph 1 behind \
        fillcolor rgb '#e6e6e6' fillstyle solid 1.0 noborder
    if (fig_shade_label ne '') {
        set label 1 fig_shade_label at first fig_shade_from, graph 0.96 offset 0.6, 0 left front \
            textcolor rgb '#505050'
    }
}
# the points group (pg, 0: none) is drawn with points, the others (the
# words of lines_in) with lines. gnuplot 5.4 runs an empty plot loop once,
# so each case has its own plot command and no loop is ever empty.
pg = 0
do for [g=1:n_groups] {
    if (fig_points_group ne '' && group_name[g] eq fig_points_group) { pg = g }
}
lines_in = ''
do for [g=1:n_groups] {
    if (g != pg) { lines_in = lines_in . ' ' . sprintf('%d', g) }
}
# with a points group the lines are solid (data against model, not runs
# that could hide one another)
line_dt(g) = (pg > 0) ? 1 : group_dt(g)

# scenario g: colour g and, from the second on, a dash pattern, so that a
# line hidden under another still shows (and the figure survives grey print)
group_dt(g) = (g == 1) ? 1 : g

# the unit label of variable v ('' when not given)
unit_label(v) = (var_units[v] eq '') ? '' : '[' . var_units[v] . ']'

# ---- one axes for everything -------------------------------------------
if (!multi) {
    # the distinct units, for the value axis
    ylab = ''
    do for [v=1:n_vars] {
        u = unit_label(v)
        if (u ne '' && strstrt(ylab, u) == 0) { ylab = (ylab eq '') ? u : ylab . ', ' . u }
    }
    if (!units_known) { ylab = '(units unknown)' }
    set ylabel ylab
    n_keys = (n_groups == 1) ? n_vars : n_groups * n_vars
    key_rows = int((n_keys + 2) / 3)
    if (text) {
        # text: the key goes under the axes
        if (fig_title ne '') { set title fig_title }
        set key below
    } else {
        # the key sits just above the axes, under the title, three entries a row
        set tmargin (fig_title ne '' ? 2.5 : 1) + 1.3 * key_rows
        if (fig_title ne '') { set title fig_title offset 0, 1.3 * key_rows }
        set key at graph 0.5, graph 1.01 center bottom horizontal maxcols 3 width 2
    }
    if (n_groups == 1) {
        plot for [v=1:n_vars] $data index 0 using 1:(column(v + 1)) with lines lw 2 title var_name[v]
    } else {
        gv_title(g, v) = (n_vars == 1 ? group_name[g] : group_name[g] . ': ' . var_name[v])
        if (pg == 0) {
            plot for [g=1:n_groups] for [v=1:n_vars] $data index (g - 1) using 1:(column(v + 1)) \
                with lines lw 2 lc g dt v title gv_title(g, v)
        }
        if (pg > 0) {
            plot for [w in lines_in] for [v=1:n_vars] $data index (int(w) - 1) \
                using 1:(column(v + 1)) with lines lw 2 lc int(w) dt v title gv_title(int(w), v), \
                for [v=1:n_vars] $data index (pg - 1) using 1:(column(v + 1)) \
                with points pt 7 ps 0.7 lc pg title gv_title(pg, v)
        }
    }
}

# ---- one panel per variable --------------------------------------------
if (multi && text) {
    # text: gnuplot places the panels itself; each has its key under it
    if (fig_title ne '') {
        set multiplot layout rows, cols title fig_title
    } else {
        set multiplot layout rows, cols
    }
    set key below
    do for [v=1:n_vars] {
        set ylabel (units_known ? unit_label(v) : '(units unknown)')
        if (n_groups == 1) {
            plot $data index 0 using 1:(column(v + 1)) with lines title var_name[v]
        } else {
            set title var_name[v]
            plot for [g=1:n_groups] $data index (g - 1) using 1:(column(v + 1)) \
                with lines title group_name[g]
        }
    }
    unset multiplot
}
if (multi && !text) {
    # panels placed by hand (screen fractions from pixel margins), so that
    # they line up and one key for all the scenarios fits above them
    L = 100.0 / w; R = 25.0 / w; B = 50.0 / h; HS = 110.0 / w; VS = 80.0 / h
    title_h = (fig_title ne '') ? 35.0 / h : 0
    key_rows = (n_groups > 1) ? int((n_groups + 3) / 4) : 0
    key_h = (n_groups > 1) ? (10.0 + 20.0 * key_rows) / h : 0
    top = 1.0 - 30.0 / h - title_h - key_h
    cw = (1.0 - L - R - (cols - 1) * HS) / cols
    ch = (top - B - (rows - 1) * VS) / rows
    if (fig_title ne '') {
        set multiplot title fig_title
    } else {
        set multiplot
    }
    do for [v=1:n_vars] {
        k = v - 1
        r = int(k / cols); c = k % cols
        set lmargin at screen L + c * (cw + HS)
        set rmargin at screen L + c * (cw + HS) + cw
        set bmargin at screen top - (r + 1) * ch - r * VS
        set tmargin at screen top - r * (ch + VS)
        set ylabel (units_known ? unit_label(v) : '(units unknown)')
        if (n_groups == 1) {
            # the key names the variable, just above its panel
            set key at graph 0.5, graph 1.01 center bottom horizontal
            plot $data index 0 using 1:(column(v + 1)) with lines lw 2 lc 1 title var_name[v]
        } else {
            set title var_name[v] offset 0, -0.3
            if (pg == 0) {
                plot for [g=1:n_groups] $data index (g - 1) using 1:(column(v + 1)) \
                    with lines lw 2 lc g dt group_dt(g) notitle
            } else {
                plot for [w in lines_in] $data index (int(w) - 1) using 1:(column(v + 1)) \
                    with lines lw 2 lc int(w) dt line_dt(int(w)) notitle, \
                    $data index (pg - 1) using 1:(column(v + 1)) with points pt 7 ps 0.7 lc pg notitle
            }
        }
    }
    if (n_groups > 1) {
        # the key: a plot with nothing visible but its key, across the top
        set lmargin at screen L
        set rmargin at screen 1.0 - R
        set bmargin at screen top + 30.0 / h
        set tmargin at screen top + 30.0 / h + key_h
        unset border; unset tics; unset xlabel; unset ylabel; unset grid; unset title
        unset logscale
        unset object 1; unset label 1
        set xrange [0:1]; set yrange [0:1]
        set key center center horizontal maxrows key_rows width 3 samplen 6
        if (pg == 0) {
            plot for [g=1:n_groups] 2 with lines lw 2 lc g dt group_dt(g) title group_name[g]
        } else {
            plot for [w in lines_in] 2 with lines lw 2 lc int(w) dt line_dt(int(w)) \
                    title group_name[int(w)], \
                 2 with points pt 7 ps 0.7 lc pg title group_name[pg]
        }
    }
    unset multiplot
}
