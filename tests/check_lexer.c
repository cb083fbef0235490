/*
** check_lexer.c - the equation lexer (src/lexer.c): token types, values,
** positions; malformed numbers and stray characters.
*/
#include "testutil.h"

#include "lexer.h"

#include <math.h>
#include <string.h>

/* Lex text starting at 1:1 into at most n tokens (stops after EOF/ERROR). */
static int lex_all(const char *text, token *out, int n, lexer *lx)
{
    lex_init(lx, text, 1, 1);
    int k = 0;
    while (k < n) {
        out[k] = lex_next(lx);
        if (out[k].type == TK_EOF || out[k].type == TK_ERROR)
            return k + 1;
        k++;
    }
    return k;
}

static void ck_tok(const token *t, tok_type type, const char *text, int line, int col)
{
    ck_assert_msg(t->type == type, "token '%.*s': type %s, expected %s", (int)t->len, t->start,
                  lex_type_name(t->type), lex_type_name(type));
    ck_assert_int_eq((int)t->len, (int)strlen(text));
    ck_assert(strncmp(t->start, text, t->len) == 0);
    ck_assert_int_eq(t->line, line);
    ck_assert_int_eq(t->col, col);
}

START_TEST(tokens_and_positions)
{
    token t[32];
    lexer lx;
    /*                 123456789012345678901234 */
    const int n = lex_all("a1 + .5*b.c_d^(x, 2)", t, 32, &lx);
    ck_assert_int_eq(n, 12);
    ck_tok(&t[0], TK_NAME, "a1", 1, 1);
    ck_tok(&t[1], TK_PLUS, "+", 1, 4);
    ck_tok(&t[2], TK_NUM, ".5", 1, 6);
    ck_tok(&t[3], TK_STAR, "*", 1, 8);
    ck_tok(&t[4], TK_NAME, "b.c_d", 1, 9);
    ck_tok(&t[5], TK_CARET, "^", 1, 14);
    ck_tok(&t[6], TK_LPAREN, "(", 1, 15);
    ck_tok(&t[7], TK_NAME, "x", 1, 16);
    ck_tok(&t[8], TK_COMMA, ",", 1, 17);
    ck_tok(&t[9], TK_NUM, "2", 1, 19);
    ck_tok(&t[10], TK_RPAREN, ")", 1, 20);
    ck_tok(&t[11], TK_EOF, "", 1, 21);
}
END_TEST

START_TEST(positions_start_where_the_equation_starts)
{
    /* an equation whose first character is at line 7, column 20 of its
       file; a newline inside it starts line 8 at column 1 */
    lexer lx;
    lex_init(&lx, "a -\n   bb", 7, 20);
    token t = lex_next(&lx);
    ck_tok(&t, TK_NAME, "a", 7, 20);
    t = lex_next(&lx);
    ck_tok(&t, TK_MINUS, "-", 7, 22);
    t = lex_next(&lx);
    ck_tok(&t, TK_NAME, "bb", 8, 4);
    t = lex_next(&lx);
    ck_assert_int_eq(t.type, TK_EOF);
    ck_assert_int_eq(t.line, 8);
    ck_assert_int_eq(t.col, 6);
}
END_TEST

START_TEST(operators)
{
    token t[32];
    lexer lx;
    const int n = lex_all("= == <> != < <= > >= && || ! ^ - /", t, 32, &lx);
    const tok_type want[] = {TK_EQ, TK_EQ, TK_NE, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
                             TK_AND, TK_OR, TK_NOT, TK_CARET, TK_MINUS, TK_SLASH, TK_EOF};
    ck_assert_int_eq(n, 15);
    for (int i = 0; i < n; i++)
        ck_assert_msg(t[i].type == want[i], "token %d is %s", i, lex_type_name(t[i].type));
    ck_assert_int_eq((int)t[1].len, 2); /* "==" is one token */
    ck_assert_int_eq(t[2].col, 6);
}
END_TEST

START_TEST(word_operators_any_case)
{
    token t[32];
    lexer lx;
    const int n = lex_all("and AND And or OR oR not NOT nOt android order nothing", t, 32, &lx);
    const tok_type want[] = {TK_AND, TK_AND, TK_AND, TK_OR, TK_OR, TK_OR, TK_NOT, TK_NOT,
                             TK_NOT, TK_NAME, TK_NAME, TK_NAME, TK_EOF};
    ck_assert_int_eq(n, 13);
    for (int i = 0; i < n; i++)
        ck_assert_msg(t[i].type == want[i], "token %d is %s", i, lex_type_name(t[i].type));
}
END_TEST

/* value of a text that must lex as exactly one number */
static double one_number(const char *text)
{
    lexer lx;
    lex_init(&lx, text, 1, 1);
    const token t = lex_next(&lx);
    ck_assert_msg(t.type == TK_NUM, "'%s' is not a number: %s", text,
                  lx.errmsg ? lx.errmsg : lex_type_name(t.type));
    ck_assert_int_eq((int)t.len, (int)strlen(text));
    ck_assert_int_eq(lex_next(&lx).type, TK_EOF);
    return t.num;
}

START_TEST(numbers)
{
    ck_assert(one_number("0") == 0.0);
    ck_assert(one_number("42") == 42.0);
    ck_assert(one_number(".5") == 0.5);
    ck_assert(one_number("5.") == 5.0);
    ck_assert(one_number("0.125") == 0.125);
    ck_assert(one_number("1e-3") == 0.001);
    ck_assert(one_number("1E3") == 1000.0);
    ck_assert(one_number("2.5e+2") == 250.0);
    ck_assert(one_number(".25E1") == 2.5);
    ck_assert(one_number("007") == 7.0);
    /* the literal is read by correct rounding, as C reads it */
    ck_assert(one_number("0.1") == 0.1);
    ck_assert(one_number("2.385") == 2.385);
    ck_assert(one_number("1.7976931348623157e308") == 1.7976931348623157e308);
    /* underflow to a subnormal or zero is not an error */
    ck_assert(one_number("1e-320") == 1e-320);
}
END_TEST

/* text must lex to an error token covering err_text, with message msg */
static void ck_bad(const char *text, const char *err_text, int col, const char *msg)
{
    token t[8];
    lexer lx;
    const int n = lex_all(text, t, 8, &lx);
    ck_assert_msg(t[n - 1].type == TK_ERROR, "'%s' lexed without error", text);
    ck_tok(&t[n - 1], TK_ERROR, err_text, 1, col);
    ck_assert_str_eq(lx.errmsg, msg);
}

START_TEST(malformed_numbers)
{
    ck_bad("1.2.3", "1.2.3", 1, "malformed number");
    ck_bad("x + 1.2.3 * 2", "1.2.3", 5, "malformed number");
    ck_bad("1e", "1e", 1, "malformed number");
    ck_bad("1e+", "1e+", 1, "malformed number");
    ck_bad("2.5e-x", "2.5e-x", 1, "malformed number");
    ck_bad("3x", "3x", 1, "malformed number");
    ck_bad("2 * 10years", "10years", 5, "malformed number");
    ck_bad("1..2", "1..2", 1, "malformed number");
    ck_bad(".5.", ".5.", 1, "malformed number");
}
END_TEST

START_TEST(unexpected_characters)
{
    ck_bad("a $ b", "$", 3, "unexpected character");
    ck_bad("a & b", "&", 3, "unexpected character");
    ck_bad("a | b", "|", 3, "unexpected character");
    ck_bad("a;", ";", 2, "unexpected character");
    ck_bad("\"a\"", "\"", 1, "unexpected character");
    ck_bad("[1]", "[", 1, "unexpected character");
}
END_TEST

START_TEST(number_out_of_range)
{
    /* a literal beyond the largest double is an error, not infinity */
    ck_bad("1e999", "1e999", 1, "number out of range");
    ck_bad("x + 2e308", "2e308", 5, "number out of range");
}
END_TEST

START_TEST(empty_and_blank)
{
    lexer lx;
    lex_init(&lx, "", 3, 4);
    token t = lex_next(&lx);
    ck_assert_int_eq(t.type, TK_EOF);
    ck_assert_int_eq(t.line, 3);
    ck_assert_int_eq(t.col, 4);
    lex_init(&lx, " \t\n  ", 3, 4);
    t = lex_next(&lx);
    ck_assert_int_eq(t.type, TK_EOF);
    ck_assert_int_eq(t.line, 4);
    ck_assert_int_eq(t.col, 3);
    /* EOF is sticky */
    ck_assert_int_eq(lex_next(&lx).type, TK_EOF);
}
END_TEST

START_TEST(very_long_number)
{
    char text[300];
    memset(text, '1', 200);
    text[200] = '\0';
    token t[4];
    lexer lx;
    lex_all(text, t, 4, &lx);
    ck_assert_int_eq(t[0].type, TK_ERROR);
    ck_assert_int_eq((int)t[0].len, 200);
    ck_assert_str_eq(lx.errmsg, "number too long");
}
END_TEST

START_TEST(long_names)
{
    char text[2100];
    memset(text, 'a', 2000);
    strcpy(text + 2000, "+b");
    token t[4];
    lexer lx;
    const int n = lex_all(text, t, 4, &lx);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(t[0].type, TK_NAME);
    ck_assert_int_eq((int)t[0].len, 2000);
    ck_assert_int_eq(t[2].col, 2002);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lexer");
    TCase *core = tcase_create("core");
    tcase_add_test(core, tokens_and_positions);
    tcase_add_test(core, positions_start_where_the_equation_starts);
    tcase_add_test(core, operators);
    tcase_add_test(core, word_operators_any_case);
    tcase_add_test(core, numbers);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, malformed_numbers);
    tcase_add_test(errors, unexpected_characters);
    tcase_add_test(errors, number_out_of_range);
    suite_add_tcase(s, errors);
    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, empty_and_blank);
    tcase_add_test(limits, very_long_number);
    tcase_add_test(limits, long_names);
    suite_add_tcase(s, limits);
    return run_suite(s);
}
