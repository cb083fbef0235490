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
#   var_title[v]      a panel title: the first clause of the variable's doc
#                     when short, else its name with spaces
#   var_scale[v], var_suffix[v]   SI-style tick labels: values are divided
#                     by var_scale[v] (1, 1e3, 1e6, 1e9, 1e12) and the
#                     ticks end in var_suffix[v] ('', ' k', ' M', ' bn', ' tn')
#   all_scale, all_suffix   the same for every variable on one axes
#   units_known       0 when the data came without a model (a CSV)
#   time_units        '' when unknown
#   n_groups, group_name[g]   the scenarios (one group for a single run)
#   n_line_groups, line_group[k]   the groups that are runs (drawn as lines)
#   n_point_groups, point_group[k] the groups that are observations (a group
#                     called 'data'), drawn as points
#   $data             one block per group (select with `index g-1`), with
#                     the columns time, variable 1, ..., variable n_vars
#   fig_shade, fig_shade_from, fig_shade_label   1: shade the times from
#                     fig_shade_from on (a calibration's hold-out), with
#                     the label ('' none)
#   fig_points_group  the group `migdev calibrate --figure` draws as points
#                     ('' none); it is among the point_group[] above
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
# the one key of a figure: as many entries a row as the longest fits
longest = 0
do for [g=1:n_groups] { longest = (strlen(group_name[g]) > longest) ? strlen(group_name[g]) : longest }
if (fig_shade) {
    set object 1 rect from first fig_shade_from, graph 0 to graph 1, graph 1 behind \
        fillcolor rgb '#e6e6e6' fillstyle solid 1.0 noborder
    if (fig_shade_label ne '') {
        set label 1 fig_shade_label at first fig_shade_from, graph 0.96 offset 0.6, 0 left front \
            textcolor rgb '#505050'
    }
}

# scenario g: colour g and, from the second on, a dash pattern, so that a
# line hidden under another still shows (and the figure survives grey print)
group_dt(g) = (g == 1) ? 1 : g

# the key entry of group g, variable v on one axes
overlay_title(g, v) = (n_vars == 1) ? group_name[g] : group_name[g] . ': ' . var_name[v]

# the unit label of variable v ('' when not given or dimensionless)
unit_label(v) = (var_units[v] eq '' || var_units[v] eq 'dimensionless' || var_units[v] eq '1') ? '' : '[' . var_units[v] . ']'

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
    set format y '%g' . all_suffix
    if (fig_title ne '') { set title fig_title }
    # the key goes under the axes, where no title or curve can be
    set key below center horizontal width 2
    if (n_groups == 1) {
        plot for [v=1:n_vars] $data index 0 using 1:(column(v + 1) / all_scale) with lines lw 2 title var_name[v]
    } else {
        # runs as lines, observations as points (gnuplot runs the clause of an
        # empty `for` once, so each kind is plotted only when there is one)
        if (n_point_groups == 0) {
            plot for [k=1:n_line_groups] for [v=1:n_vars] $data index (line_group[k] - 1) \
                using 1:(column(v + 1) / all_scale) with lines lw 2 lc line_group[k] dt v title overlay_title(line_group[k], v)
        }
        if (n_point_groups > 0 && n_line_groups == 0) {
            plot for [k=1:n_point_groups] for [v=1:n_vars] $data index (point_group[k] - 1) \
                using 1:(column(v + 1) / all_scale) with points pt 7 ps 0.8 lc point_group[k] title overlay_title(point_group[k], v)
        }
        if (n_point_groups > 0 && n_line_groups > 0) {
            plot for [k=1:n_line_groups] for [v=1:n_vars] $data index (line_group[k] - 1) \
                using 1:(column(v + 1) / all_scale) with lines lw 2 lc line_group[k] dt v title overlay_title(line_group[k], v), \
             for [k=1:n_point_groups] for [v=1:n_vars] $data index (point_group[k] - 1) \
                using 1:(column(v + 1) / all_scale) with points pt 7 ps 0.8 lc point_group[k] title overlay_title(point_group[k], v)
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
        set format y '%g' . var_suffix[v]
        set title var_title[v]
        if (n_groups == 1) {
            plot $data index 0 using 1:(column(v + 1) / var_scale[v]) with lines notitle
        } else {
            # the key under the last panel only: one key for the figure
            if (v < n_vars) { unset key } else { set key below }
            if (n_point_groups == 0) {
                plot for [k=1:n_line_groups] $data index (line_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with lines title group_name[line_group[k]]
            }
            if (n_point_groups > 0 && n_line_groups == 0) {
                plot for [k=1:n_point_groups] $data index (point_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with points pt 7 title group_name[point_group[k]]
            }
            if (n_point_groups > 0 && n_line_groups > 0) {
                plot for [k=1:n_line_groups] $data index (line_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with lines title group_name[line_group[k]], \
                     for [k=1:n_point_groups] $data index (point_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with points pt 7 title group_name[point_group[k]]
            }
        }
    }
    unset multiplot
}
if (multi && !text) {
    # panels placed by hand (screen fractions from pixel margins), so that
    # they line up and one key for all the scenarios fits above them
    L = 100.0 / w; R = 25.0 / w; B = 50.0 / h; HS = 110.0 / w; VS = 80.0 / h
    title_h = (fig_title ne '') ? 35.0 / h : 0
    key_cols = int((w - 120.0) / (7.0 * longest + 80.0))
    key_cols = (key_cols < 1) ? 1 : (key_cols > n_groups) ? n_groups : key_cols
    key_rows = (n_groups > 1) ? int((n_groups + key_cols - 1) / key_cols) : 0
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
        set format y '%g' . var_suffix[v]
        # the panel's title names the variable; the one key (scenarios) is on top
        set title var_title[v] offset 0, -0.3
        if (n_groups == 1) {
            plot $data index 0 using 1:(column(v + 1) / var_scale[v]) with lines lw 2 lc 1 notitle
        } else {
            if (n_point_groups == 0) {
                plot for [k=1:n_line_groups] $data index (line_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with lines lw 2 lc line_group[k] dt group_dt(k) notitle
            }
            if (n_point_groups > 0 && n_line_groups == 0) {
                plot for [k=1:n_point_groups] $data index (point_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with points pt 7 ps 0.8 lc point_group[k] notitle
            }
            if (n_point_groups > 0 && n_line_groups > 0) {
                plot for [k=1:n_line_groups] $data index (line_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with lines lw 2 lc line_group[k] dt group_dt(k) notitle, \
                     for [k=1:n_point_groups] $data index (point_group[k] - 1) using 1:(column(v + 1) / var_scale[v]) \
                    with points pt 7 ps 0.8 lc point_group[k] notitle
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
        set key center center horizontal maxcols key_cols width 3 samplen 6
        if (n_point_groups == 0) {
            plot for [k=1:n_line_groups] 2 with lines lw 2 lc line_group[k] dt group_dt(k) \
                title group_name[line_group[k]]
        }
        if (n_point_groups > 0 && n_line_groups == 0) {
            plot for [k=1:n_point_groups] 2 with points pt 7 lc point_group[k] title group_name[point_group[k]]
        }
        if (n_point_groups > 0 && n_line_groups > 0) {
            plot for [k=1:n_line_groups] 2 with lines lw 2 lc line_group[k] dt group_dt(k) \
                title group_name[line_group[k]], \
                 for [k=1:n_point_groups] 2 with points pt 7 lc point_group[k] title group_name[point_group[k]]
        }
    }
    unset multiplot
}
