# scripts/countries.gp - the nine countries, grouped by the paper's regimes:
# small multiples (columns: remittance-based, state-led, compensatory
# integration; rows: net migration per 1,000, GDP per capita ratio), each
# country's fitted model as a line over its data as points of the same
# colour. Called by scripts/countries.sh:
#   gnuplot -e "data='out/countries/figure.dat'; out='out/countries.png'" scripts/countries.gp
# data: scripts/country_table.py writes it, one block per country in the
# order mex slv phl mar kor esp prt irl ita (columns: year, model net
# migration per 1,000, model ratio, data net migration per 1,000, data ratio).
set terminal pngcairo size 1500,900 font ",10"
set output out
set datafile missing "?"
set multiplot layout 2,3 title "The paper's nine countries: model (lines, fitted 1990-2014, run to 2030) and data (points)"
set key top left samplen 2
set xrange [1990:2030]
set grid
set style line 1 lc rgb "#1b9e77" lw 2
set style line 2 lc rgb "#d95f02" lw 2
set style line 3 lc rgb "#7570b3" lw 2
set style line 4 lc rgb "#e7298a" lw 2
array first[3] = [0, 4, 5]
array count[3] = [4, 1, 4]
array title_of[3] = ["Remittance-based", "State-led", "Compensatory integration"]
names = "Mexico El-Salvador Philippines Morocco South-Korea Spain Portugal Ireland Italy"
do for [row = 1:2] {
  do for [g = 1:3] {
    set title sprintf("%s: %s", title_of[g], row == 1 ? "net migration per 1,000" : "GDP per capita ratio (destination / origin)")
    set ylabel (row == 1 ? "per 1,000 a year" : "ratio")
    if (row == 2) { set logscale y } else { unset logscale y }
    ymodel = row == 1 ? 2 : 3
    ydata = row == 1 ? 4 : 5
    plot for [k = 0:count[g]-1] data index (first[g] + k) using 1:ymodel with lines ls (k + 1) \
           title word(names, first[g] + k + 1), \
         for [k = 0:count[g]-1] data index (first[g] + k) using 1:ydata with points ls (k + 1) pt 7 ps 0.6 notitle
  }
}
unset multiplot
