/* The statement's LaTeX subset: a small tokenizer and recursive checker.
 *
 * A statement is typeset by the LaTeX report inside $\displaystyle ...$,
 * so it must be math-mode content that (1) cannot leave math mode or
 * reach TeX's file, definition and catcode machinery, and (2) compiles:
 * braces, \left/\right, \begin/\end and \sqrt[...] balance, every ^ _
 * and macro has its argument, no double superscripts, & and \\ only
 * directly inside cases or a matrix.  Only whitelisted control words
 * pass; everything not listed is refused, so the list is the subset. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "catalog_latex.h"
#include "tc_status.h"

enum { GO = 0, DONE = 1, ERR = -1 };
#define MAX_DEPTH 32

/* What a control word does with what follows it. */
typedef enum {
  CS_NONE, CS_SYMBOL, CS_ARG1, CS_ARG2, CS_TEXT, CS_SQRT, CS_LEFT, CS_RIGHT, CS_MIDDLE, CS_BIG,
  CS_BEGIN, CS_END
} cs_class;

/* Symbols, operators, relations, functions, spacing: no argument. */
static const char symbols[] =
    " alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa"
    " lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega"
    " Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
    " le ge leq geq leqslant geqslant ne neq approx sim simeq cong equiv propto ll gg prec succ"
    " preceq succeq subset subseteq supset supseteq in notin ni mid nmid parallel perp to"
    " mapsto rightarrow leftarrow Rightarrow Leftarrow Leftrightarrow leftrightarrow"
    " longrightarrow Longrightarrow iff implies gets asymp lesssim gtrsim vdash models"
    " pm mp times div cdot circ star ast bullet cap cup setminus wedge vee oplus otimes odot"
    " ominus land lor neg lnot infty partial nabla forall exists nexists emptyset varnothing"
    " top bot prime ell hbar Re Im aleph angle triangle cdots ldots dots vdots ddots colon not"
    " dagger langle rangle lvert rvert lVert rVert lfloor rfloor lceil rceil vert Vert"
    " uparrow downarrow log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh"
    " tanh coth min max sup inf lim limsup liminf det dim ker arg deg gcd hom Pr"
    " sum prod coprod int iint iiint oint bigcup bigcap bigoplus bigotimes bigvee bigwedge"
    " quad qquad displaystyle textstyle scriptstyle ";
/* Accents and math fonts: one argument, read as mathematics. */
static const char arg1[] =
    " hat bar tilde widehat widetilde dot ddot vec check breve overline underline mathbf"
    " mathbb mathcal mathrm mathsf mathit mathtt mathfrak boldsymbol operatorname ";
static const char arg2[] = " frac dfrac tfrac binom overset underset stackrel ";
static const char text_words[] = " text textrm textit textbf ";
static const char big_words[] =
    " big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr ";
/* Delimiters after \left \right \middle \big...: these words, the chars
 * below and \{ \} \|. */
static const char delim_words[] =
    " langle rangle lvert rvert lVert rVert lfloor rfloor lceil rceil vert Vert uparrow"
    " downarrow ";
static const char delim_chars[] = "()[]|./";
/* Characters that stand for themselves in math mode. */
static const char math_chars[] = "+-*/=<>()[]|,.;:!?@";
/* Control symbols: \{ \} \| spacing, and escaped specials. */
static const char control_symbols[] = "{}|,;:! %#&$_";
/* Inside \text{...}: plain text only. */
static const char text_chars[] = " \t.,;:!?'()[]-+=/*@";

/* Environments: name and the '&' a row may hold. */
static const struct {
  const char *name;
  int tabs;
} envs[] = {{"cases", 1}, {"matrix", 9}, {"pmatrix", 9}, {"bmatrix", 9},
            {"Bmatrix", 9}, {"vmatrix", 9}, {"Vmatrix", 9}};

typedef enum { F_TOP, F_BRACE, F_OPT, F_LEFT, F_ENV } frame_kind;

/* An open group.  in_opt: inside \sqrt[...] with no brace in between,
 * where TeX ends the argument at the first ']' whatever else is open. */
typedef struct {
  frame_kind kind;
  int in_opt;
  size_t open_at;
  int env;  /* F_ENV: index in envs */
  int tabs; /* F_ENV: '&' in the current row */
} frame;

typedef struct {
  const char *s;
  size_t i;
  int depth;
  char *msg;
  size_t msglen;
} lexer;

/* Which scripts the current atom already has.  A prime is a superscript
 * that merges only with a '^' right after it (f'^2, not f'_1^2). */
typedef struct {
  int sup, sub, prime, prime_last;
} scripts;

static int bad(lexer *x, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(lexer *x, size_t at, const char *fmt, ...)
{
  if (x->msg == NULL || x->msglen == 0)
    return ERR;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(x->msg, x->msglen, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n < x->msglen)
    snprintf(x->msg + n, x->msglen - (size_t)n, " (character %zu)", at + 1);
  return ERR;
}

static int is_letter(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static int in_chars(const char *set, char c)
{
  return c != '\0' && strchr(set, c) != NULL;
}

/* Is name[0..len) a word of the space-separated list? */
static int in_words(const char *list, const char *name, size_t len)
{
  for (const char *p = strstr(list, " "); p && p[1]; p = strchr(p + 1, ' '))
    if (strncmp(p + 1, name, len) == 0 && p[1 + len] == ' ')
      return 1;
  return 0;
}

static cs_class classify(const char *name, size_t len)
{
  if (len == 4 && strncmp(name, "sqrt", 4) == 0) return CS_SQRT;
  if (len == 4 && strncmp(name, "left", 4) == 0) return CS_LEFT;
  if (len == 5 && strncmp(name, "right", 5) == 0) return CS_RIGHT;
  if (len == 6 && strncmp(name, "middle", 6) == 0) return CS_MIDDLE;
  if (len == 5 && strncmp(name, "begin", 5) == 0) return CS_BEGIN;
  if (len == 3 && strncmp(name, "end", 3) == 0) return CS_END;
  if (in_words(symbols, name, len)) return CS_SYMBOL;
  if (in_words(arg1, name, len)) return CS_ARG1;
  if (in_words(arg2, name, len)) return CS_ARG2;
  if (in_words(text_words, name, len)) return CS_TEXT;
  if (in_words(big_words, name, len)) return CS_BIG;
  return CS_NONE;
}

/* Length of the control word's name after the backslash at s[-1]. */
static size_t word_len(const char *s)
{
  size_t n = 0;
  while (is_letter(s[n]))
    n++;
  return n;
}

static void skip_spaces(lexer *x)
{
  while (x->s[x->i] == ' ' || x->s[x->i] == '\t')
    x->i++;
}

/* Code point of the UTF-8 sequence at s (the catalog has checked it is
 * UTF-8; a stray byte is named as itself). */
static unsigned long code_point(const unsigned char *s)
{
  int n = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : 0;
  unsigned long v = n ? s[0] & (0x3Fu >> n) : s[0];
  for (int k = 1; k <= n && (s[k] & 0xC0) == 0x80; k++)
    v = (v << 6) | (s[k] & 0x3Fu);
  return v;
}

/* Why the character at x->i is refused (where is "" or " inside \text"). */
static int char_error(lexer *x, const char *where)
{
  size_t at = x->i;
  unsigned char c = (unsigned char)x->s[at];
  if (c >= 0x80)
    return bad(x, at, "non-ASCII character U+%04lX is not allowed%s (write it as a LaTeX command, "
               "e.g. \\mu)", code_point((const unsigned char *)x->s + at), where);
  if (c < 0x20 || c == 0x7f)
    return bad(x, at, "control character U+%04X is not allowed%s", c, where);
  if (*where)
    return bad(x, at, "'%c' is not allowed%s", c, where);
  if (c == '$')
    return bad(x, at, "'$' is not allowed%s (the statement is already mathematics)", where);
  if (c == '%')
    return bad(x, at, "'%%' is not allowed%s (it starts a TeX comment)", where);
  if (c == '#')
    return bad(x, at, "'#' is not allowed%s (a macro parameter)", where);
  return bad(x, at, "'%c' is not allowed%s", c, where);
}

static const char *frame_name(const frame *f)
{
  switch (f->kind) {
  case F_BRACE: return "'{'";
  case F_OPT: return "'\\sqrt['";
  case F_LEFT: return "\\left";
  default: return "\\begin";
  }
}

static int parse_list(lexer *x, frame *f);

/* Check a nested group of the given kind, opened at `at`. */
static int group(lexer *x, const frame *parent, frame_kind kind, size_t at, int env)
{
  frame child = {kind, kind == F_OPT ? 1 : kind == F_BRACE ? 0 : parent->in_opt, at, env, 0};
  return parse_list(x, &child) == ERR ? ERR : GO;
}

/* A control symbol or word usable where one token is expected (a script
 * or an unbraced macro argument): no argument of its own. */
static int simple_control(lexer *x, const char *what, size_t what_at)
{
  size_t at = x->i++;
  size_t len = word_len(x->s + x->i);
  if (len == 0) {
    char c = x->s[x->i];
    if (c != ' ' && in_chars(control_symbols, c)) {
      x->i++;
      return GO;
    }
    return bad(x, at, "%s needs an argument; '\\%c' cannot be one", what, c ? c : ' ');
  }
  cs_class cls = classify(x->s + x->i, len);
  x->i += len;
  if (cls == CS_SYMBOL)
    return GO;
  if (cls == CS_NONE)
    return bad(x, at, "\\%.*s is not allowed in a statement (not in the LaTeX subset of "
               "docs/CATALOG.md)", (int)(len > 40 ? 40 : len), x->s + at + 1);
  return bad(x, what_at, "%s needs braces around its argument \\%.*s{...}", what,
             (int)(len > 40 ? 40 : len), x->s + at + 1);
}

/* One argument: a {group}, a character or an argument-less control word. */
static int parse_arg(lexer *x, const frame *f, const char *what, size_t what_at)
{
  skip_spaces(x);
  size_t at = x->i;
  char c = x->s[at];
  if (c == '{') {
    x->i++;
    return group(x, f, F_BRACE, at, 0);
  }
  if (c == '\\')
    return simple_control(x, what, what_at);
  if (c == '\0' || in_chars("}^_&'~", c) || (c == ']' && f->in_opt))
    return bad(x, what_at, "%s is missing an argument", what);
  if (!is_letter(c) && !is_digit(c) && !in_chars(math_chars, c))
    return char_error(x, "");
  x->i++;
  return GO;
}

/* \text{...}: plain text, no commands, no nested braces. */
static int parse_text(lexer *x, size_t cs_at, size_t len)
{
  skip_spaces(x);
  if (x->s[x->i] != '{')
    return bad(x, cs_at, "\\%.*s needs its text in braces", (int)len, x->s + cs_at + 1);
  for (x->i++; x->s[x->i] != '}'; x->i++) {
    char c = x->s[x->i];
    if (c == '\0')
      return bad(x, cs_at, "\\%.*s{ is never closed", (int)len, x->s + cs_at + 1);
    if (!is_letter(c) && !is_digit(c) && !in_chars(text_chars, c))
      return char_error(x, " inside \\text{...} (plain text only)");
  }
  x->i++;
  return GO;
}

/* The delimiter after \left, \right, \middle or \big. */
static int parse_delim(lexer *x, const frame *f, size_t cs_at, size_t len)
{
  skip_spaces(x);
  char c = x->s[x->i];
  if (in_chars(delim_chars, c) && !(c == ']' && f->in_opt)) {
    x->i++;
    return GO;
  }
  if (c == '\\') {
    size_t n = word_len(x->s + x->i + 1);
    char sym = x->s[x->i + 1];
    if ((n == 0 && in_chars("{}|", sym)) || (n > 0 && in_words(delim_words, x->s + x->i + 1, n))) {
      x->i += 1 + (n ? n : 1);
      return GO;
    }
  }
  return bad(x, cs_at, "\\%.*s needs a delimiter after it, such as ( [ | . \\{ or \\langle",
             (int)len, x->s + cs_at + 1);
}

/* {name} after \begin or \end: its index in envs. */
static int env_name(lexer *x, size_t cs_at, int *env)
{
  skip_spaces(x);
  if (x->s[x->i] != '{')
    return bad(x, cs_at, "\\begin and \\end need an environment name in braces");
  size_t n = word_len(x->s + x->i + 1);
  const char *name = x->s + x->i + 1;
  if (name[n] != '}')
    return bad(x, cs_at, "malformed environment name after \\begin or \\end");
  for (size_t k = 0; k < sizeof envs / sizeof envs[0]; k++)
    if (strlen(envs[k].name) == n && strncmp(envs[k].name, name, n) == 0) {
      *env = (int)k;
      x->i += n + 2;
      return GO;
    }
  return bad(x, cs_at, "environment {%.*s} is not allowed (only cases, matrix, pmatrix, bmatrix, "
             "Bmatrix, vmatrix, Vmatrix)", (int)(n > 40 ? 40 : n), name);
}

static int begin_env(lexer *x, frame *f, size_t at)
{
  int env;
  if (f->in_opt)
    return bad(x, at, "\\begin is not allowed inside \\sqrt[...] (put the argument in braces)");
  if (env_name(x, at, &env) == ERR)
    return ERR;
  return group(x, f, F_ENV, at, env);
}

static int end_env(lexer *x, frame *f, size_t at)
{
  int env;
  if (f->kind != F_ENV)
    return f->kind == F_TOP ? bad(x, at, "\\end without a matching \\begin")
                            : bad(x, f->open_at, "%s is not closed before the \\end at character %zu",
                                  frame_name(f), at + 1);
  if (env_name(x, at, &env) == ERR)
    return ERR;
  if (env != f->env)
    return bad(x, at, "\\end{%s} closes \\begin{%s}", envs[env].name, envs[f->env].name);
  return DONE;
}

static int left_right(lexer *x, frame *f, cs_class cls, size_t at, size_t len)
{
  if (cls == CS_LEFT && f->in_opt)
    return bad(x, at, "\\left is not allowed inside \\sqrt[...] (put the argument in braces)");
  if (cls != CS_LEFT && f->kind != F_LEFT)
    return bad(x, at, "\\%.*s without a matching \\left in the same group", (int)len, x->s + at + 1);
  if (parse_delim(x, f, at, len) == ERR)
    return ERR;
  if (cls == CS_LEFT)
    return group(x, f, F_LEFT, at, 0);
  return cls == CS_RIGHT ? DONE : GO;
}

static int sqrt_args(lexer *x, frame *f, size_t at)
{
  skip_spaces(x);
  if (x->s[x->i] == '[') {
    if (f->in_opt)
      return bad(x, at, "\\sqrt[...] inside \\sqrt[...] needs braces around the inner one");
    if (group(x, f, F_OPT, x->i++, 0) == ERR)
      return ERR;
  }
  return parse_arg(x, f, "\\sqrt", at);
}

/* A control word at x->i (after the backslash), started at `at`. */
static int control_word(lexer *x, frame *f, scripts *sc, size_t at)
{
  size_t len = word_len(x->s + x->i);
  cs_class cls = classify(x->s + x->i, len);
  char what[48];
  snprintf(what, sizeof what, "\\%.*s", (int)(len > 40 ? 40 : len), x->s + x->i);
  x->i += len;
  *sc = (scripts){0, 0, 0, 0};
  switch (cls) {
  case CS_SYMBOL: return GO;
  case CS_ARG1: return parse_arg(x, f, what, at);
  case CS_ARG2: return parse_arg(x, f, what, at) == ERR ? ERR : parse_arg(x, f, what, at);
  case CS_TEXT: return parse_text(x, at, len);
  case CS_SQRT: return sqrt_args(x, f, at);
  case CS_LEFT: case CS_RIGHT: case CS_MIDDLE: return left_right(x, f, cls, at, len);
  case CS_BIG: return parse_delim(x, f, at, len);
  case CS_BEGIN: return begin_env(x, f, at);
  case CS_END: return end_env(x, f, at);
  default:
    return bad(x, at, "%s is not allowed in a statement (not in the LaTeX subset of docs/CATALOG.md)",
               what);
  }
}

/* '&' and '\\': only directly inside cases or a matrix. */
static int alignment(lexer *x, frame *f, size_t at, int newline)
{
  const char *tok = newline ? "'\\\\'" : "'&'";
  if (f->kind != F_ENV)
    return bad(x, at, "%s is only allowed directly inside \\begin{cases} or a matrix", tok);
  if (!newline && ++f->tabs > envs[f->env].tabs)
    return bad(x, at, "too many '&' in one row of {%s}", envs[f->env].name);
  if (newline) {
    f->tabs = 0;
    skip_spaces(x);
    if (x->s[x->i] == '[' || x->s[x->i] == '*')
      return bad(x, at, "'\\\\' followed by '%c' would read an option; put {} between", x->s[x->i]);
  }
  return GO;
}

/* A backslash at x->i. */
static int control(lexer *x, frame *f, scripts *sc)
{
  size_t at = x->i++;
  char c = x->s[x->i];
  if (is_letter(c))
    return control_word(x, f, sc, at);
  if (c == '\0')
    return bad(x, at, "a lone '\\' ends the statement");
  x->i++;
  *sc = (scripts){0, 0, 0, 0};
  if (c == '\\')
    return alignment(x, f, at, 1);
  if (in_chars(control_symbols, c))
    return GO;
  if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) {
    x->i--;
    return char_error(x, " after '\\'");
  }
  return bad(x, at, "\\%c is not allowed in a statement (not in the LaTeX subset of docs/CATALOG.md)", c);
}

/* ^ or _ at x->i. */
static int script(lexer *x, frame *f, scripts *sc)
{
  size_t at = x->i++;
  char c = x->s[at];
  if (c == '^' && x->s[x->i] == '^')
    return bad(x, at, "'^^' is not allowed (TeX reads it as a character code)");
  int *used = c == '^' ? &sc->sup : &sc->sub;
  if (*used || (c == '^' && sc->prime && !sc->prime_last))
    return bad(x, at, "double %s: put braces around the first", c == '^' ? "superscript" : "subscript");
  *used = 1;
  sc->prime_last = 0;
  return parse_arg(x, f, c == '^' ? "'^'" : "'_'", at);
}

static int end_of_text(lexer *x, const frame *f)
{
  if (f->kind == F_TOP)
    return DONE;
  if (f->kind == F_ENV)
    return bad(x, f->open_at, "\\begin{%s} is never closed by \\end{%s}", envs[f->env].name,
               envs[f->env].name);
  if (f->kind == F_LEFT)
    return bad(x, f->open_at, "\\left has no matching \\right");
  return bad(x, f->open_at, "%s is never closed", frame_name(f));
}

static int close_brace(lexer *x, const frame *f)
{
  size_t at = x->i++;
  if (f->kind == F_BRACE)
    return DONE;
  if (f->kind == F_TOP)
    return bad(x, at, "unbalanced '}'");
  return bad(x, f->open_at, "%s is not closed before the '}' at character %zu", frame_name(f), at + 1);
}

/* One token at x->i. */
static int step(lexer *x, frame *f, scripts *sc)
{
  size_t at = x->i;
  char c = x->s[at];
  switch (c) {
  case '\0': return end_of_text(x, f);
  case ' ': case '\t': x->i++; sc->prime_last = 0; return GO;
  case '\\': return control(x, f, sc);
  case '{': x->i++; *sc = (scripts){0, 0, 0, 0}; return group(x, f, F_BRACE, at, 0);
  case '}': return close_brace(x, f);
  case '^': case '_': return script(x, f, sc);
  case '&': x->i++; *sc = (scripts){0, 0, 0, 0}; return alignment(x, f, at, 0);
  case '~': x->i++; *sc = (scripts){0, 0, 0, 0}; return GO;
  case '\'':
    if (sc->sup)
      return bad(x, at, "double superscript: a prime after a superscript");
    x->i++;
    sc->prime = sc->prime_last = 1;
    return GO;
  default: break;
  }
  if (c == ']' && f->in_opt) {
    x->i++;
    return DONE;
  }
  if (!is_letter(c) && !is_digit(c) && !in_chars(math_chars, c))
    return char_error(x, "");
  x->i++;
  *sc = (scripts){0, 0, 0, 0};
  return GO;
}

static int parse_list(lexer *x, frame *f)
{
  if (x->depth >= MAX_DEPTH)
    return bad(x, f->open_at, "groups nested more than %d deep", MAX_DEPTH);
  x->depth++;
  scripts sc = {0, 0, 0, 0};
  int st;
  while ((st = step(x, f, &sc)) == GO)
    ;
  x->depth--;
  return st;
}

int tc_latex_check(const char *text, char *msg, size_t msglen)
{
  lexer x = {text ? text : "", 0, 0, msg, msglen};
  if (msg && msglen)
    msg[0] = '\0';
  size_t len = strlen(x.s);
  if (len > TC_LATEX_MAX_STATEMENT) {
    bad(&x, TC_LATEX_MAX_STATEMENT, "longer than %d characters", TC_LATEX_MAX_STATEMENT);
    return TC_ESYNTAX;
  }
  frame top = {F_TOP, 0, 0, 0, 0};
  return parse_list(&x, &top) == DONE ? TC_SUCCESS : TC_ESYNTAX;
}

int tc_catalog_check_statement(const char *text, const char *file, int line, char *err,
                               size_t errlen)
{
  char msg[240];
  if (tc_latex_check(text, msg, sizeof msg) == TC_SUCCESS)
    return TC_SUCCESS;
  if (err && errlen)
    snprintf(err, errlen, "%s:%d: statement: %s", file, line, msg);
  return TC_ESYNTAX;
}
