/*
** check_parser.c - the equation parser (src/parser.c): precedence and
** associativity (checked by evaluating), numbers, and every syntax error
** with its line:col in the model file.
*/
#include "modelutil.h"

#include "parser.h"

#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define ck_eval(eq, want)                                                                \
    do {                                                                                 \
        const double got_ = eval_eq(eq);                                                 \
        ck_assert_msg(same_bits(got_, (want)), "%s = %.17g, expected %.17g", eq, got_, \
                      (double)(want));                                                   \
    } while (0)

START_TEST(power_and_unary_minus)
{
    ck_eval("-2^2", -4.0);     /* power binds tighter than unary minus */
    ck_eval("(-2)^2", 4.0);
    ck_eval("2^3^2", 512.0);   /* right-associative: 2^(3^2) */
    ck_eval("(2^3)^2", 64.0);
    ck_eval("2^-1", 0.5);      /* a unary minus may follow ^ */
    ck_eval("-2^-2", -0.25);
    ck_eval("2^-2^2", 1.0 / 16.0); /* 2^(-(2^2)) */
    ck_eval("2*3^2", 18.0);
    ck_eval("2^2*3", 12.0);
    ck_eval("-3*-2", 6.0);
    ck_eval("--3", 3.0);
    ck_eval("+3", 3.0);
    ck_eval("- -3", 3.0);
    ck_eval("-c^2", -(2.385 * 2.385));
}
END_TEST

START_TEST(arithmetic_associativity)
{
    ck_eval("1-2-3", -4.0);
    ck_eval("8/4/2", 1.0);
    ck_eval("2+3*4", 14.0);
    ck_eval("(2+3)*4", 20.0);
    ck_eval("7-2*3+1", 2.0);
    ck_eval("12/2*3", 18.0);
    ck_eval("0.1+0.2+0.3", (0.1 + 0.2) + 0.3); /* left to right, as written */
    ck_eval("0.1+(0.2+0.3)", 0.1 + (0.2 + 0.3));
}
END_TEST

START_TEST(comparison_and_logic_precedence)
{
    ck_eval("1+2 = 3", 1.0);   /* + before = */
    ck_eval("1+2 == 4", 0.0);
    ck_eval("2*3 > 5", 1.0);
    ck_eval("1 = 1 = 1", 1.0); /* (1=1)=1 */
    ck_eval("3 > 2 > 1", 0.0); /* (3>2)>1 = 1>1 */
    ck_eval("not 0 = 1", 1.0); /* not (0 = 1) */
    ck_eval("not 1 = 1", 0.0);
    ck_eval("not 0 and 0", 0.0); /* (not 0) and 0, not: not (0 and 0) = 1 */
    ck_eval("not 1 or 1", 1.0);  /* (not 1) or 1, not: not (1 or 1) = 0 */
    ck_eval("1 or 1 and 0", 1.0); /* 1 or (1 and 0), not: (1 or 1) and 0 = 0 */
    ck_eval("0 and 1 or 1", 1.0); /* (0 and 1) or 1, not: 0 and (1 or 1) = 0 */
    ck_eval("not not 2", 1.0);
    ck_eval("2 > 1 and 3 > 2", 1.0);
    ck_eval("1 < 2 or 5 < 4", 1.0);
    ck_eval("-1 < 0", 1.0);
    ck_eval("(1 or 0) * 5", 5.0);
}
END_TEST

START_TEST(comparison_operators)
{
    ck_eval("3 <> 3", 0.0);
    ck_eval("3 <> 4", 1.0);
    ck_eval("3 != 4", 1.0);
    ck_eval("3 == 3", 1.0);
    ck_eval("3 = 3", 1.0);
    ck_eval("2 <= 2", 1.0);
    ck_eval("2 < 2", 0.0);
    ck_eval("2 >= 3", 0.0);
    ck_eval("3 >= 3", 1.0);
    ck_eval("d < c", 1.0);
}
END_TEST

START_TEST(logic_words_any_case)
{
    ck_eval("1 AND 0", 0.0);
    ck_eval("1 And 2", 1.0);
    ck_eval("0 Or 1", 1.0);
    ck_eval("0 OR 0", 0.0);
    ck_eval("NOT 0", 1.0);
    ck_eval("nOt 3", 0.0);
    ck_eval("!0", 1.0);
    ck_eval("1 && 1", 1.0);
    ck_eval("0 || 0", 0.0);
    ck_eval("0.5 and -2", 1.0); /* any non-zero value is true */
}
END_TEST

START_TEST(numbers_in_equations)
{
    ck_eval(".5", 0.5);
    ck_eval("1e-3", 0.001);
    ck_eval("1E3 + 2.5e+1", 1025.0);
    ck_eval("5. * 2", 10.0);
    ck_eval("pi", M_PI);
    ck_eval("PI", M_PI); /* built-in names ignore case */
    ck_eval("c", 2.385);
}
END_TEST

START_TEST(parse_tree_positions)
{
    /* white box: node positions are those of their first token */
    migdev_error err;
    migdev_error_clear(&err);
    node *n = parse_equation("a + f(b, -c)", "t.cfg", 4, 10, &err);
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(n->kind, N_BINARY);
    ck_assert_int_eq(n->col, 10); /* a binary node sits at its left operand */
    const node *call = n->args[1];
    ck_assert_int_eq(call->kind, N_CALL);
    ck_assert_str_eq(call->name, "f");
    ck_assert_int_eq(call->nargs, 2);
    ck_assert_int_eq(call->line, 4);
    ck_assert_int_eq(call->col, 14);
    ck_assert_int_eq(call->args[1]->kind, N_UNARY);
    ck_assert_int_eq(call->args[1]->col, 19);
    ck_assert_int_eq(call->args[1]->args[0]->col, 20);
    node_free(n);
}
END_TEST

/* ------------------------------------------------------------- errors */

/* The equation sits on line 5 of the file, after `equation = "`. */
static char *syntax_model(const char *equation)
{
    static const char fmt[] = "# a model with one bad equation\n"
                              "time = { stop = 1.0; };\n"
                              "auxiliaries = (\n"
                              "  { name = \"x\"; units = \"1\";\n"
                              "    equation = \"%s\"; }\n"
                              ");\n";
    const size_t n = strlen(fmt) + strlen(equation) + 1;
    char *t = malloc(n);
    snprintf(t, n, fmt, equation);
    return t;
}

#define END_OF_EQ "\"; }" /* needle: the closing quote */

/* equation must fail with msg at the first occurrence of needle inside it */
#define ck_syntax(equation, needle, msg)                                    \
    do {                                                                    \
        char *text_ = syntax_model(equation);                               \
        ck_model_error_after(text_, "equation = \"", needle, msg);          \
        free(text_);                                                        \
    } while (0)

START_TEST(syntax_errors)
{
    ck_syntax("1 +", END_OF_EQ,
              "expected a number, a name or '(', found the end of the equation");
    ck_syntax("(1 + 2", END_OF_EQ, "expected ')', found the end of the equation");
    ck_syntax("1 + * 2", "* 2", "expected a number, a name or '(', found '*'");
    ck_syntax("1 2", "2", "expected an operator or the end of the equation, found '2'");
    ck_syntax("a b", "b", "expected an operator or the end of the equation, found 'b'");
    ck_syntax("(1) (2)", "(2)", "expected an operator or the end of the equation, found '('");
    ck_syntax("min(1 2)", "2)", "expected ',' or ')' in the argument list, found '2'");
    ck_syntax("max(1, 2", END_OF_EQ,
              "expected ',' or ')' in the argument list, found the end of the equation");
    ck_syntax("f(1,)", ")", "expected a number, a name or '(', found ')'");
    ck_syntax("f(,1)", ",", "expected a number, a name or '(', found ','");
    ck_syntax(")", ")", "expected a number, a name or '(', found ')'");
    ck_syntax("a(", END_OF_EQ,
              "expected a number, a name or '(', found the end of the equation");
    ck_syntax("2 ^ ^ 3", "^ 3", "expected a number, a name or '(', found '^'");
    ck_syntax("not", END_OF_EQ,
              "expected a number, a name or '(', found the end of the equation");
    ck_syntax("1 < > 2", "> 2", "expected a number, a name or '(', found '>'");
    ck_syntax("-not 1", "not", "expected a number, a name or '(', found 'not'");
    ck_syntax("1 $ 2", "$", "unexpected character '$'");
    ck_syntax("a & b", "&", "unexpected character '&'");
    /* a character outside ASCII is quoted whole, never half of its UTF-8 bytes */
    ck_syntax("1 + \xc3\xa9", "\xc3\xa9", "unexpected character '\xc3\xa9'");
    ck_syntax("1 \xe2\x80\x94 2", "\xe2\x80\x94", "unexpected character '\xe2\x80\x94'");
    ck_syntax("3x + 1", "3x", "malformed number '3x'");
    ck_syntax("1 + 1.2.3", "1.2.3", "malformed number '1.2.3'");
    ck_syntax("2 * 1e", "1e", "malformed number '1e'");
    ck_syntax("2 * 1e999", "1e999", "number out of range '1e999'");
    ck_syntax("", END_OF_EQ, "empty equation");
    ck_syntax("   ", " ", "empty equation");
}
END_TEST

START_TEST(syntax_error_on_a_later_line_of_the_equation)
{
    /* a raw newline inside the quotes: the error is on the file's next line */
    char *text = syntax_model("1 +\n   * 2");
    int line, col;
    text_pos(text, "* 2", &line, &col);
    ck_assert_int_eq(line, 6);
    ck_assert_int_eq(col, 4);
    ck_model_error(text, "* 2", "expected a number, a name or '(', found '*'");
    free(text);
}
END_TEST

START_TEST(syntax_error_positions_in_every_kind_of_equation)
{
    /* the equation on the line after its key, a stock's initial value, a
       flow, two entries on one line */
    static const char text[] =
        "stocks = ( { name = \"s\"; init = \"1 +* 2\"; } );\n"
        "flows = ( { name = \"f\"; equation = \"s\"; to = \"s\"; } );\n";
    ck_model_error(text, "* 2", "expected a number, a name or '(', found '*'");
    static const char text2[] =
        "stocks = ( { name = \"s\"; init = 1; inflows = [\"f\"]; } );\n"
        "flows = ( { name = \"f\";\n"
        "    equation =\n"
        "      \"s / (2 ? 3)\"; } );\n";
    ck_model_error(text2, "? 3", "unexpected character '?'");
    static const char text3[] =
        "auxiliaries = ( { name = \"a\"; equation = \"1 + 2\"; }, { name = \"b\"; equation = "
        "\"1 + 2 +\"; } );\n";
    ck_model_error_after(text3, "\"b\"", "\"; } )", 
                         "expected a number, a name or '(', found the end of the equation");
    static const char text4[] = "auxiliaries = ( { name = \"a\";\tequation = \"1 +\t@\"; } );\n";
    ck_model_error(text4, "@", "unexpected character '@'"); /* a tab is one column */
}
END_TEST

/* ------------------------------------------------------------- limits */

static char *repeat(const char *unit, int n, const char *tail)
{
    const size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * (size_t)n + t + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + u * (size_t)i, unit, u);
    memcpy(s + u * (size_t)n, tail, t + 1);
    return s;
}

START_TEST(nesting_limit)
{
    /* 99 levels of parentheses parse; 150 do not. Each level costs the
       parser two levels of recursion (expression, unary) and the limit is
       200, so the error is at the 101st '(' */
    char *open = repeat("(", 99, "7");
    char *close = repeat(")", 99, "");
    char eq[400];
    snprintf(eq, sizeof eq, "%s%s", open, close);
    ck_assert(eval_eq(eq) == 7.0);
    free(open);
    free(close);

    open = repeat("(", 150, "1");
    close = repeat(")", 150, "");
    snprintf(eq, sizeof eq, "%s%s", open, close);
    char *needle = repeat("(", 50, "1"); /* first found 100 characters in */
    ck_syntax(eq, needle, "expression nested too deeply, found '('");
    free(needle);
    free(open);
    free(close);

    /* unary minus signs: the parser is 200 deep at the 200th '-' */
    char *minus = repeat("-", 300, "1");
    needle = repeat("-", 101, "1");
    ck_syntax(minus, needle, "expression nested too deeply, found '-'");
    free(minus);
    free(needle);
}
END_TEST

START_TEST(long_chains)
{
    /* a long sum is a deep (left-leaning) tree, walked recursively by the
       compiler: 9999 operators (a tree 10000 high) evaluate */
    char *sum = repeat("1+", 9999, "1");
    ck_assert(eval_eq(sum) == 10000.0);
    free(sum);
    /* names are not folded: the VM adds them one by one, left to right */
    sum = repeat("c+", 9999, "0");
    double want = 0.0;
    for (int i = 0; i < 9999; i++)
        want += 2.385;
    ck_assert(same_bits(eval_eq(sum), want));
    free(sum);
}
END_TEST

START_TEST(too_long_chain_is_an_error)
{
    /* one more operator, or a hundred thousand, is a clear error at the
       start of the expression, never a crash */
    const int n[] = {10000, 100000};
    for (int i = 0; i < 2; i++) {
        char *sum = repeat("c*", n[i], "1");
        ck_syntax(sum, "c*", "expression too long: over 10000 nested operations (split it into "
                             "auxiliaries)");
        free(sum);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parser");
    TCase *core = tcase_create("core");
    tcase_add_test(core, power_and_unary_minus);
    tcase_add_test(core, arithmetic_associativity);
    tcase_add_test(core, comparison_and_logic_precedence);
    tcase_add_test(core, comparison_operators);
    tcase_add_test(core, logic_words_any_case);
    tcase_add_test(core, numbers_in_equations);
    tcase_add_test(core, parse_tree_positions);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, syntax_errors);
    tcase_add_test(errors, syntax_error_on_a_later_line_of_the_equation);
    tcase_add_test(errors, syntax_error_positions_in_every_kind_of_equation);
    suite_add_tcase(s, errors);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, nesting_limit);
    tcase_add_test(limits, long_chains);
    tcase_add_test(limits, too_long_chain_is_an_error);
    tcase_set_timeout(limits, 60);
    suite_add_tcase(s, limits);
    return run_suite(s);
}
