/*
** watch_cases.h - models whose first non-finite value is hidden from every
** later equation (check_run.c with the VM, check_native.c with both
** engines). The finiteness check after a step reads only the values that
** no later equation carries (src/watch.c); each case makes a value
** non-finite and then reads it only through an operation that can give a
** finite result, so a check that skipped it would miss the failure or name
** another variable. Expected messages by hand: x = 1 / (time - 2) is
** +infinity at t = 2 (dt = 1), and nothing else is non-finite before.
*/
#ifndef WATCH_CASES_H
#define WATCH_CASES_H

typedef struct watch_case {
    const char *text;
    const char *message;
} watch_case;

#define WATCH_HEAD                                                                  \
    "time = { stop = 4.0; dt = 1.0; };\n"                                           \
    "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
#define WATCH_X "{ name = \"x\"; equation = \"1 / (time - 2)\"; }, "

static const watch_case watch_cases[] = {
    /* the denominator: 1 / inf = 0 */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"y\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"1 / x\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* a function: exp(-inf) = 0 */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"y\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"exp(0 - x)\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* a power: inf ^ 0 = 1 */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"y\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"x ^ 0\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* max(-inf, 0) = 0 */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"max(0 - x, 0)\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"1\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* a comparison */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"if_then_else(x > 0, 1, 2)\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"1\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* carried (2 * inf + 1 = inf): the report still names the first, x */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"y\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"2 * x + 1\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* read by nothing at all */
    {WATCH_HEAD "flows = ( { name = \"f\"; equation = \"1\"; } );\n"
                "auxiliaries = ( " WATCH_X "{ name = \"y\"; equation = \"2\"; } );\n",
     "at t=2: 'x' became +infinity"},
    /* a stock that overflows, read only in a denominator: s = 1, 1e308,
       then 1e308 + 1e308 = inf at t = 2, where f = 1e308 + 1 / inf stays
       finite */
    {"time = { stop = 4.0; dt = 1.0; };\n"
     "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
     "flows = ( { name = \"f\"; equation = \"1e308 + 1 / s\"; } );\n",
     "at t=2: 's' became +infinity"},
};

enum { N_WATCH_CASES = sizeof watch_cases / sizeof watch_cases[0] };

#endif
