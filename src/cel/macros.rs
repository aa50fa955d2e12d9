//! The CEL macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`), expanded as
//! the standard ones are, except that a comprehension over a map visits its keys in
//! sorted order (`@ordered`): the `cel` crate keeps maps in hash maps, whose order
//! changes from run to run, and kval's results must not.

use cel::common::ast::{CallExpr, ComprehensionExpr, Expr, IdedExpr, ListExpr, LiteralValue, operators};
use cel::parser::{Macro, MacroExprHelper, ParseError};

/// The function a comprehension's range goes through (named so that CEL cannot call it).
pub const ORDERED: &str = "@ordered";

pub fn all() -> Vec<Macro> {
    vec![
        Macro::global(operators::HAS, 1, |h, _, args| has(h, args).map(Some)),
        Macro::receiver(operators::ALL, 2, |h, t, args| fold(h, t, args, Fold::All).map(Some)),
        Macro::receiver(operators::EXISTS, 2, |h, t, args| fold(h, t, args, Fold::Exists).map(Some)),
        Macro::receiver(operators::EXISTS_ONE, 2, |h, t, args| fold(h, t, args, Fold::ExistsOne).map(Some)),
        Macro::receiver("existsOne", 2, |h, t, args| fold(h, t, args, Fold::ExistsOne).map(Some)),
        Macro::receiver(operators::MAP, 2, |h, t, args| fold(h, t, args, Fold::Map).map(Some)),
        Macro::receiver(operators::MAP, 3, |h, t, args| fold(h, t, args, Fold::Map).map(Some)),
        Macro::receiver(operators::FILTER, 2, |h, t, args| fold(h, t, args, Fold::Filter).map(Some)),
    ]
}

#[derive(Clone, Copy)]
enum Fold {
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
}

fn has(h: &mut MacroExprHelper<'_>, args: &mut Vec<IdedExpr>) -> Result<IdedExpr, ParseError> {
    let arg = args.remove(0);
    match arg.expr {
        Expr::Select(mut select) => {
            select.test = true;
            Ok(h.next_expr(Expr::Select(select)))
        }
        _ => Err(h.new_error(arg.id, "invalid argument to has() macro")),
    }
}

fn call(h: &mut MacroExprHelper<'_>, name: &str, args: Vec<IdedExpr>) -> IdedExpr {
    h.next_expr(Expr::Call(CallExpr { func_name: name.to_string(), target: None, args }))
}

fn fold(
    h: &mut MacroExprHelper<'_>,
    target: &mut Option<IdedExpr>,
    args: &mut Vec<IdedExpr>,
    kind: Fold,
) -> Result<IdedExpr, ParseError> {
    let var = args.remove(0);
    let Expr::Ident(iter_var) = var.expr else {
        return Err(h.new_error(var.id, "argument must be a simple name"));
    };
    let Some(range) = target.take() else {
        return Err(h.new_error(var.id, "a comprehension needs a target"));
    };
    let iter_range = call(h, ORDERED, vec![range]);
    let result_var = "@result".to_string();
    let accu = |h: &mut MacroExprHelper<'_>| h.next_expr(Expr::Ident(result_var.clone()));
    let literal = |h: &mut MacroExprHelper<'_>, v: LiteralValue| h.next_expr(Expr::Literal(v));
    let (init, cond, step, result) = match kind {
        Fold::All | Fold::Exists => {
            let all = matches!(kind, Fold::All);
            let init = literal(h, LiteralValue::Boolean((all).into()));
            let a = accu(h);
            let guard = if all { a } else { call(h, operators::LOGICAL_NOT, vec![a]) };
            let cond = call(h, operators::NOT_STRICTLY_FALSE, vec![guard]);
            let a = accu(h);
            let op = if all { operators::LOGICAL_AND } else { operators::LOGICAL_OR };
            let step = call(h, op, vec![a, args.remove(0)]);
            (init, cond, step, accu(h))
        }
        Fold::ExistsOne => {
            let init = literal(h, LiteralValue::Int(0.into()));
            let cond = literal(h, LiteralValue::Boolean(true.into()));
            let (a, one) = (accu(h), literal(h, LiteralValue::Int(1.into())));
            let plus = call(h, operators::ADD, vec![a, one]);
            let a = accu(h);
            let step = call(h, operators::CONDITIONAL, vec![args.remove(0), plus, a]);
            let (a, one) = (accu(h), literal(h, LiteralValue::Int(1.into())));
            (init, cond, step, call(h, operators::EQUALS, vec![a, one]))
        }
        Fold::Map | Fold::Filter => {
            let init = h.next_expr(Expr::List(ListExpr::new(Vec::new())));
            let cond = literal(h, LiteralValue::Boolean(true.into()));
            let (filter, element) = match kind {
                Fold::Filter => {
                    let element = h.next_expr(Expr::Ident(iter_var.clone()));
                    (Some(args.remove(0)), element)
                }
                _ => {
                    let element = args.pop().unwrap_or_default();
                    (args.pop(), element)
                }
            };
            let a = accu(h);
            let appended = h.next_expr(Expr::List(ListExpr::new(vec![element])));
            let append = call(h, operators::ADD, vec![a, appended]);
            let step = match filter {
                Some(filter) => {
                    let a = accu(h);
                    call(h, operators::CONDITIONAL, vec![filter, append, a])
                }
                None => append,
            };
            (init, cond, step, accu(h))
        }
    };
    Ok(h.next_expr(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range,
        iter_var,
        iter_var2: None,
        accu_var: result_var.clone(),
        accu_init: init,
        loop_cond: cond,
        loop_step: step,
        result,
    }))))
}
