//! `x-kubernetes-validations`: CEL rules of CustomResourceDefinition schemas, compiled
//! once per CRD version and evaluated against each custom resource.
//!
//! Evaluation uses the `cel` crate (cel-rust) with the standard library, its strings,
//! lists and math extensions, and the Kubernetes libraries rules commonly use
//! ([`library`]). What kval cannot evaluate exactly is skipped and counted, never
//! reported: transition rules (they need `oldSelf`, the object before an update), rules
//! calling a function kval does not have, and rules whose cost on the value at hand
//! is over [`BUDGET`].

mod cost;
mod library;
mod macros;
mod value;

use std::sync::{Arc, LazyLock};

use cel::{Context, Env, ExecutionError, Program, Value};

use crate::memo::Memo;

pub use value::{from_json, to_value};

/// The most evaluation steps a rule may take on one value (an estimate from its
/// comprehensions and the size of the value; the API server has a similar budget).
pub const BUDGET: u64 = 10_000_000;

/// A compiled `x-kubernetes-validations` entry.
#[derive(Debug)]
pub struct Rule {
    /// The CEL expression.
    pub text: String,
    program: Arc<Program>,
    pub message: Option<String>,
    message_expression: Option<Arc<Program>>,
    pub reason: Option<String>,
    /// `fieldPath`: where the finding points, relative to the node the rule is on.
    pub field_path: Option<String>,
    /// Comprehension nesting depth and AST size, for the cost estimate.
    shape: cost::Shape,
}

/// Why a rule was not evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    /// A transition rule: it reads `oldSelf`.
    Transition,
    /// It calls a function kval does not implement.
    Unsupported,
    /// Its estimated cost on this value is over [`BUDGET`].
    Budget,
}

/// What compiling one `x-kubernetes-validations` entry gave.
pub enum Compiled {
    Rule(Rule),
    Skipped(Skip),
    /// The rule (or its `messageExpression`) does not compile: the API server would
    /// refuse the CRD.
    Invalid(String),
}

/// The fields of one `x-kubernetes-validations` entry.
pub struct Source<'a> {
    pub rule: &'a str,
    pub message: Option<&'a str>,
    pub message_expression: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub field_path: Option<&'a str>,
}

/// What evaluating a rule on a value gave.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Pass,
    /// The rule is false (or could not be evaluated on this value, as the API server
    /// reports it): the message to show.
    Fail(String),
    Skipped(Skip),
}

static ENV: LazyLock<Arc<Env>> = LazyLock::new(|| {
    // The standard library without its macros: `library::add` adds macros that
    // iterate maps in a fixed order.
    let mut env = Env::default().with_optional_support(true).with_stdlib();
    // The extensions are the crate's own; a failure to add one is a defect of
    // this function, found by the tests, not something input can cause.
    let _ = env.add_extension(cel::extensions::strings);
    let _ = env.add_extension(cel::extensions::lists);
    let _ = env.add_extension(cel::extensions::math);
    library::add(&mut env);
    Arc::new(env)
});

thread_local! {
    /// The root context (functions only); each evaluation binds `self` in a child
    /// scope of it.
    static ROOT: Context<'static, 'static> = Context::with_env(ENV.clone());
}

/// Programs already compiled, by their text.
static PROGRAMS: LazyLock<Memo<Result<Arc<Program>, String>>> = LazyLock::new(Memo::new);

fn parse(text: &str) -> Result<Arc<Program>, String> {
    PROGRAMS.get(text, || ENV.compile(text).map(Arc::new).map_err(|e| e.to_string()))
}

/// Compiles one rule, or says why it will not be evaluated.
pub fn compile(source: &Source<'_>) -> Compiled {
    let program = match parse(source.rule) {
        Ok(p) => p,
        Err(e) => return Compiled::Invalid(format!("compilation failed: {e}")),
    };
    let message_expression = match source.message_expression.map(parse) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => return Compiled::Invalid(format!("messageExpression compilation failed: {e}")),
    };
    let shape = cost::Shape::of(program.expression());
    if shape.variables.iter().any(|v| v == "oldSelf") {
        return Compiled::Skipped(Skip::Transition);
    }
    Compiled::Rule(Rule {
        text: source.rule.to_string(),
        program,
        message: source.message.map(str::to_string),
        message_expression,
        reason: source.reason.map(str::to_string),
        field_path: source.field_path.map(str::to_string),
        shape,
    })
}

impl Rule {
    /// Evaluates the rule with `self` bound to `value`, whose size (in nodes) is
    /// `size`.
    pub fn evaluate(&self, value: &Value, size: u64) -> Outcome {
        if self.shape.cost(size) > BUDGET {
            return Outcome::Skipped(Skip::Budget);
        }
        match run(&self.program, &[("self", value)]) {
            Ok(Value::Bool(true)) => Outcome::Pass,
            Ok(Value::Bool(false)) => Outcome::Fail(self.failure_message(value, size)),
            Ok(_) => Outcome::Fail(format!("the rule returned a non-boolean value: {}", self.text)),
            Err(e) if unsupported(&e) => Outcome::Skipped(Skip::Unsupported),
            Err(e) => Outcome::Fail(format!("{} evaluating rule: {}", error_text(&e), self.text)),
        }
    }

    /// `messageExpression` when it evaluates to a non-empty string, else `message`,
    /// else the API server's default text.
    fn failure_message(&self, value: &Value, size: u64) -> String {
        if let Some(expression) = &self.message_expression
            && cost::Shape::of(expression.expression()).cost(size) <= BUDGET
            && let Ok(Value::String(s)) = run(expression, &[("self", value)])
            && !s.trim().is_empty()
        {
            return s.to_string();
        }
        match &self.message {
            Some(m) if !m.trim().is_empty() => m.clone(),
            _ => format!("failed rule: {}", self.text),
        }
    }
}

fn run(program: &Program, bindings: &[(&str, &Value)]) -> Result<Value, ExecutionError> {
    ROOT.with(|root| {
        let mut ctx = root.new_inner_scope();
        for (name, value) in bindings {
            ctx.add_variable_from_value(*name, (*value).clone());
        }
        program.execute(&ctx)
    })
}

/// A CEL expression over named variables (`object`, `params`, ...): what admission
/// policies and `.kval.yaml`'s custom rules are written in.
#[derive(Debug)]
pub struct Expression {
    pub text: String,
    program: Arc<Program>,
    shape: cost::Shape,
}

/// Why an expression gave no value.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// It reads a variable or calls a function kval does not have.
    Unsupported(String),
    /// Its estimated cost is over [`BUDGET`].
    Budget,
    /// An evaluation error, as the API server words it (`no such key: x`).
    Error(String),
}

impl Expression {
    /// Compiles an expression; the error reads as the API server's
    /// (`compilation failed: ...`).
    pub fn compile(text: &str) -> Result<Expression, String> {
        let program = parse(text).map_err(|e| format!("compilation failed: {e}"))?;
        let shape = cost::Shape::of(program.expression());
        Ok(Expression { text: text.to_string(), program, shape })
    }

    /// Whether the expression reads a variable.
    pub fn reads(&self, variable: &str) -> bool {
        self.shape.variables.iter().any(|v| v == variable)
    }

    /// Evaluates with the variables bound; `size` is the size of the values in
    /// nodes, for the cost estimate.
    pub fn evaluate(&self, bindings: &[(&str, &Value)], size: u64) -> Result<Value, Failure> {
        if self.shape.cost(size) > BUDGET {
            return Err(Failure::Budget);
        }
        run(&self.program, bindings).map_err(|e| {
            if unsupported(&e) { Failure::Unsupported(e.to_string()) } else { Failure::Error(error_text(&e)) }
        })
    }
}

/// An error that says kval lacks something, not that the object is wrong.
fn unsupported(error: &ExecutionError) -> bool {
    matches!(error, ExecutionError::UndeclaredReference(_) | ExecutionError::NoSuchOverload(_))
}

/// The error as the API server words it (`no such key: x`).
fn error_text(error: &ExecutionError) -> String {
    match error {
        ExecutionError::NoSuchKey(key) => format!("no such key: {key}"),
        ExecutionError::IndexOutOfBounds(i) => format!("index out of bounds: {}", display(i)),
        ExecutionError::DivisionByZero(_) => "division by zero".to_string(),
        ExecutionError::RemainderByZero(_) => "modulus by zero".to_string(),
        other => other.to_string(),
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::String(s) => s.to_string(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Rule {
        rule_with(Source { rule: text, message: None, message_expression: None, reason: None, field_path: None })
    }

    fn rule_with(source: Source<'_>) -> Rule {
        match compile(&source) {
            Compiled::Rule(r) => r,
            Compiled::Skipped(s) => panic!("{} skipped: {s:?}", source.rule),
            Compiled::Invalid(e) => panic!("{} invalid: {e}", source.rule),
        }
    }

    fn eval(text: &str, json: serde_json::Value) -> Outcome {
        let value = value::from_json(&json);
        rule(text).evaluate(&value, 10)
    }

    #[test]
    fn common_rules() {
        let obj = serde_json::json!({"minReplicas": 1, "maxReplicas": 3, "name": "web-1", "items": ["a", "b"],
            "ports": [{"port": 80}, {"port": 443}], "labels": {"app": "x"}});
        for rule in [
            "self.minReplicas <= self.maxReplicas",
            "has(self.name) && self.name.startsWith('web')",
            "!has(self.missing)",
            "self.items.all(i, i.size() == 1)",
            "self.ports.exists(p, p.port == 443)",
            "self.ports.map(p, p.port).isSorted()",
            "self.ports.map(p, p.port).sum() == 523",
            "self.items.indexOf('b') == 1",
            "self.name.matches('^[a-z0-9-]+$')",
            "self.name.lowerAscii() == 'web-1' && self.name.split('-').size() == 2",
            "self.items.join(',') == 'a,b'",
            "'app' in self.labels",
            "self.labels.all(k, k.size() < 64)",
            "self.?missing.orValue('d') == 'd'",
            "isURL('https://example.com/x') && url('https://example.com:8443/x').getPort() == '8443'",
            "quantity('1Gi').isGreaterThan(quantity('500Mi'))",
            "quantity('1.5').compareTo(quantity('1500m')) == 0",
            "self.name.find('[0-9]+') == '1'",
            "self.ports.size() <= 2 && self.items.filter(i, i == 'a').size() == 1",
            "size(self.name) <= 63 && self.items.exists_one(i, i == 'b')",
            "self.ports.all(p, p.port > 0 && p.port < 65536)",
            "self.ports.map(p, p.port).filter(x, x > 100) == [443]",
            "self.labels.exists(k, self.labels[k] == 'x')",
            "string(self.minReplicas) == '1' && int('3') == self.maxReplicas",
            "type(self.name) == string && type(self.ports) == list",
            "self.items.map(i, i.upperAscii()).join('-') == 'A-B'",
            "self.name.replace('-', '_') == 'web_1' && self.name.indexOf('-') == 3",
            "sets.contains(self.items, ['a']) && !sets.intersects(self.items, ['z'])",
            "isCIDR('10.0.0.0/8') && isIP('fd00::1') && !isIP('300.1.1.1')",
            "self.items.size() == 2 ? self.items[1] == 'b' : false",
        ] {
            assert_eq!(eval(rule, obj.clone()), Outcome::Pass, "{rule}");
        }
    }

    #[test]
    fn failures_carry_the_message() {
        let obj = serde_json::json!({"min": 5, "max": 3});
        let r = rule_with(Source {
            rule: "self.min <= self.max",
            message: Some("min must not exceed max"),
            message_expression: None,
            reason: None,
            field_path: None,
        });
        assert_eq!(r.evaluate(&value::from_json(&obj), 3), Outcome::Fail("min must not exceed max".into()));
        let r = rule_with(Source {
            rule: "self.min <= self.max",
            message: Some("static"),
            message_expression: Some("'min ' + string(self.min) + ' > max ' + string(self.max)"),
            reason: None,
            field_path: None,
        });
        assert_eq!(r.evaluate(&value::from_json(&obj), 3), Outcome::Fail("min 5 > max 3".into()));
        assert_eq!(eval("self.min < self.max", obj.clone()), Outcome::Fail("failed rule: self.min < self.max".into()));
        assert_eq!(
            eval("self.nope == 1", obj),
            Outcome::Fail("no such key: nope evaluating rule: self.nope == 1".into())
        );
    }

    #[test]
    fn skips() {
        let source = |rule| Source { rule, message: None, message_expression: None, reason: None, field_path: None };
        assert!(matches!(compile(&source("self == oldSelf")), Compiled::Skipped(Skip::Transition)));
        assert!(matches!(compile(&source("self.x ==")), Compiled::Invalid(m) if m.starts_with("compilation failed")));
        assert_eq!(eval("self.frobnicate()", serde_json::json!({})), Outcome::Skipped(Skip::Unsupported));
        let nested = rule("self.all(a, self.all(b, self.all(c, a == b)))");
        assert_eq!(nested.evaluate(&Value::Null, 1000), Outcome::Skipped(Skip::Budget));
        assert_eq!(nested.evaluate(&value::from_json(&serde_json::json!([1])), 1), Outcome::Pass);
    }

    #[test]
    fn maps_iterate_in_key_order() {
        let obj = serde_json::json!({"b": 1, "a": 2, "d": 3, "c": 4, "f": 5, "e": 6});
        for _ in 0..20 {
            assert_eq!(eval("self.map(k, k).join('') == 'abcdef'", obj.clone()), Outcome::Pass);
        }
    }
}
