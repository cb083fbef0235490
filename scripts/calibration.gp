# The calibration figure: the remittance-based scenario over 1980-2014
# against the Mexican data it was fitted to (docs/models.md).
# Called by scripts/calibration_figure.sh with
#   model = a CSV of time,remittances_recorded_current_usd,migrant_stock_abroad
#   data  = data/mexico_migration_1970_2014.csv
#   out   = the PNG to write
set terminal pngcairo size 1000,420 font ",10"
set output out
set datafile separator ","
set key bottom right
set grid
set xrange [1979.5:2014.5]
set multiplot layout 1,2 title "Mexico 1980-2014: model (line) against data (points)"
set title "Remittances received (current USD bn)"
set xlabel "year"
set ylabel "USD bn per year"
plot data using 1:2 skip 1 with points pt 7 ps 0.8 title "World Bank (BX.TRF.PWKR.CD.DT)", \
     model using 1:($2/1e9) skip 1 with lines lw 2 title "model (recorded share steps to 1 in 2003)"
set title "Mexican-born population in the US (millions)"
set ylabel "people, millions"
plot data using 1:4 skip 1 with points pt 7 ps 1.2 title "census / ACS", \
     model using 1:($3/1e6) skip 1 with lines lw 2 title "model: migrant stock abroad"
unset multiplot
