//! Ratios: a KPI formula of the form `N / D * c`, the shape the change split and the funnel
//! limits work on, and the catalogue asks of a KPI that names a funnel.

use crate::catalogue::expression::{BinaryOp, Expr, Formula, Grammar};

/// A KPI formula's top-level division `N / D * c` (c a constant factor, 1 when absent): the
/// parts the change split and the funnel limits work on.
#[derive(Clone, Debug, PartialEq)]
pub struct Ratio {
    numerator: Formula,
    denominator: Formula,
    factor: f64,
}

impl Ratio {
    /// The parts of `formula` when its top level is `N / D`, `N / D * c` or `c * (N / D)` with a
    /// number `c`; `None` for any other shape (a sum of ratios, a difference, a plain measure).
    pub fn of(formula: &Formula) -> Option<Ratio> {
        let (division, factor) = match formula.expr() {
            Expr::Binary(BinaryOp::Mul, a, b) => match (a.as_ref(), b.as_ref()) {
                (d @ Expr::Binary(BinaryOp::Div, ..), Expr::Number(c))
                | (Expr::Number(c), d @ Expr::Binary(BinaryOp::Div, ..)) => (d, *c),
                _ => return None,
            },
            d @ Expr::Binary(BinaryOp::Div, ..) => (d, 1.0),
            _ => return None,
        };
        let Expr::Binary(_, n, d) = division else {
            return None;
        };
        Some(Ratio {
            numerator: Formula::from_expr(n.as_ref().clone(), Grammar::Kpi),
            denominator: Formula::from_expr(d.as_ref().clone(), Grammar::Kpi),
            factor,
        })
    }

    /// The constant factor c.
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// The numerator N as a formula.
    pub fn numerator(&self) -> &Formula {
        &self.numerator
    }

    /// The denominator D as a formula.
    pub fn denominator(&self) -> &Formula {
        &self.denominator
    }
}
