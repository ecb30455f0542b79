//! The expression language of KPI formulas and rules (CONTRACT §2): parsing with positions,
//! an AST that prints back to a re-parsable formula, and evaluation against a [`Scope`].
//!
//! Evaluation never looks at a dataset directly: a `Scope` answers "the value of this key, so
//! many years back". The KPI table asks one municipality's cells, the peer comparison asks the
//! sums over a peer group (the pooled value), and both get the same semantics from one evaluator.

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message};
use crate::value::{Reason, Value};

/// Where a formula's keys get their values: one municipality and year, or a sum over a group.
pub trait Scope {
    /// The value of a measure key, `years_back` years before the scope's year (0 = this year;
    /// `prev(x)` asks 1, `prev(prev(x))` asks 2). Missing with the plain reason (the evaluator
    /// adds the key); [`Reason::NoPreviousYear`] when that year is not in the data.
    fn value(&self, key: &str, years_back: u32) -> Value;
}

/// The most characters a formula may have. A catalogue comes from outside; a formula longer than
/// a page is a mistake or an attack, and every later step (editor, evaluation for every
/// municipality and year) pays for its length.
pub const MAX_FORMULA_LENGTH: usize = 10_000;

/// The deepest nesting of parentheses, functions, signs and `not` a formula may have. Evaluating
/// and printing recurse once per level, and the browser's stack is small (1 MB in wasm).
pub const MAX_NESTING: usize = 200;

/// Which grammar a formula is parsed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grammar {
    /// A KPI formula: arithmetic only.
    Kpi,
    /// A rule: arithmetic plus comparisons, `and`, `or`, `not`.
    Rule,
}

/// A function of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `prev(x)`: x of the same municipality in the year before.
    Prev,
    /// `sum(a, b, …)`.
    Sum,
    /// `abs(x)`.
    Abs,
    /// `min(a, b, …)`.
    Min,
    /// `max(a, b, …)`.
    Max,
}

impl Function {
    const ALL: [Function; 5] = [
        Function::Prev,
        Function::Sum,
        Function::Abs,
        Function::Min,
        Function::Max,
    ];

    /// The name as written in formulas.
    pub fn name(self) -> &'static str {
        match self {
            Function::Prev => "prev",
            Function::Sum => "sum",
            Function::Abs => "abs",
            Function::Min => "min",
            Function::Max => "max",
        }
    }

    fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Allowed argument counts: (least, most).
    fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::Prev | Function::Abs => (1, Some(1)),
            Function::Sum => (1, None),
            Function::Min | Function::Max => (2, None),
        }
    }
}

/// A binary operator, from loosest to tightest binding: `or`, `and`, comparisons, `+ -`, `* /`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Or,
    And,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Eq
            | BinaryOp::Ne => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }
}

const PREC_NOT: u8 = 3;
const PREC_NEG: u8 = 7;
const PREC_ATOM: u8 = 8;

/// A parsed expression. Columns are 1-based character positions in the text it was parsed from
/// (kept so that a later check, like an unknown key, can point where the user typed).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number literal.
    Number(f64),
    /// A measure key or KPI id.
    Key {
        /// The key.
        name: String,
        /// Where it starts.
        column: usize,
    },
    /// Unary minus.
    Neg(Box<Expr>),
    /// Logical `not` (rules only).
    Not(Box<Expr>),
    /// A binary operation.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// A function call.
    Call {
        /// The function.
        function: Function,
        /// Its arguments.
        args: Vec<Expr>,
        /// Where its name starts.
        column: usize,
    },
}

impl Expr {
    fn precedence(&self) -> u8 {
        match self {
            Expr::Number(x) if *x < 0.0 || (*x == 0.0 && x.is_sign_negative()) => PREC_NEG,
            Expr::Number(_) | Expr::Key { .. } | Expr::Call { .. } => PREC_ATOM,
            Expr::Neg(_) => PREC_NEG,
            Expr::Not(_) => PREC_NOT,
            Expr::Binary(op, _, _) => op.precedence(),
        }
    }

    /// Every node in order of appearance with its level: how many recursive steps evaluating it
    /// takes (signs, `not`, function arguments and right operands; the left operands of a chain
    /// like `a + b + … + z` are walked in a loop and add none). Walked with a stack, so any tree
    /// can be inspected.
    fn nodes(&self) -> Vec<(&Expr, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![(self, 0)];
        while let Some((e, level)) = stack.pop() {
            out.push((e, level));
            match e {
                Expr::Number(_) | Expr::Key { .. } => {}
                Expr::Neg(inner) | Expr::Not(inner) => stack.push((inner, level + 1)),
                Expr::Binary(_, a, b) => {
                    stack.push((b, level + 1));
                    stack.push((a, level));
                }
                Expr::Call { args, .. } => stack.extend(args.iter().rev().map(|a| (a, level + 1))),
            }
        }
        out
    }

    /// Move the children out, leaving leaves behind (for the iterative drop).
    fn take_children(&mut self, into: &mut Vec<Expr>) {
        let leaf = || Expr::Number(0.0);
        match self {
            Expr::Number(_) | Expr::Key { .. } => {}
            Expr::Neg(e) | Expr::Not(e) => into.push(std::mem::replace(&mut **e, leaf())),
            Expr::Binary(_, a, b) => {
                into.push(std::mem::replace(&mut **a, leaf()));
                into.push(std::mem::replace(&mut **b, leaf()));
            }
            Expr::Call { args, .. } => into.append(args),
        }
    }

    fn eval(&self, keys: &mut dyn Keys, years_back: u32) -> std::result::Result<f64, Reason> {
        match self {
            Expr::Number(x) => Ok(*x),
            Expr::Key { name, .. } => keys.value(name, years_back),
            Expr::Neg(e) => Ok(-e.eval(keys, years_back)?),
            Expr::Not(e) => Ok(truth(e.eval(keys, years_back)? == 0.0)),
            Expr::Binary(..) => {
                // The left spine in a loop: a sum of thousands of terms is a chain that deep.
                let mut links = Vec::new();
                let mut left = self;
                while let Expr::Binary(op, a, b) = left {
                    links.push((*op, &**b));
                    left = a;
                }
                let mut value = left.eval(keys, years_back)?;
                for (op, right) in links.into_iter().rev() {
                    value = apply(op, value, right.eval(keys, years_back)?)?;
                }
                Ok(value)
            }
            Expr::Call { function, args, .. } => {
                let back = if *function == Function::Prev {
                    years_back + 1
                } else {
                    years_back
                };
                let values = args
                    .iter()
                    .map(|a| a.eval(keys, back))
                    .collect::<std::result::Result<Vec<f64>, Reason>>()?;
                // `prev` and `abs` have exactly one argument (the parser checks arities).
                Ok(match function {
                    Function::Prev | Function::Sum => values.iter().sum(),
                    Function::Abs => values.iter().sum::<f64>().abs(),
                    Function::Min => values.into_iter().fold(f64::INFINITY, f64::min),
                    Function::Max => values.into_iter().fold(f64::NEG_INFINITY, f64::max),
                })
            }
        }
    }
}

/// Dropping a deep tree by the compiler's recursion would overflow the stack; the nodes are
/// taken apart with a heap stack instead.
impl Drop for Expr {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        self.take_children(&mut stack);
        while let Some(mut e) = stack.pop() {
            e.take_children(&mut stack);
        }
    }
}

fn apply(op: BinaryOp, a: f64, b: f64) -> std::result::Result<f64, Reason> {
    Ok(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div if b == 0.0 => return Err(Reason::DivisionByZero),
        BinaryOp::Div => a / b,
        BinaryOp::Or => truth(a != 0.0 || b != 0.0),
        BinaryOp::And => truth(a != 0.0 && b != 0.0),
        BinaryOp::Eq => truth(nearly_equal(a, b)),
        BinaryOp::Ne => truth(!nearly_equal(a, b)),
        BinaryOp::Lt => truth(a < b && !nearly_equal(a, b)),
        BinaryOp::Le => truth(a < b || nearly_equal(a, b)),
        BinaryOp::Gt => truth(a > b && !nearly_equal(a, b)),
        BinaryOp::Ge => truth(a > b || nearly_equal(a, b)),
    })
}

/// What the keys of a formula stand for while it is evaluated: measures of a [`Scope`] or, in a
/// catalogue, other KPIs as well.
pub(crate) trait Keys {
    /// The value of `key`, `years_back` years before the scope's year, or why it is missing.
    fn value(&mut self, key: &str, years_back: u32) -> std::result::Result<f64, Reason>;
}

/// A measure of a scope, missing with the key named in the reason.
pub(crate) fn measure(
    scope: &dyn Scope,
    key: &str,
    years_back: u32,
) -> std::result::Result<f64, Reason> {
    match scope.value(key, years_back) {
        Value::Number(x) => Ok(x),
        // Already names its key.
        Value::Missing(r @ (Reason::Input(..) | Reason::Unbound(_))) => Err(r),
        Value::Missing(r) => Err(Reason::Input(key.to_string(), Box::new(r))),
    }
}

/// A formula on its own: every key is a measure.
struct Measures<'a>(&'a dyn Scope);

impl Keys for Measures<'_> {
    fn value(&mut self, key: &str, years_back: u32) -> std::result::Result<f64, Reason> {
        measure(self.0, key, years_back)
    }
}

fn truth(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Comparisons in rules allow for the rounding of sums of money (relative 1e-9): a total that
/// equals the sum of its parts must not fail `==` by the last bit.
fn nearly_equal(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// How a formula is written out: as a formula (`Display`) or in words ([`Formula::reading`]).
/// One printer serves both, so both put parentheses in the same places.
trait Style {
    fn number(&self, x: f64, out: &mut dyn fmt::Write) -> fmt::Result;
    fn key(&self, key: &str, out: &mut dyn fmt::Write) -> fmt::Result;
    fn symbol(&self, op: BinaryOp) -> &'static str;
    fn neg(&self) -> &'static str;
    fn not(&self) -> &'static str;
    fn function(&self, function: Function) -> &'static str;
    /// In words `prev(x)` reads "x im Vorjahr"; as a formula it is a call.
    fn prev_suffix(&self) -> Option<&'static str>;
}

struct AsFormula;

impl Style for AsFormula {
    fn number(&self, x: f64, out: &mut dyn fmt::Write) -> fmt::Result {
        write!(out, "{x}")
    }
    fn key(&self, key: &str, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(key)
    }
    fn symbol(&self, op: BinaryOp) -> &'static str {
        op.symbol()
    }
    fn neg(&self) -> &'static str {
        "-"
    }
    fn not(&self) -> &'static str {
        "not "
    }
    fn function(&self, function: Function) -> &'static str {
        function.name()
    }
    fn prev_suffix(&self) -> Option<&'static str> {
        None
    }
}

/// The least precedence the left operand of `op` may have without parentheses: comparisons do
/// not chain, so their left operand needs them at equal precedence too.
fn left_least(op: BinaryOp) -> u8 {
    let p = op.precedence();
    if p == 4 {
        p + 1
    } else {
        p
    }
}

/// Write `e`, in parentheses when its precedence is below `least`. A chain's left spine is
/// walked in a loop, so only parentheses, signs and calls recurse (bounded by [`MAX_NESTING`]).
fn print(e: &Expr, style: &dyn Style, least: u8, out: &mut dyn fmt::Write) -> fmt::Result {
    if e.precedence() < least {
        out.write_str("(")?;
        print(e, style, 0, out)?;
        return out.write_str(")");
    }
    match e {
        Expr::Number(x) => style.number(*x, out),
        Expr::Key { name, .. } => style.key(name, out),
        Expr::Neg(inner) => {
            out.write_str(style.neg())?;
            print(inner, style, PREC_NEG, out)
        }
        Expr::Not(inner) => {
            out.write_str(style.not())?;
            print(inner, style, PREC_NOT, out)
        }
        Expr::Binary(..) => {
            // Left-associative: the right operand needs parentheses at equal precedence too,
            // or `a - (b - c)` would print as `a - b - c`.
            let mut links = Vec::new();
            let mut left = e;
            let mut least = 0;
            while let Expr::Binary(op, a, b) = left {
                if left.precedence() < least {
                    break;
                }
                links.push((*op, &**b));
                least = left_least(*op);
                left = a;
            }
            print(left, style, least, out)?;
            for (op, right) in links.into_iter().rev() {
                write!(out, " {} ", style.symbol(op))?;
                print(right, style, op.precedence() + 1, out)?;
            }
            Ok(())
        }
        Expr::Call { function, args, .. } => match (function, style.prev_suffix()) {
            (Function::Prev, Some(suffix)) => {
                for a in args {
                    print(a, style, PREC_ATOM, out)?;
                }
                out.write_str(suffix)
            }
            _ => {
                write!(out, "{}(", style.function(*function))?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.write_str(", ")?;
                    }
                    print(a, style, 0, out)?;
                }
                out.write_str(")")
            }
        },
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        print(self, &AsFormula, 0, f)
    }
}

/// A parsed formula: its text and its expression.
///
/// The expression is shared: cloning a catalogue copies no trees (the compiler's recursive clone
/// of a long chain could overflow the stack).
#[derive(Clone, Debug)]
pub struct Formula {
    text: String,
    expr: Arc<Expr>,
    grammar: Grammar,
}

/// Two formulas are equal when they read the same in the same grammar.
impl PartialEq for Formula {
    fn eq(&self, other: &Formula) -> bool {
        self.text == other.text && self.grammar == other.grammar
    }
}

impl Formula {
    /// Parse a KPI formula (arithmetic only).
    pub fn parse(text: &str) -> Result<Formula> {
        Formula::parse_as(text, Grammar::Kpi)
    }

    /// Parse a rule (arithmetic, comparisons, `and`, `or`, `not`).
    pub fn parse_rule(text: &str) -> Result<Formula> {
        Formula::parse_as(text, Grammar::Rule)
    }

    /// Parse with the given grammar.
    pub fn parse_as(text: &str, grammar: Grammar) -> Result<Formula> {
        let length = text.chars().count();
        if length > MAX_FORMULA_LENGTH {
            return Err(formula_error(
                MAX_FORMULA_LENGTH + 1,
                Message::new(&message::FORMULA_TOO_LONG)
                    .with("length", crate::format::format_integer(length as u64))
                    .with(
                        "limit",
                        crate::format::format_integer(MAX_FORMULA_LENGTH as u64),
                    ),
            ));
        }
        let tokens = lex(text)?;
        let mut parser = Parser {
            tokens,
            at: 0,
            grammar,
            end: length + 1,
            nesting: 0,
        };
        let expr = parser.formula()?;
        Ok(Formula {
            text: text.to_string(),
            expr: Arc::new(expr),
            grammar,
        })
    }

    /// A formula made from an expression (its text is the printed expression).
    pub fn from_expr(expr: Expr, grammar: Grammar) -> Formula {
        Formula {
            text: expr.to_string(),
            expr: Arc::new(expr),
            grammar,
        }
    }

    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The expression.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The grammar it was parsed with.
    pub fn grammar(&self) -> Grammar {
        self.grammar
    }

    /// The distinct keys it refers to, in order of first appearance (measure keys, and in a
    /// catalogue also KPI ids).
    pub fn measure_keys(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in self.key_refs() {
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
        seen
    }

    /// Every key reference with its 1-based column, in order of appearance.
    pub fn key_refs(&self) -> Vec<(&str, usize)> {
        self.key_levels()
            .into_iter()
            .map(|(key, column, _)| (key, column))
            .collect()
    }

    /// Every key reference with its column and its level (recursive steps to reach it when
    /// evaluating), in order of appearance.
    pub(crate) fn key_levels(&self) -> Vec<(&str, usize, usize)> {
        self.expr
            .nodes()
            .into_iter()
            .filter_map(|(e, level)| match e {
                Expr::Key { name, column } => Some((name.as_str(), *column, level)),
                _ => None,
            })
            .collect()
    }

    /// The deepest level of the expression (recursive steps of evaluating it).
    pub(crate) fn depth(&self) -> usize {
        self.expr
            .nodes()
            .into_iter()
            .map(|(_, level)| level)
            .max()
            .unwrap_or(0)
    }

    /// An error for the first key that is not among `known`, at its column, suggesting the
    /// closest known key when one is near (a typo).
    pub fn check_keys(&self, known: &[&str]) -> Result<()> {
        let Some((key, column)) = self
            .key_refs()
            .into_iter()
            .find(|(k, _)| !known.contains(k))
        else {
            return Ok(());
        };
        let near = known
            .iter()
            .map(|k| (edit_distance(key, k), *k))
            .filter(|(d, k)| *d <= 2.max(k.len() / 4))
            .min();
        let msg = match near {
            Some((_, k)) => Message::new(&message::UNKNOWN_KEY_NEAR).with("near", k),
            None => Message::new(&message::UNKNOWN_KEY),
        };
        Err(formula_error(column, msg.with("key", key)))
    }

    /// Evaluate `years_back` years before the scope's year with keys resolved by `keys`.
    pub(crate) fn value_with(
        &self,
        keys: &mut dyn Keys,
        years_back: u32,
    ) -> std::result::Result<f64, Reason> {
        self.expr.eval(keys, years_back)
    }

    /// Evaluate, every key a measure: a number, or missing with the reason (which input was
    /// missing, or a division by zero). Comparisons and logic give 1 (true) or 0 (false).
    pub fn eval(&self, scope: &dyn Scope) -> Value {
        match self.value_with(&mut Measures(scope), 0) {
            Ok(x) => Value::Number(x),
            Err(r) => Value::Missing(r),
        }
    }

    /// Evaluate a rule, every key a measure: whether it holds, or the reason it cannot be
    /// decided (a missing input).
    pub fn holds(&self, scope: &dyn Scope) -> std::result::Result<bool, Reason> {
        self.value_with(&mut Measures(scope), 0).map(|x| x != 0.0)
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

/// Levenshtein distance of two keys (ASCII in practice), for typo suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// A KPI formula read in words: what is counted (numerator), what it is related to
/// (denominator) and the scale (`× 1.000`, `× 100`), with each key named as the user knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The numerator, or the whole formula when it is not a ratio.
    pub numerator: String,
    /// The denominator of a ratio.
    pub denominator: Option<String>,
    /// The factor the ratio is multiplied by (1.000 for "je 1.000 Einwohner", 100 for percent).
    pub scale: Option<f64>,
}

impl Formula {
    /// The formula in words: `name` gives each key's name (a measure's label, a KPI's label);
    /// operators read as `+ − × ÷`, `prev(x)` as "x im Vorjahr". A formula of the shape
    /// `a / b * k` splits into numerator, denominator and scale.
    pub fn reading(&self, name: &dyn Fn(&str) -> String) -> Reading {
        let (ratio, scale) = match &*self.expr {
            Expr::Binary(BinaryOp::Mul, a, b) => match (&**a, &**b) {
                (r, Expr::Number(k)) | (Expr::Number(k), r) => (r, Some(*k)),
                _ => (&*self.expr, None),
            },
            e => (e, None),
        };
        match (ratio, scale) {
            (Expr::Binary(BinaryOp::Div, a, b), _) => Reading {
                numerator: words(a, name),
                denominator: Some(words(b, name)),
                scale,
            },
            // A product that is not a ratio reads as a whole.
            _ => Reading {
                numerator: words(&self.expr, name),
                denominator: None,
                scale: None,
            },
        }
    }
}

/// The words of [`Formula::reading`]: keys by their names, `− × ÷`, German function names.
struct InWords<'n>(&'n dyn Fn(&str) -> String);

impl Style for InWords<'_> {
    fn number(&self, x: f64, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(&crate::format::format_plain(x))
    }
    fn key(&self, key: &str, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(&(self.0)(key))
    }
    fn symbol(&self, op: BinaryOp) -> &'static str {
        match op {
            BinaryOp::Or => "oder",
            BinaryOp::And => "und",
            BinaryOp::Le => "≤",
            BinaryOp::Ge => "≥",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "≠",
            BinaryOp::Sub => "−",
            BinaryOp::Mul => "×",
            BinaryOp::Div => "÷",
            other => other.symbol(),
        }
    }
    fn neg(&self) -> &'static str {
        "−"
    }
    fn not(&self) -> &'static str {
        "nicht "
    }
    fn function(&self, function: Function) -> &'static str {
        match function {
            Function::Prev => "Vorjahr",
            Function::Sum => "Summe",
            Function::Abs => "Betrag",
            Function::Min => "Minimum",
            Function::Max => "Maximum",
        }
    }
    fn prev_suffix(&self) -> Option<&'static str> {
        Some(" im Vorjahr")
    }
}

/// An expression in words; parentheses where `Display` would put them.
fn words(e: &Expr, name: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = print(e, &InWords(name), 0, &mut out);
    out
}

fn formula_error(column: usize, msg: Message) -> Error {
    Error::new(ErrorKind::Formula {
        msg,
        pos: Position {
            file: None,
            line: None,
            column: Some(column),
        },
    })
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Number(f64),
    Ident(String),
    Op(BinaryOp),
    Not,
    Minus,
    Open,
    Close,
    Comma,
}

impl Tok {
    fn describe(&self) -> Message {
        let quoted = |text: &str| Message::new(&message::QUOTED).with("text", text);
        match self {
            Tok::Number(x) => Message::new(&message::THE_NUMBER).with("number", x),
            Tok::Ident(name) => quoted(name),
            Tok::Op(op) => quoted(op.symbol()),
            Tok::Not => quoted("not"),
            Tok::Minus => quoted("-"),
            Tok::Open => quoted("("),
            Tok::Close => quoted(")"),
            Tok::Comma => quoted(","),
        }
    }
}

/// The end of the run of key characters (`a-z A-Z 0-9 _`) starting at `i`.
fn word(chars: &[char], i: usize) -> usize {
    let mut j = i;
    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
        j += 1;
    }
    j
}

fn lex(text: &str) -> Result<Vec<(Tok, usize)>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let mut j = word(&chars, i);
            let run: String = chars[i..j].iter().collect();
            let tok = if run.chars().all(|d| d.is_ascii_digit()) {
                // A number: digits, optionally `.` and more digits (keys may start with digits,
                // like `65_plus`, so only an all-digit run is a number).
                if j < chars.len() && chars[j] == '.' {
                    let k = word(&chars, j + 1);
                    let frac: String = chars[j + 1..k].iter().collect();
                    if !frac.chars().all(|d| d.is_ascii_digit()) {
                        return Err(formula_error(
                            j + 2,
                            Message::new(&message::FORMULA_NOT_A_NUMBER)
                                .with("text", format!("{run}.{frac}")),
                        ));
                    }
                    j = k;
                }
                let literal: String = chars[i..j].iter().collect();
                match literal.trim_end_matches('.').parse::<f64>() {
                    Ok(x) => Tok::Number(x),
                    Err(_) => {
                        return Err(formula_error(
                            column,
                            Message::new(&message::FORMULA_NOT_A_NUMBER).with("text", &literal),
                        ))
                    }
                }
            } else if run.is_empty() {
                return Err(unexpected_char(c, column));
            } else {
                match run.as_str() {
                    "and" => Tok::Op(BinaryOp::And),
                    "or" => Tok::Op(BinaryOp::Or),
                    "not" => Tok::Not,
                    _ => Tok::Ident(run),
                }
            };
            out.push((tok, column));
            i = j;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (tok, len) = match (c, next) {
            ('<', Some('=')) => (Tok::Op(BinaryOp::Le), 2),
            ('>', Some('=')) => (Tok::Op(BinaryOp::Ge), 2),
            ('=', Some('=')) => (Tok::Op(BinaryOp::Eq), 2),
            ('!', Some('=')) => (Tok::Op(BinaryOp::Ne), 2),
            ('<', _) => (Tok::Op(BinaryOp::Lt), 1),
            ('>', _) => (Tok::Op(BinaryOp::Gt), 1),
            ('+', _) => (Tok::Op(BinaryOp::Add), 1),
            ('-', _) => (Tok::Minus, 1),
            ('*', _) => (Tok::Op(BinaryOp::Mul), 1),
            ('/', _) => (Tok::Op(BinaryOp::Div), 1),
            ('(', _) => (Tok::Open, 1),
            (')', _) => (Tok::Close, 1),
            (',', _) => (Tok::Comma, 1),
            ('=', _) => return Err(formula_error(column, Message::new(&message::SINGLE_EQUALS))),
            _ => return Err(unexpected_char(c, column)),
        };
        out.push((tok, column));
        i += len;
    }
    Ok(out)
}

fn unexpected_char(c: char, column: usize) -> Error {
    let template = match c {
        'ä' | 'ö' | 'ü' | 'ß' | 'Ä' | 'Ö' | 'Ü' => &message::UNEXPECTED_UMLAUT,
        _ => &message::UNEXPECTED_CHAR,
    };
    formula_error(column, Message::new(template).with("char", c))
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    at: usize,
    grammar: Grammar,
    /// The column just after the text, for "unexpected end".
    end: usize,
    /// Open parentheses, calls, signs and `not` around the current token.
    nesting: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(_, c)| *c)
    }

    /// One level deeper; refused beyond [`MAX_NESTING`] at the token (at `column`) that goes
    /// too deep.
    fn enter(&mut self, column: usize) -> Result<()> {
        if self.nesting >= MAX_NESTING {
            return Err(formula_error(
                column,
                Message::new(&message::FORMULA_TOO_DEEP).with("limit", MAX_NESTING),
            ));
        }
        self.nesting += 1;
        Ok(())
    }

    fn formula(&mut self) -> Result<Expr> {
        if self.tokens.is_empty() {
            return Err(formula_error(1, Message::new(&message::FORMULA_EMPTY)));
        }
        let expr = self.binary(0)?;
        match self.tokens.get(self.at) {
            None => Ok(expr),
            Some((Tok::Close, column)) => Err(formula_error(
                *column,
                Message::new(&message::CLOSE_WITHOUT_OPEN),
            )),
            Some((Tok::Op(op), column)) if op.precedence() == 4 => Err(formula_error(
                *column,
                Message::new(&message::CHAINED_COMPARISON),
            )),
            Some((Tok::Comma, column)) => Err(formula_error(
                *column,
                Message::new(&message::UNEXPECTED_COMMA),
            )),
            Some((tok, column)) => Err(formula_error(
                *column,
                Message::new(&message::EXPECTED_OPERATOR).with_message("found", tok.describe()),
            )),
        }
    }

    /// The binary operator at the current token, if any (`-` is one between operands).
    fn peek_operator(&self) -> Option<BinaryOp> {
        match self.peek() {
            Some(Tok::Op(op)) => Some(*op),
            Some(Tok::Minus) => Some(BinaryOp::Sub),
            _ => None,
        }
    }

    fn rule_only(&self, what: &str) -> Error {
        formula_error(
            self.column(),
            Message::new(&message::RULE_ONLY).with("what", what),
        )
    }

    /// Operators binding at least as tight as `least`, by precedence climbing: one loop per
    /// level instead of one function per precedence, so a parenthesis costs few stack frames.
    /// Left-associative; one comparison per level (a second is left for the caller, which
    /// names the chain).
    fn binary(&mut self, least: u8) -> Result<Expr> {
        let (mut left, mut compared) = self.operand(least)?;
        while let Some(op) = self.peek_operator() {
            let p = op.precedence();
            if p < least || (p == 4 && compared) {
                break;
            }
            if self.grammar == Grammar::Kpi && p < 5 {
                return Err(self.rule_only(op.symbol()));
            }
            self.at += 1;
            compared |= p == 4;
            let right = self.binary(p + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// An operand: `not …` where the level allows it (its operand is a comparison), else a
    /// signed primary. Says whether a comparison was made (`not a < b`).
    fn operand(&mut self, least: u8) -> Result<(Expr, bool)> {
        if self.peek() != Some(&Tok::Not) || least > PREC_NOT {
            return Ok((self.unary()?, false));
        }
        // `not not … x`: the words are counted in a loop, not by recursion.
        let mut count = 0;
        while self.peek() == Some(&Tok::Not) {
            if self.grammar == Grammar::Kpi {
                return Err(self.rule_only("not"));
            }
            self.enter(self.column())?;
            self.at += 1;
            count += 1;
        }
        let mut expr = self.binary(PREC_NOT + 1)?;
        for _ in 0..count {
            expr = Expr::Not(Box::new(expr));
        }
        self.nesting -= count;
        Ok((expr, true))
    }

    /// `- - … x`: the signs are counted in a loop, not by recursion.
    fn unary(&mut self) -> Result<Expr> {
        let mut count = 0;
        while self.peek() == Some(&Tok::Minus) {
            self.enter(self.column())?;
            self.at += 1;
            count += 1;
        }
        let mut expr = self.primary()?;
        for _ in 0..count {
            expr = Expr::Neg(Box::new(expr));
        }
        self.nesting -= count;
        Ok(expr)
    }

    fn primary(&mut self) -> Result<Expr> {
        let column = self.column();
        let Some((tok, _)) = self.tokens.get(self.at).cloned() else {
            return Err(formula_error(
                column,
                Message::new(&message::UNEXPECTED_END),
            ));
        };
        self.at += 1;
        match tok {
            Tok::Number(x) => Ok(Expr::Number(x)),
            Tok::Ident(name) if self.peek() == Some(&Tok::Open) => self.call(name, column),
            Tok::Ident(name) => Ok(Expr::Key { name, column }),
            Tok::Open => {
                self.enter(column)?;
                let inner = self.binary(0)?;
                self.nesting -= 1;
                if self.peek() == Some(&Tok::Close) {
                    self.at += 1;
                    Ok(inner)
                } else if self.peek().is_none() {
                    Err(formula_error(column, Message::new(&message::NOT_CLOSED)))
                } else {
                    let found = self.peek().map(Tok::describe);
                    Err(formula_error(
                        self.column(),
                        Message::new(&message::EXPECTED_CLOSE)
                            .with_message("found", found.unwrap_or_else(Message::nothing))
                            .with("column", column),
                    ))
                }
            }
            other => Err(formula_error(
                column,
                Message::new(&message::EXPECTED_OPERAND).with_message("found", other.describe()),
            )),
        }
    }

    fn call(&mut self, name: String, column: usize) -> Result<Expr> {
        let Some(function) = Function::from_name(&name) else {
            let known: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
            return Err(formula_error(
                column,
                Message::new(&message::UNKNOWN_FUNCTION)
                    .with("name", &name)
                    .with("known", known.join(", ")),
            ));
        };
        let open = self.column();
        self.enter(column)?;
        self.at += 1;
        let mut args = Vec::new();
        if self.peek() != Some(&Tok::Close) {
            loop {
                args.push(self.binary(0)?);
                match self.peek() {
                    Some(Tok::Comma) => self.at += 1,
                    Some(Tok::Close) => break,
                    None => return Err(formula_error(open, Message::new(&message::NOT_CLOSED))),
                    Some(tok) => {
                        return Err(formula_error(
                            self.column(),
                            Message::new(&message::EXPECTED_COMMA_OR_CLOSE)
                                .with_message("found", tok.describe()),
                        ))
                    }
                }
            }
        }
        if self.peek().is_none() {
            return Err(formula_error(open, Message::new(&message::NOT_CLOSED)));
        }
        self.at += 1;
        self.nesting -= 1;
        let (least, most) = function.arity();
        if args.len() < least || most.is_some_and(|m| args.len() > m) {
            let template = match most {
                Some(1) if least == 1 => &message::ARGS_ONE,
                Some(m) if m == least => &message::ARGS_EXACTLY,
                _ => &message::ARGS_AT_LEAST,
            };
            return Err(formula_error(
                column,
                Message::new(template)
                    .with("name", &name)
                    .with("least", least)
                    .with("found", args.len()),
            ));
        }
        Ok(Expr::Call {
            function,
            args,
            column,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Keys with fixed values; `missing` is missing, `prev` of `a` is 10 less per year back.
    struct Fixed(HashMap<&'static str, f64>);

    impl Scope for Fixed {
        fn value(&self, key: &str, years_back: u32) -> Value {
            match self.0.get(key) {
                Some(x) => Value::Number(x - 10.0 * f64::from(years_back)),
                None if key == "secret" => Value::Missing(Reason::Unknown),
                None => Value::Missing(Reason::NoRecord),
            }
        }
    }

    fn scope() -> Fixed {
        Fixed(HashMap::from([
            ("a", 100.0),
            ("b", 4.0),
            ("c", 0.5),
            ("zero", 0.0),
            ("x_65", 2.0),
        ]))
    }

    fn eval(text: &str) -> Value {
        match Formula::parse_rule(text) {
            Ok(f) => f.eval(&scope()),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn error(text: &str, grammar: Grammar) -> (usize, String) {
        match Formula::parse_as(text, grammar) {
            Ok(f) => panic!("{text} parsed as {f}"),
            Err(e) => (e.position().column.unwrap_or(0), e.to_string()),
        }
    }

    #[test]
    fn evaluates() {
        let cases: &[(&str, f64)] = &[
            ("1 + 2 * 3", 7.0),
            ("(1 + 2) * 3", 9.0),
            ("10 - 4 - 3", 3.0),
            ("a / b / 5", 5.0),
            ("-b * 2", -8.0),
            ("- -b", 4.0),
            ("2 - -b", 6.0),
            ("-(a - b)", -96.0),
            ("1.5 * 2", 3.0),
            ("x_65 * 3", 6.0),
            ("prev(a)", 90.0),
            ("prev(prev(a))", 80.0),
            ("(a - prev(a)) / prev(a) * 100", 100.0 / 9.0),
            ("prev(a - b)", 90.0 - (4.0 - 10.0)),
            ("sum(a, b, c)", 104.5),
            ("sum(a)", 100.0),
            ("abs(b - a)", 96.0),
            ("min(a, b, c)", 0.5),
            ("max(a, -b)", 100.0),
            ("b < a", 1.0),
            ("a <= a", 1.0),
            ("a < a", 0.0),
            ("b >= a", 0.0),
            ("b > c", 1.0),
            ("a == 100", 1.0),
            ("0.1 + 0.2 == 0.3", 1.0),
            ("a != 100", 0.0),
            ("b < a and c < b", 1.0),
            ("b > a or c < b", 1.0),
            ("b > a or c > b", 0.0),
            ("not b > a", 1.0),
            ("not a", 0.0),
            ("b + 1 < a * 2 and not zero", 1.0),
        ];
        for (text, want) in cases {
            assert_eq!(eval(text), Value::Number(*want), "{text}");
        }
    }

    #[test]
    fn missing_in_missing_out() {
        let input = |key: &str, r: Reason| Value::Missing(Reason::Input(key.into(), Box::new(r)));
        let cases: &[(&str, Value)] = &[
            ("a / zero", Value::Missing(Reason::DivisionByZero)),
            ("zero / zero", Value::Missing(Reason::DivisionByZero)),
            ("secret + 1", input("secret", Reason::Unknown)),
            ("a * (b + nothing)", input("nothing", Reason::NoRecord)),
            ("sum(a, secret)", input("secret", Reason::Unknown)),
            ("secret / zero", input("secret", Reason::Unknown)),
            ("secret < 1", input("secret", Reason::Unknown)),
        ];
        for (text, want) in cases {
            assert_eq!(&eval(text), want, "{text}");
        }
        assert_eq!(
            Value::Missing(Reason::DivisionByZero)
                .reason()
                .map(ToString::to_string)
                .as_deref(),
            Some("Division durch 0")
        );
    }

    #[test]
    fn errors_name_their_column() {
        use Grammar::{Kpi, Rule};
        let cases: &[(&str, Grammar, usize, &str)] = &[
            ("", Kpi, 1, "leer"),
            ("a +", Kpi, 4, "Unerwartetes Ende"),
            ("a b", Kpi, 3, "Unerwartet: „b“"),
            ("a * * b", Kpi, 5, "Unerwartet: „*“"),
            ("(a + b", Kpi, 1, "Klammer wird nicht geschlossen"),
            ("a * (b + (c)", Kpi, 5, "Klammer wird nicht geschlossen"),
            ("sum(a, b", Kpi, 4, "Klammer wird nicht geschlossen"),
            ("a + b)", Kpi, 6, "„)“ ohne öffnende Klammer"),
            ("(a b)", Kpi, 4, "erwartet wurde „)“"),
            ("a + foo(b)", Kpi, 5, "Unbekannte Funktion „foo“"),
            (
                "abs(a, b)",
                Kpi,
                1,
                "„abs“ erwartet genau 1 Argument, gefunden 2",
            ),
            (
                "1 + prev()",
                Kpi,
                5,
                "„prev“ erwartet genau 1 Argument, gefunden 0",
            ),
            (
                "min(a)",
                Kpi,
                1,
                "„min“ erwartet mindestens 2 Argumente, gefunden 1",
            ),
            (
                "sum()",
                Kpi,
                1,
                "„sum“ erwartet mindestens 1 Argumente, gefunden 0",
            ),
            ("a < b", Kpi, 3, "nur in Regeln"),
            ("not a", Kpi, 1, "nur in Regeln"),
            ("a and b", Kpi, 3, "nur in Regeln"),
            ("a < b < c", Rule, 7, "nicht verketten"),
            ("a = b", Rule, 3, "„==“"),
            ("einwohner_ü", Kpi, 11, "Umlaute"),
            ("a # b", Kpi, 3, "Unerwartetes Zeichen „#“"),
            ("1,5 * a", Kpi, 2, "Punkt"),
            ("1.x", Kpi, 3, "keine Zahl"),
        ];
        for (text, grammar, column, part) in cases {
            let (got_column, msg) = error(text, *grammar);
            assert_eq!(got_column, *column, "{text}: {msg}");
            assert!(msg.contains(part), "{text}: {msg}");
        }
    }

    /// Run `f` on a thread with a stack of `mb` megabytes (the browser's wasm stack has 1 MB,
    /// and a release build's frames are a fraction of a test build's).
    fn on_small_stack<T: Send + 'static>(mb: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
        let thread = std::thread::Builder::new()
            .stack_size(mb << 20)
            .spawn(f)
            .map(std::thread::JoinHandle::join);
        match thread {
            Ok(Ok(value)) => value,
            _ => panic!("the thread failed"),
        }
    }

    #[test]
    fn hostile_formulas_are_refused_with_a_message() {
        let over = MAX_NESTING + 1;
        let cases: Vec<(String, usize, &str)> = vec![
            (
                "(".repeat(100_000) + "a" + &")".repeat(100_000),
                0,
                "zu lang",
            ),
            ("-".repeat(200_000) + "a", 0, "zu lang"),
            (vec!["a"; 200_000].join(" + "), 0, "zu lang"),
            (
                "(".repeat(over) + "a" + &")".repeat(over),
                over,
                "zu tief verschachtelt",
            ),
            ("-".repeat(over) + "a", over, "zu tief verschachtelt"),
            (
                "abs(".repeat(over) + "a" + &")".repeat(over),
                4 * over - 3,
                "zu tief",
            ),
            (
                "not ".repeat(over) + "a",
                4 * over - 3,
                "zu tief verschachtelt",
            ),
        ];
        for (text, column, part) in cases {
            let (got, msg) = error(&text, Grammar::Rule);
            let want = if column == 0 {
                MAX_FORMULA_LENGTH + 1
            } else {
                column
            };
            assert_eq!(got, want, "{msg}");
            assert!(msg.contains(part), "{msg}");
        }
    }

    #[test]
    fn formulas_at_the_limits_evaluate_print_and_drop_on_a_small_stack() {
        let at = MAX_NESTING;
        let texts = [
            // The longest flat sum that fits: a chain thousands deep on the left.
            vec!["b"; MAX_FORMULA_LENGTH / 4].join(" + "),
            vec!["b"; MAX_FORMULA_LENGTH / 4].join(" / "),
            "(".repeat(at) + "b" + &")".repeat(at),
            "-".repeat(at) + "b",
            "prev(".repeat(at) + "a" + &")".repeat(at),
        ];
        let results = on_small_stack(1, move || {
            texts
                .iter()
                .map(|text| {
                    let f = Formula::parse_rule(text).map_err(|e| e.to_string())?;
                    let printed = f.to_string();
                    let again = Formula::parse_rule(&printed).map_err(|e| e.to_string())?;
                    let words = f.reading(&|k| k.to_string()).numerator.len();
                    Ok((f.eval(&scope()), again.eval(&scope()), words > 0))
                })
                .collect::<Vec<std::result::Result<_, String>>>()
        });
        let b = 4.0;
        let wants = [
            Value::Number(b * (MAX_FORMULA_LENGTH / 4) as f64),
            Value::Number(b.powi(2 - (MAX_FORMULA_LENGTH / 4) as i32)),
            Value::Number(b),
            Value::Number(b),
            Value::Number(100.0 - 10.0 * at as f64),
        ];
        for (got, want) in results.into_iter().zip(wants) {
            let (value, reparsed, words) = got.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(value, want);
            assert_eq!(reparsed, want);
            assert!(words);
        }
    }

    #[test]
    fn the_deepest_mix_of_precedences_fits_a_small_stack() {
        // Every nesting level with a chain of every precedence inside: the most frames per level.
        let at = MAX_NESTING;
        let text = "(a or b and c < b + c * ".repeat(at) + "b" + &")".repeat(at);
        // Printed without the outermost parentheses only.
        let want = text[1..text.len() - 1].to_string();
        let value = on_small_stack(2, move || {
            Formula::parse_rule(&text).map(|f| (f.eval(&scope()), f.to_string()))
        });
        assert_eq!(value.ok(), Some((Value::Number(1.0), want)));
    }

    #[test]
    fn unknown_key_names_its_column() {
        let known = ["einwohner", "einwohner_65", "ausgaben_hlu"];
        let cases: &[(&str, Option<&str>)] = &[
            (
                "einwohner + einwohnr * 2",
                Some("Spalte 13: Unbekannter Schlüssel „einwohnr“. Gemeint: „einwohner“?"),
            ),
            (
                "ausgaben_hlu / einwohner_66",
                Some("Spalte 16: Unbekannter Schlüssel „einwohner_66“. Gemeint: „einwohner_65“?"),
            ),
            (
                "prev(leistungsberechtigte)",
                Some("Spalte 6: Unbekannter Schlüssel „leistungsberechtigte“."),
            ),
            ("einwohner_65 / einwohner", None),
        ];
        for (text, want) in cases {
            let got = Formula::parse(text)
                .and_then(|f| f.check_keys(&known))
                .map_err(|e| e.to_string());
            assert_eq!(got.err().as_deref(), *want, "{text}");
        }
    }

    #[test]
    fn edit_distances() {
        let cases = [
            ("", "", 0),
            ("abc", "abc", 0),
            ("einwohnr", "einwohner", 1),
            ("kitten", "sitting", 3),
            ("", "ab", 2),
        ];
        for (a, b, d) in cases {
            assert_eq!(edit_distance(a, b), d, "{a} {b}");
        }
    }

    #[test]
    fn keys_in_order_of_appearance() {
        let f = Formula::parse("(a - prev(a)) / sum(b, 65_plus, a)").map_err(|e| e.to_string());
        assert_eq!(
            f.as_ref().map(Formula::measure_keys),
            Ok(vec!["a", "b", "65_plus"])
        );
    }

    #[test]
    fn prints_minimal_parentheses() {
        let cases: &[(&str, &str)] = &[
            ("a - (b - c)", "a - (b - c)"),
            ("(a - b) - c", "a - b - c"),
            ("a / (b * c)", "a / (b * c)"),
            ("-(a + b) * ((c))", "-(a + b) * c"),
            ("not (a < b or c)", "not (a < b or c)"),
            ("(not a) < b", "(not a) < b"),
            ("(a < b) == c", "(a < b) == c"),
            ("a  +prev( b ) *2.50", "a + prev(b) * 2.5"),
            ("(a or b) and c", "(a or b) and c"),
        ];
        for (text, want) in cases {
            let printed = Formula::parse_rule(text)
                .map(|f| f.to_string())
                .map_err(|e| e.to_string());
            assert_eq!(printed.as_deref(), Ok(*want), "{text}");
        }
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        let key = prop_oneof![
            Just("a"),
            Just("b"),
            Just("c"),
            Just("zero"),
            Just("secret")
        ];
        let leaf = prop_oneof![
            (-1000.0f64..1000.0).prop_map(Expr::Number),
            (0u32..50).prop_map(|n| Expr::Number(f64::from(n) / 4.0)),
            key.prop_map(|k| Expr::Key {
                name: k.to_string(),
                column: 1
            }),
        ];
        let ops = [
            BinaryOp::Or,
            BinaryOp::And,
            BinaryOp::Lt,
            BinaryOp::Le,
            BinaryOp::Gt,
            BinaryOp::Ge,
            BinaryOp::Eq,
            BinaryOp::Ne,
            BinaryOp::Add,
            BinaryOp::Sub,
            BinaryOp::Mul,
            BinaryOp::Div,
        ];
        leaf.prop_recursive(5, 40, 4, move |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                (0..ops.len(), inner.clone(), inner.clone())
                    .prop_map(move |(i, a, b)| Expr::Binary(ops[i], Box::new(a), Box::new(b))),
                (0..Function::ALL.len(), prop::collection::vec(inner, 1..4)).prop_map(
                    |(i, mut args)| {
                        let function = Function::ALL[i];
                        let (least, most) = function.arity();
                        args.truncate(most.unwrap_or(args.len()));
                        while args.len() < least {
                            args.push(Expr::Number(1.0));
                        }
                        Expr::Call {
                            function,
                            args,
                            column: 1,
                        }
                    }
                ),
            ]
        })
    }

    #[test]
    fn reads_formulas_in_words() {
        let name = |k: &str| k.to_uppercase();
        let cases: [(&str, &str, Option<&str>, Option<f64>); 7] = [
            ("a / b * 1000", "A", Some("B"), Some(1000.0)),
            ("100 * (a - b) / c", "100 × (A − B)", Some("C"), None),
            (
                "(a - prev(a)) / prev(a) * 100",
                "A − A im Vorjahr",
                Some("A im Vorjahr"),
                Some(100.0),
            ),
            ("a / (b + c)", "A", Some("B + C"), None),
            ("a + b - c", "A + B − C", None, None),
            ("a * 2.5", "A × 2,5", None, None),
            ("prev(a + b) / -b", "(A + B) im Vorjahr", Some("−B"), None),
        ];
        for (text, numerator, denominator, scale) in cases {
            let r = Formula::parse(text).map(|f| f.reading(&name));
            let want = Reading {
                numerator: numerator.to_string(),
                denominator: denominator.map(str::to_string),
                scale,
            };
            assert_eq!(r.ok(), Some(want), "{text}");
        }
    }

    proptest! {
        #[test]
        fn any_text_parses_or_errs_at_a_column_inside_it(text in "[a-z0-9_ .,+*/<>=!()-]{0,30}|\\PC{0,20}") {
            if let Err(e) = Formula::parse_rule(&text) {
                let column = e.position().column.unwrap_or(0);
                prop_assert!((1..=text.chars().count() + 1).contains(&column), "{text}: {e}");
            }
        }

        #[test]
        fn printing_and_reparsing_keeps_the_value(expr in arb_expr()) {
            let printed = expr.to_string();
            let reparsed = Formula::parse_rule(&printed);
            prop_assert!(reparsed.is_ok(), "{printed}: {:?}", reparsed.err().map(|e| e.to_string()));
            if let Ok(reparsed) = reparsed {
                let want = Formula::from_expr(expr, Grammar::Rule).eval(&scope());
                let got = reparsed.eval(&scope());
                match (&want, &got) {
                    (Value::Number(w), Value::Number(g)) => {
                        prop_assert!(w.to_bits() == g.to_bits() || (w.is_nan() && g.is_nan()), "{printed}: {w} vs {g}")
                    }
                    _ => prop_assert_eq!(&want, &got, "{}", printed),
                }
                prop_assert_eq!(reparsed.to_string(), printed);
            }
        }
    }
}
